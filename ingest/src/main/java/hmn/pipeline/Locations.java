package hmn.pipeline;

import hmn.core.BadInputException;
import hmn.images.ImageSource;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where {@code IMAGES_DIR} and {@code --work} may be: a path, a {@code file:} URI (the same path), or, with
 * {@code ingest --spark}, the URI of a Hadoop file system ({@code hdfs://}, {@code s3a://} ...). Hadoop images are
 * listed and read through the file system ({@link DistributedStages#images}); a Hadoop {@code --work} holds the Spark
 * tables only ({@code URI/spark/...}), while the driver's own files (appended and resumed in place) stay in a local
 * work directory beside the store.
 */
public final class Locations {
    /** A URI scheme of at least two characters (so that {@code C:\...} stays a path). */
    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]+):.*");

    private Locations() {}

    /** The URI scheme of {@code text} in lower case, or null for a plain path. */
    public static String scheme(String text) {
        Matcher m = SCHEME.matcher(text);
        return m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : null;
    }

    /** {@code text} as a local path (a path, or a {@code file:} URI); null for a URI of another scheme. */
    public static Path local(String text, String what) {
        String scheme = scheme(text);
        if (scheme == null) {
            return Path.of(text);
        }
        if (!scheme.equals("file")) {
            return null;
        }
        try {
            return Path.of(URI.create(text));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(what + " " + text + " is not a usable file: URI (" + e.getMessage()
                    + "); give file:///ABSOLUTE/PATH or a path");
        }
    }

    /**
     * The driver's work directory: {@code --work} when it is local, else (not given, or a Hadoop URI, which only
     * {@code --spark} accepts) the one beside the store.
     */
    public static WorkDir work(String text, Path store, boolean distributed) {
        if (text == null) {
            return WorkDir.besideStore(store);
        }
        Path path = local(text, "--work");
        if (path != null) {
            return new WorkDir(path.toAbsolutePath());
        }
        if (!distributed) {
            throw new BadInputException("--work " + text + " is a " + scheme(text) + ":// URI, where only ingest"
                    + " --spark keeps its tables; give --spark MASTER, or a local or shared folder");
        }
        return WorkDir.besideStore(store);
    }

    /** {@code --work} when it is a Hadoop file system's URI (its {@code spark/} holds the Spark tables), else null. */
    public static String hadoopWork(String text) {
        return text == null || local(text, "--work") != null ? null : text;
    }

    /** The images: a local folder, or a Hadoop file system's collection read through {@code distributed}. */
    public static ImageSource images(String text, DistributedStages distributed) {
        Path path = local(text, "IMAGES_DIR");
        if (path != null) {
            return ImageSource.folder(path);
        }
        if (distributed == null) {
            throw new BadInputException("IMAGES_DIR " + text + " is a " + scheme(text) + ":// URI, which only"
                    + " ingest --spark reads (through Hadoop's file systems); give --spark MASTER or a local folder");
        }
        return distributed.images(URI.create(text));
    }
}
