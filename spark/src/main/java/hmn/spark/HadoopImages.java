package hmn.spark;

import hmn.core.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.UnsupportedFileSystemException;

/**
 * An image collection on a Hadoop file system ({@code hdfs://}, {@code s3a://} ... whatever connector is on the class
 * path), copied to a local folder the stages read: only files that are new or changed (size or modification time)
 * since the last copy are fetched, each through a temporary file, so an interrupted copy is finished by a rerun.
 */
final class HadoopImages {
    private HadoopImages() {}

    static Path copy(URI images, Path local, PrintWriter out) {
        String scheme = images.getScheme().toLowerCase(Locale.ROOT);
        Configuration conf = new Configuration();
        try {
            FileSystem.getFileSystemClass(scheme, conf);
        } catch (UnsupportedFileSystemException | RuntimeException e) {
            // no fs.SCHEME.impl at all, or one Hadoop's defaults name (s3a) whose class is not on the class path
            if (e instanceof RuntimeException && !(e.getCause() instanceof ClassNotFoundException)) {
                throw (RuntimeException) e;
            }
            throw new BadInputException("IMAGES_DIR " + images + ": no Hadoop file system for the scheme '" + scheme
                    + "' is on the class path; add its connector jar to the spark module's (" + connector(scheme)
                    + "), or copy the images to a local or shared folder");
        } catch (IOException e) {
            throw new BadInputException("IMAGES_DIR " + images + ": " + e.getMessage());
        }
        long t0 = System.nanoTime();
        int copied = 0;
        int files = 0;
        try {
            FileSystem fs = FileSystem.get(images, conf);
            org.apache.hadoop.fs.Path root = fs.makeQualified(new org.apache.hadoop.fs.Path(images));
            if (!fs.getFileStatus(root).isDirectory()) {
                throw new BadInputException("IMAGES_DIR " + images + " is not a directory; give the folder of images");
            }
            String prefix = root.toUri().getPath().replaceAll("/+$", "") + "/";
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
            while (it.hasNext()) {
                LocatedFileStatus f = it.next();
                String relative = f.getPath().toUri().getPath().substring(prefix.length());
                Path target = local.resolve(relative).normalize();
                if (!target.startsWith(local)) {
                    continue; // never write outside the copy
                }
                files++;
                if (Files.isRegularFile(target)
                        && Files.size(target) == f.getLen()
                        && Files.getLastModifiedTime(target).toMillis() == f.getModificationTime()) {
                    continue;
                }
                Files.createDirectories(target.getParent());
                Path tmp = target.resolveSibling(target.getFileName() + ".part");
                try (InputStream in = fs.open(f.getPath())) {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.setLastModifiedTime(tmp, FileTime.fromMillis(f.getModificationTime()));
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                copied++;
            }
        } catch (java.io.FileNotFoundException e) {
            throw new BadInputException("IMAGES_DIR " + images + " does not exist; give the folder of images");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the images of " + images + " to " + local, e);
        }
        out.printf(
                Locale.ROOT,
                "spark: %,d files of %s in %s (%,d copied) in %.1f s%n",
                files,
                images,
                local,
                copied,
                (System.nanoTime() - t0) / 1e9);
        out.flush();
        return local;
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
