package hmn.embed;

import hmn.io.FloatMatrix;
import java.util.List;

/** Embeds sentences (captions) as rows of a matrix, in the order given. */
public interface Embedder extends AutoCloseable {
    FloatMatrix embed(List<String> sentences);

    /** Provenance, e.g. "all-minilm-l6-v2". */
    String model();

    int dimension();

    @Override
    default void close() {}
}
