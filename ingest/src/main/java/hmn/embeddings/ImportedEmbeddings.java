package hmn.embeddings;

import hmn.core.BadInputException;
import hmn.io.FloatMatrix;
import hmn.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Embeddings computed elsewhere: an N x D {@code .npy} whose rows follow the captions' order. */
public final class ImportedEmbeddings implements Embedder {
    private final Path file;
    private final FloatMatrix matrix;

    private ImportedEmbeddings(Path file, FloatMatrix matrix) {
        this.file = file;
        this.matrix = matrix;
    }

    public static ImportedEmbeddings load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("embeddings file " + file + " does not exist; give an N x D .npy"
                    + " with one row per caption, in captions order");
        }
        return new ImportedEmbeddings(file, Npy.read(file));
    }

    /** The imported rows; their number must equal the number of sentences. */
    @Override
    public FloatMatrix embed(List<String> sentences) {
        if (matrix.rows() != sentences.size()) {
            throw new BadInputException("embeddings file " + file + " has " + matrix.rows() + " rows but there are "
                    + sentences.size() + " captions; it needs one row per caption, in captions order");
        }
        return matrix;
    }

    @Override
    public String model() {
        return "import:" + file.getFileName();
    }

    @Override
    public int dimension() {
        return matrix.cols();
    }
}
