package hmn.pipeline;

import hmn.core.BadInputException;
import hmn.images.CollectionFiles;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The images of a collection, as {@link CollectionFiles} lists them, each with the SHA-256 of its bytes. Hashes
 * are remembered in the work directory by (path, size, modification time), so a re-run hashes only new or changed
 * files.
 */
public final class ImageInventory {
    /** One image file. */
    public record Entry(String id, Path file, long size, long modified, String sha256) {}

    private final Path root;
    private final List<Entry> entries;

    private ImageInventory(Path root, List<Entry> entries) {
        this.root = root;
        this.entries = List.copyOf(entries);
    }

    public Path root() {
        return root;
    }

    public List<Entry> entries() {
        return entries;
    }

    public int size() {
        return entries.size();
    }

    /**
     * Scans {@code imagesDir}; {@code hashCache} (a TSV file in the work directory, may not exist yet) remembers
     * hashes between runs and is rewritten atomically.
     */
    public static ImageInventory scan(Path imagesDir, Path hashCache) {
        if (!Files.isDirectory(imagesDir)) {
            throw new BadInputException(imagesDir + ": not a directory; give the folder that holds the images");
        }
        if (!Files.isReadable(imagesDir)) {
            throw new BadInputException(imagesDir + ": directory is not readable; check its permissions");
        }
        Map<String, Entry> known = readCache(hashCache);
        List<Path> files;
        try {
            files = CollectionFiles.files(imagesDir);
        } catch (IOException e) {
            throw unreadable(imagesDir, e);
        }
        List<Entry> entries = new ArrayList<>(files.size());
        for (Path file : files) {
            String id = CollectionFiles.id(imagesDir, file);
            try {
                BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
                long modified = attrs.lastModifiedTime().toMillis();
                Entry cached = known.get(id);
                String sha = cached != null && cached.size() == attrs.size() && cached.modified() == modified
                        ? cached.sha256()
                        : sha256(file);
                entries.add(new Entry(id, file, attrs.size(), modified, sha));
            } catch (IOException e) {
                throw unreadable(file, e);
            }
        }
        entries.sort(java.util.Comparator.comparing(Entry::id));
        writeCache(hashCache, entries);
        return new ImageInventory(imagesDir, entries);
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static BadInputException unreadable(Path path, Throwable cause) {
        String why = cause instanceof AccessDeniedException ? "permission denied" : String.valueOf(cause.getMessage());
        return new BadInputException(path + ": cannot be read (" + why + "); check that it exists and is readable");
    }

    /**
     * What an earlier scan recorded in {@code cache} (the work directory's {@code inventory.tsv}): each image's size,
     * time and sha256, by id (the entries have no file); empty when there is no readable cache.
     */
    public static Map<String, Entry> readCache(Path cache) {
        Map<String, Entry> known = new HashMap<>();
        if (cache == null || !Files.isRegularFile(cache)) {
            return known;
        }
        try (BufferedReader in = Files.newBufferedReader(cache, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                String[] f = line.split("\t");
                if (f.length == 4) {
                    try {
                        known.put(f[0], new Entry(f[0], null, Long.parseLong(f[1]), Long.parseLong(f[2]), f[3]));
                    } catch (NumberFormatException ignored) {
                        // a damaged line only costs a re-hash
                    }
                }
            }
        } catch (IOException e) {
            return new HashMap<>(); // the cache is an optimisation: rebuild it
        }
        return known;
    }

    private static void writeCache(Path cache, List<Entry> entries) {
        if (cache == null) {
            return;
        }
        try {
            Files.createDirectories(cache.toAbsolutePath().getParent());
            Path tmp = cache.resolveSibling(cache.getFileName() + ".tmp");
            try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                for (Entry e : entries) {
                    out.write(e.id() + "\t" + e.size() + "\t" + e.modified() + "\t" + e.sha256() + "\n");
                }
            }
            Files.move(tmp, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            throw new BadInputException(cache.getParent() + ": work directory cannot be created; check the path");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + cache, e);
        }
    }
}
