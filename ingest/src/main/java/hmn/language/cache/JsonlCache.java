package hmn.language.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * A content-addressed answer cache in one append-only JSON Lines file: {@code {"key": ..., "value": ..., ...}} a
 * line. Appends are written at once and fsynced at most once per {@code syncInterval} (group commit: concurrent
 * writers do not wait for the disk on every answer) and on {@link #flush()}, which stages call after every batch; so a
 * crash loses at most the answers of the last interval, and a torn last line is skipped on the next load.
 * Thread-safe.
 */
public final class JsonlCache implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(JsonlCache.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final long syncIntervalNanos;
    private long lastSync = System.nanoTime();
    private final Map<String, String> entries = new ConcurrentHashMap<>();
    private FileChannel channel;
    private int unsynced;

    private JsonlCache(Path file, Duration syncInterval) {
        this.file = file;
        this.syncIntervalNanos = syncInterval.toNanos();
    }

    /** Opens (creating the directories and file if needed) and loads the cache. */
    public static JsonlCache open(Path file) {
        return open(file, Duration.ofSeconds(1));
    }

    public static JsonlCache open(Path file, Duration syncInterval) {
        if (syncInterval.isNegative()) {
            throw new IllegalArgumentException("syncInterval must not be negative, got " + syncInterval);
        }
        JsonlCache cache = new JsonlCache(file, syncInterval);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (Files.exists(file)) {
                cache.load();
            }
            cache.channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            cache.repairTornTail();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the cache " + file + ": " + e.getMessage(), e);
        }
        return cache;
    }

    public Path file() {
        return file;
    }

    public int size() {
        return entries.size();
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** Records an answer; {@code meta} are extra fields for people reading the file (never secrets). */
    public synchronized void put(String key, String value, Map<String, String> meta) {
        if (entries.putIfAbsent(key, value) != null) {
            return;
        }
        ObjectNode line = JSON.createObjectNode();
        line.put("key", key);
        line.put("value", value);
        meta.forEach(line::put);
        try {
            byte[] bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            unsynced++;
            if (System.nanoTime() - lastSync >= syncIntervalNanos) {
                channel.force(false);
                unsynced = 0;
                lastSync = System.nanoTime();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the cache " + file + ": " + e.getMessage(), e);
        }
    }

    /** Makes every appended entry durable. */
    public synchronized void flush() {
        if (unsynced == 0 || channel == null) {
            return;
        }
        try {
            channel.force(false);
            unsynced = 0;
            lastSync = System.nanoTime();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync the cache " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        flush();
        try {
            if (channel != null) {
                channel.close();
                channel = null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void load() throws IOException {
        int skipped = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode node = JSON.readTree(line);
                    JsonNode key = node.get("key");
                    JsonNode value = node.get("value");
                    if (key == null || value == null || !key.isTextual() || !value.isTextual()) {
                        skipped++;
                        continue;
                    }
                    entries.put(key.asText(), value.asText());
                } catch (IOException torn) {
                    skipped++;
                }
            }
        }
        if (skipped > 0) {
            int n = skipped;
            LOG.warning(() -> "cache " + file + ": skipped " + n + " unreadable line(s) (an interrupted write?)");
        }
    }

    /** After a crash mid-line, starts the next append on a fresh line. */
    private void repairTornTail() throws IOException {
        long size = channel.size();
        if (size == 0) {
            return;
        }
        try (FileChannel read = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            read.read(last, size - 1);
            if (last.get(0) != '\n') {
                channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
            }
        }
    }
}
