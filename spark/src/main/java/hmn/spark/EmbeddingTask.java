package hmn.spark;

import hmn.embeddings.Embedder;
import hmn.io.FloatMatrix;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.Tuple2;

/**
 * One Spark task of the embedding stage: embeds a partition of (index, sentence) pairs with the executor's embedder
 * ({@link ExecutorLanguageModels}, loaded once per JVM) and returns {@link SparkStages#EMBEDDINGS} rows: the index,
 * the sentence, the embedder's model and the vector.
 */
final class EmbeddingTask implements FlatMapFunction<Iterator<Tuple2<Integer, String>>, Row> {
    private static final long serialVersionUID = 1L;

    private final ExecutorLanguageModels.Spec spec;

    EmbeddingTask(ExecutorLanguageModels.Spec spec) {
        this.spec = spec;
    }

    @Override
    public Iterator<Row> call(Iterator<Tuple2<Integer, String>> pairs) {
        List<Integer> index = new ArrayList<>();
        List<String> sentences = new ArrayList<>();
        pairs.forEachRemaining(p -> {
            index.add(p._1());
            sentences.add(p._2());
        });
        if (sentences.isEmpty()) {
            return List.<Row>of().iterator();
        }
        Embedder embedder = ExecutorLanguageModels.embedder(spec);
        FloatMatrix m;
        synchronized (embedder) {
            m = embedder.embed(sentences);
        }
        List<Row> rows = new ArrayList<>(sentences.size());
        for (int i = 0; i < sentences.size(); i++) {
            rows.add(RowFactory.create(index.get(i), sentences.get(i), embedder.model(), m.row(i)));
        }
        return rows.iterator();
    }
}
