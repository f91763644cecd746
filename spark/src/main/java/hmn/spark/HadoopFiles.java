package hmn.spark;

import hmn.core.BadInputException;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.UnsupportedFileSystemException;

/**
 * Hadoop file systems as hmn reaches them for {@code IMAGES_DIR} and {@code --work} URIs: one configuration (the class
 * path's {@code core-site.xml} and the {@code spark.hadoop.*} properties {@code spark-submit} gives the driver, as
 * Spark's own is made), and a scheme with no file system on the class path refused as bad input in one line before
 * anything is read or written.
 */
final class HadoopFiles {
    private static final String SPARK_HADOOP = "spark.hadoop.";

    private HadoopFiles() {}

    /** The Hadoop configuration of this JVM, with {@code spark.hadoop.KEY} system properties set as {@code KEY}. */
    static Configuration configuration() {
        Configuration conf = new Configuration();
        for (Map.Entry<Object, Object> p : System.getProperties().entrySet()) {
            String key = String.valueOf(p.getKey());
            if (key.startsWith(SPARK_HADOOP) && key.length() > SPARK_HADOOP.length()) {
                conf.set(key.substring(SPARK_HADOOP.length()), String.valueOf(p.getValue()));
            }
        }
        return conf;
    }

    /** The file system of {@code uri} ({@code what} names the option, for the message). */
    static FileSystem fileSystem(URI uri, Configuration conf, String what) {
        String scheme = uri.getScheme() == null ? "file" : uri.getScheme().toLowerCase(Locale.ROOT);
        try {
            FileSystem.getFileSystemClass(scheme, conf);
        } catch (UnsupportedFileSystemException | RuntimeException e) {
            // no fs.SCHEME.impl at all, or one Hadoop's defaults name (s3a) whose class is not on the class path
            if (e instanceof RuntimeException && !(e.getCause() instanceof ClassNotFoundException)) {
                throw (RuntimeException) e;
            }
            throw new BadInputException(what + " " + uri + ": no Hadoop file system for the scheme '" + scheme
                    + "' is on the class path; add its connector jar to the spark module's (" + connector(scheme)
                    + "), or give a local or shared folder");
        } catch (IOException e) {
            throw new BadInputException(what + " " + uri + ": " + e.getMessage());
        }
        try {
            return FileSystem.get(uri, conf);
        } catch (IOException | IllegalArgumentException e) {
            throw new BadInputException(what + " " + uri + " cannot be opened (" + e.getMessage()
                    + "); check the URI and the file system's settings");
        }
    }

    private static String connector(String scheme) {
        return switch (scheme) {
            case "s3a" -> "org.apache.hadoop:hadoop-aws 3.4.1 and the AWS SDK v2 bundle";
            case "gs" -> "Google's gcs-connector for Hadoop 3";
            case "abfs", "abfss", "wasb", "wasbs" -> "org.apache.hadoop:hadoop-azure 3.4.1";
            default -> "the jar that provides fs." + scheme + ".impl";
        };
    }
}
