package hmn.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The artifact directory of one graph: every stage's output in the contract's formats, so that a re-run reuses
 * finished work and other tools (Python, notebooks) can read the artifacts.
 *
 * <p>By default it lies next to the store: {@code --db graph} keeps its artifacts in {@code graph.work/}.
 */
public record WorkDir(Path root) {
    public static WorkDir besideStore(Path store) {
        Path abs = store.toAbsolutePath().normalize();
        return new WorkDir(abs.resolveSibling(abs.getFileName() + ".work"));
    }

    public WorkDir create() {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create work directory " + root, e);
        }
        return this;
    }

    /** Remembered image hashes (see {@link ImageInventory}). */
    public Path inventory() {
        return root.resolve("inventory.tsv");
    }

    /** {@code image,caption} CSV, one row per captioned image. */
    public Path captions() {
        return root.resolve("captions.csv");
    }

    /** Captions by image content hash, so only new images are captioned. */
    public Path captionCache() {
        return root.resolve("caption-cache.jsonl");
    }

    /** N x D float32 caption embeddings, rows in the order of {@link #captions()}. */
    public Path embeddings() {
        return root.resolve("embeddings.npy");
    }

    /** {@code image,level_1,...,level_L} CSV. */
    public Path partitions() {
        return root.resolve("partitions.csv");
    }

    /** {@code images.txt} and one {@code <layer>.npy} per layer. */
    public Path activations() {
        return root.resolve("activations");
    }

    /** Cached LLM answers (content-addressed). */
    public Path labelCache() {
        return root.resolve("label-cache.jsonl");
    }

    /** What each stage consumed and produced, to decide what a re-run may reuse. */
    public Path ledger() {
        return root.resolve("stages.json");
    }

    /** What {@code ingest --spark} keeps of its own: its options and the Parquet tables of its jobs. */
    public Path spark() {
        return root.resolve("spark");
    }

    /** The last run's summary. */
    public Path summary() {
        return root.resolve("summary.json");
    }
}
