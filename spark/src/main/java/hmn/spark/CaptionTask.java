package hmn.spark;

import hmn.captions.CaptionStage;
import hmn.captions.Captioner;
import hmn.format.CaptionRow;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.Tuple2;

/**
 * One Spark task of the caption stage: captions a partition of (content key, image) pairs with the executor's
 * captioner ({@link ExecutorLanguageModels}, loaded once per JVM) through the single-JVM {@link CaptionStage}
 * (its decoding, batching and per-image failures), reading the images where they are ({@link TaskImages}), and returns {@link SparkStages#CAPTIONS} rows: the key, the
 * image, the captioner's model (provenance) and the caption, or why there is none.
 */
final class CaptionTask implements FlatMapFunction<Iterator<Tuple2<String, String>>, Row> {
    private static final long serialVersionUID = 1L;

    private final ExecutorLanguageModels.Spec spec;
    private final TaskImages images;

    CaptionTask(ExecutorLanguageModels.Spec spec, TaskImages images) {
        this.spec = spec;
        this.images = images;
    }

    @Override
    public Iterator<Row> call(Iterator<Tuple2<String, String>> pairs) {
        Map<String, String> keyOf = new LinkedHashMap<>();
        pairs.forEachRemaining(p -> keyOf.put(p._2(), p._1()));
        if (keyOf.isEmpty()) {
            return List.<Row>of().iterator();
        }
        Captioner captioner = ExecutorLanguageModels.captioner(spec);
        CaptionStage stage = new CaptionStage(captioner, null, false);
        List<CaptionRow> captioned;
        synchronized (captioner) {
            captioned = stage.run(images.open(), List.copyOf(keyOf.keySet()));
        }
        List<Row> rows = new ArrayList<>(keyOf.size());
        for (CaptionRow r : captioned) {
            rows.add(RowFactory.create(keyOf.get(r.image()), r.image(), captioner.model(), r.caption(), null));
        }
        stage.failed()
                .forEach((image, reason) ->
                        rows.add(RowFactory.create(keyOf.get(image), image, captioner.model(), null, reason)));
        return rows.iterator();
    }
}
