package hmn.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers, per stage, the fingerprint of what it consumed (options and input contents) when it last finished. A
 * stage whose fingerprint is unchanged and whose outputs exist is reused, not recomputed. The ledger is rewritten
 * atomically after each finished stage, so a killed run keeps every stage it finished.
 */
public final class StageLedger {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A finished stage: the fingerprint of its inputs, when it finished and how long it took. */
    public record Entry(String fingerprint, String finishedAt, long millis) {}

    private final Path file;
    private final Map<String, Entry> entries;

    private StageLedger(Path file, Map<String, Entry> entries) {
        this.file = file;
        this.entries = entries;
    }

    public static StageLedger open(Path file) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        if (Files.isRegularFile(file)) {
            try {
                Map<?, ?> raw = JSON.readValue(file.toFile(), Map.class);
                raw.forEach((k, v) -> entries.put((String) k, JSON.convertValue(v, Entry.class)));
            } catch (IOException | IllegalArgumentException e) {
                entries.clear(); // an unreadable ledger only costs recomputation
            }
        }
        return new StageLedger(file, entries);
    }

    /** True when the stage finished before with this fingerprint. */
    public synchronized boolean isDone(String stage, String fingerprint) {
        Entry e = entries.get(stage);
        return e != null && e.fingerprint().equals(fingerprint);
    }

    public synchronized void markDone(String stage, String fingerprint, long millis) {
        entries.put(stage, new Entry(fingerprint, java.time.Instant.now().toString(), millis));
        save();
    }

    public synchronized void forget(String stage) {
        if (entries.remove(stage) != null) {
            save();
        }
    }

    private void save() {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), entries);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** A fingerprint of strings and file contents (files by their bytes; a missing file counts as absent). */
    public static String fingerprint(Object... parts) {
        MessageDigest digest = sha256();
        for (Object part : parts) {
            if (part instanceof Path path) {
                digest.update(("file:" + path.getFileName() + ":").getBytes(StandardCharsets.UTF_8));
                digest.update(fileDigest(path));
            } else {
                digest.update(("value:" + part + "\u0000").getBytes(StandardCharsets.UTF_8));
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static byte[] fileDigest(Path path) {
        if (Files.isDirectory(path)) {
            MessageDigest digest = sha256();
            try (var files = Files.list(path)) {
                for (Path child : files.sorted().toList()) {
                    digest.update(child.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                    digest.update(fileDigest(child));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return digest.digest();
        }
        if (!Files.isRegularFile(path)) {
            return "absent".getBytes(StandardCharsets.UTF_8);
        }
        MessageDigest digest = sha256();
        byte[] buffer = new byte[1 << 16];
        try (var in = Files.newInputStream(path)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return digest.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
