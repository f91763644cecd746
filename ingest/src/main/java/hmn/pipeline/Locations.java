package hmn.pipeline;

import hmn.core.BadInputException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where {@code IMAGES_DIR} and {@code --work} may be: a path, a {@code file:} URI (the same path), or, for the
 * images, the URI of a Hadoop file system ({@code hdfs://}, {@code s3a://} ...), which only {@code ingest --spark}
 * can read ({@link DistributedStages#copyImages}).
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

    /** The work directory: a path or a {@code file:} URI; it is written in place, so nothing else will do. */
    public static Path work(String text) {
        Path path = local(text, "--work");
        if (path == null) {
            throw new BadInputException("--work " + text + ": the work directory must be a local or shared folder (a"
                    + " path or a file:// URI), since its stages append and resume in place; give one, and copy it to "
                    + scheme(text) + ":// afterwards if you need it there");
        }
        return path;
    }

    /** The images folder; a Hadoop URI is copied to the work directory by {@code distributed} (null: refused). */
    public static Path images(String text, WorkDir work, DistributedStages distributed) {
        Path path = local(text, "IMAGES_DIR");
        if (path != null) {
            return path;
        }
        if (distributed == null) {
            throw new BadInputException("IMAGES_DIR " + text + " is a " + scheme(text) + ":// URI, which only"
                    + " ingest --spark reads (through Hadoop's file systems); give --spark MASTER or a local folder");
        }
        return distributed.copyImages(URI.create(text), work);
    }
}
