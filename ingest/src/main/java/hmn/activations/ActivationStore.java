package hmn.activations;

import com.fasterxml.jackson.databind.ObjectMapper;
import hmn.core.BadInputException;
import hmn.io.FloatMatrix;
import hmn.io.Npy;
import hmn.runtime.Engine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An activations directory written as the rows are computed: {@code <layer>.npy} (N x C float32, C order),
 * {@code images.txt} (one image a line, row order), {@code skipped.tsv} (image, reason) and {@code run.json} (what
 * produced it). Rows go to the .npy files first, then their line to images.txt, and each .npy header is rewritten
 * with the row count after every batch; a run killed at any point (even kill -9) is resumed by opening the
 * directory again: files are cut back to the rows that all of them hold, and those images are not computed again.
 */
public final class ActivationStore implements AutoCloseable {
    private static final int HEADER_BYTES = 128;
    private static final String DESCR = "<f4";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Map<String, Integer> layers;
    private final Map<String, FileChannel> npy = new LinkedHashMap<>();
    private final Writer imagesTxt;
    private final Writer skippedTsv;
    private final Set<String> done = new LinkedHashSet<>();
    private final List<String> skipped = new ArrayList<>();
    private final Map<?, ?> run;
    private long rows;
    private final long resumedRows;

    private ActivationStore(Path dir, Map<String, Integer> layers, Map<String, Object> run) throws IOException {
        this.dir = dir;
        this.layers = Map.copyOf(layers);
        Files.createDirectories(dir);
        Path runFile = dir.resolve("run.json");
        this.run = JSON.readValue(JSON.writeValueAsBytes(run), Map.class);
        if (Files.exists(runFile)) {
            Map<?, ?> previous = readRun(runFile);
            if (!previous.equals(this.run)) {
                throw new BadInputException(dir + " holds activations of another run (" + describe(previous)
                        + "); choose another --out directory or delete this one");
            }
        } else {
            JSON.writerWithDefaultPrettyPrinter().writeValue(runFile.toFile(), run);
        }
        List<String> images =
                Files.exists(dir.resolve("images.txt")) ? completeLines(dir.resolve("images.txt")) : List.of();
        long consistent = images.size();
        for (Map.Entry<String, Integer> e : layers.entrySet()) {
            Path file = dir.resolve(e.getKey() + ".npy");
            FileChannel ch = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            npy.put(e.getKey(), ch);
            long bytesPerRow = 4L * e.getValue();
            consistent = Math.min(consistent, Math.max(0, ch.size() - HEADER_BYTES) / bytesPerRow);
        }
        this.rows = consistent;
        this.resumedRows = consistent;
        for (Map.Entry<String, Integer> e : layers.entrySet()) {
            FileChannel ch = npy.get(e.getKey());
            ch.truncate(HEADER_BYTES + rows * 4L * e.getValue());
            writeHeader(ch, e.getValue());
        }
        List<String> kept = images.subList(0, (int) rows);
        Files.write(dir.resolve("images.txt"), kept, StandardCharsets.UTF_8);
        done.addAll(kept);
        Path skippedFile = dir.resolve("skipped.tsv");
        if (Files.exists(skippedFile)) {
            for (String line : completeLines(skippedFile)) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    done.add(line.substring(0, tab));
                    skipped.add(line);
                }
            }
            Files.write(skippedFile, skipped, StandardCharsets.UTF_8);
        }
        this.imagesTxt =
                Files.newBufferedWriter(dir.resolve("images.txt"), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        this.skippedTsv = Files.newBufferedWriter(
                skippedFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * A {@code run.json}, as this store compares it with its own run: one written before engines were recorded ran
     * its catalogue model on PyTorch.
     */
    private Map<?, ?> readRun(Path runFile) throws IOException {
        Map<?, ?> recorded = JSON.readValue(runFile.toFile(), Map.class);
        if (run.containsKey("engine") && !recorded.containsKey("engine")) {
            Map<Object, Object> withEngine = new LinkedHashMap<>(recorded);
            withEngine.put("engine", Engine.PYTORCH.id());
            return withEngine;
        }
        return recorded;
    }

    /** A run as refusals name it: model, layers, weights and, where recorded, the engine. */
    private static String describe(Map<?, ?> run) {
        return run.get("model") + ", " + run.get("layers") + ", " + run.get("weights")
                + (run.containsKey("engine") ? ", engine " + run.get("engine") : "");
    }

    /**
     * Opens (or resumes) {@code dir} for the given layers. {@code run} describes what produces the activations
     * (model, weights, layers, preprocessing); a directory written by a different run is refused.
     */
    public static ActivationStore open(Path dir, Map<String, Integer> layers, Map<String, Object> run) {
        try {
            return new ActivationStore(dir, layers, run);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open activations directory " + dir, e);
        }
    }

    /** Images already stored or skipped (by this run or the one it resumes). */
    public Set<String> done() {
        return Set.copyOf(done);
    }

    /** Rows found on opening (a resumed run's progress). */
    public long resumedRows() {
        return resumedRows;
    }

    public long rows() {
        return rows;
    }

    /** The images skipped so far, as "image TAB reason" lines. */
    public List<String> skipped() {
        return List.copyOf(skipped);
    }

    /** Appends one row per image: {@code activations} maps each layer to a matrix whose rows follow {@code images}. */
    public void append(List<String> images, Map<String, FloatMatrix> activations) {
        try {
            for (Map.Entry<String, Integer> e : layers.entrySet()) {
                FloatMatrix m = activations.get(e.getKey());
                if (m == null || m.rows() != images.size() || m.cols() != e.getValue()) {
                    throw new IllegalArgumentException(
                            "layer " + e.getKey() + " needs " + images.size() + " x " + e.getValue() + " values");
                }
                ByteBuffer buf = ByteBuffer.allocate(4 * m.data().length).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(m.data());
                FileChannel ch = npy.get(e.getKey());
                long position = HEADER_BYTES + rows * 4L * e.getValue();
                while (buf.hasRemaining()) {
                    position += ch.write(buf, position);
                }
            }
            rows += images.size();
            for (Map.Entry<String, Integer> e : layers.entrySet()) {
                writeHeader(npy.get(e.getKey()), e.getValue());
            }
            for (String image : images) {
                imagesTxt.write(image);
                imagesTxt.write('\n');
                done.add(image);
            }
            imagesTxt.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write activations to " + dir, e);
        }
    }

    /** Records an image that could not be used, and why. */
    public void skip(String image, String reason) {
        String line = image + "\t" + reason.replace('\t', ' ').replace('\n', ' ');
        try {
            skippedTsv.write(line);
            skippedTsv.write('\n');
            skippedTsv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve("skipped.tsv"), e);
        }
        skipped.add(line);
        done.add(image);
    }

    private void writeHeader(FileChannel ch, int cols) throws IOException {
        ByteBuffer header = ByteBuffer.wrap(Npy.header(DESCR, rows, cols, HEADER_BYTES));
        long position = 0;
        while (header.hasRemaining()) {
            position += ch.write(header, position);
        }
    }

    private static List<String> completeLines(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n", -1));
    }

    @Override
    public void close() {
        try {
            imagesTxt.close();
            skippedTsv.close();
            for (FileChannel ch : npy.values()) {
                ch.force(true);
                ch.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close activations in " + dir, e);
        }
    }
}
