package hmn.pipeline;

import hmn.core.BadInputException;
import hmn.images.CollectionFiles;
import hmn.images.ImageSource;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The images of a collection, as {@link CollectionFiles} lists them (or {@link ImageSource} on a Hadoop file system), each with the SHA-256 of its bytes. Hashes
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

    /** The local folder; null for a collection on a Hadoop file system. */
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
        return scan(ImageSource.folder(imagesDir), hashCache);
    }

    /**
     * Lists {@code images} (a local folder, or a Hadoop file system's collection for {@code ingest --spark}) and
     * hashes what {@code hashCache} does not remember by id, size and modification time.
     */
    public static ImageInventory scan(ImageSource images, Path hashCache) {
        Map<String, Entry> known = readCache(hashCache);
        List<ImageSource.Listed> listed;
        try {
            listed = images.list();
        } catch (IOException e) {
            throw unreadable(images.location(), e);
        }
        Path folder = images.folder();
        List<Entry> entries = new ArrayList<>(listed.size());
        for (ImageSource.Listed f : listed) {
            Path file = folder == null ? null : folder.resolve(f.id());
            Entry cached = known.get(f.id());
            try {
                String sha = cached != null && cached.size() == f.size() && cached.modified() == f.modified()
                        ? cached.sha256()
                        : images.sha256(f.id());
                entries.add(new Entry(f.id(), file, f.size(), f.modified(), sha));
            } catch (IOException e) {
                throw unreadable(file != null ? file.toString() : images.location() + "/" + f.id(), e);
            }
        }
        entries.sort(java.util.Comparator.comparing(Entry::id));
        writeCache(hashCache, entries);
        return new ImageInventory(folder, entries);
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

    private static BadInputException unreadable(Object path, Throwable cause) {
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
