package hmn.images;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The files of an image collection, as every stage lists them: each regular, non-hidden file under the folder
 * (recursively), except text and data files that sit beside images (csv, txt, json, ...), in sorted order. Every
 * listed file is a candidate image; one that cannot be decoded is skipped later, with its reason. A file is known by
 * its id: its path relative to the folder, with {@code /} separators.
 */
public final class CollectionFiles {
    /** Extensions of files that are never images: captions, lists, notes, arrays. */
    public static final Set<String> NOT_IMAGES =
            Set.of("csv", "tsv", "txt", "json", "jsonl", "md", "npy", "yaml", "yml");

    private CollectionFiles() {}

    /** The candidate image files under {@code dir}, sorted. */
    public static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> !p.equals(dir))
                    .filter(p -> !hidden(dir.relativize(p)))
                    .filter(Files::isRegularFile)
                    .filter(p -> !NOT_IMAGES.contains(extension(p.getFileName().toString())))
                    .sorted()
                    .toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The ids of the candidate image files under {@code dir}, sorted. */
    public static List<String> ids(Path dir) {
        try {
            return files(dir).stream().map(f -> id(dir, f)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A file's id: its path relative to {@code dir}, with {@code /} separators. */
    public static String id(Path dir, Path file) {
        return dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    /**
     * Whether the file with this id (its path relative to the collection, {@code /} separators) is a candidate image
     * by the rules of {@link #files}: no hidden part, not a text or data file. For collections listed elsewhere than
     * on a local disk (a Hadoop file system); sorted as strings, the ids are in the order the pipeline's inventory gives.
     */
    public static boolean candidate(String id) {
        for (String part : id.split("/")) {
            if (part.startsWith(".")) {
                return false;
            }
        }
        return !id.isEmpty() && !NOT_IMAGES.contains(extension(id.substring(id.lastIndexOf('/') + 1)));
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
