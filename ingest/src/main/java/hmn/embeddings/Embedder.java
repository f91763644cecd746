package hmn.embeddings;

import hmn.io.FloatMatrix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Embeds sentences (captions) as rows of a matrix, in the order given. */
public interface Embedder extends AutoCloseable {
    FloatMatrix embed(List<String> sentences);

    /**
     * As {@link #embed}, computing each distinct sentence once and copying its row to every occurrence: captioners
     * give many images the same caption, and a sentence's vector does not depend on the others.
     */
    default FloatMatrix embedDistinct(List<String> sentences) {
        Map<String, Integer> index = new HashMap<>();
        List<String> distinct = new ArrayList<>();
        int[] source = new int[sentences.size()];
        for (int i = 0; i < source.length; i++) {
            source[i] = index.computeIfAbsent(sentences.get(i), s -> {
                distinct.add(s);
                return distinct.size() - 1;
            });
        }
        if (distinct.size() == sentences.size()) {
            return embed(sentences);
        }
        FloatMatrix once = embed(distinct);
        int d = once.cols();
        float[] out = new float[source.length * d];
        for (int i = 0; i < source.length; i++) {
            System.arraycopy(once.data(), source[i] * d, out, i * d, d);
        }
        return new FloatMatrix(source.length, d, out);
    }

    /** Provenance, e.g. "all-minilm-l6-v2". */
    String model();

    int dimension();

    @Override
    default void close() {}
}
