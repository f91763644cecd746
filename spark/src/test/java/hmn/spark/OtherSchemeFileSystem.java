package hmn.spark;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * Hadoop's local file system under a scheme of its own, {@code otherfs:///PATH}: how {@link HadoopImages} and a
 * {@code --work} URI meet a file system that is not {@code file://} (as {@code hdfs://} or {@code s3a://} would be) without a cluster. It is
 * Hadoop's real local implementation, reached through {@code fs.otherfs.impl} in the tests' core-site.xml.
 */
public class OtherSchemeFileSystem extends RawLocalFileSystem {
    static final String SCHEME = "otherfs";

    /** Every file opened for reading through this file system in this JVM, as local paths (the tests count reads). */
    static final List<String> OPENED = new CopyOnWriteArrayList<>();

    @Override
    public org.apache.hadoop.fs.FSDataInputStream open(Path f, int bufferSize) throws java.io.IOException {
        OPENED.add(local(f).toUri().getPath());
        return super.open(f, bufferSize);
    }

    @Override
    public void initialize(URI uri, Configuration conf) throws java.io.IOException {
        super.initialize(URI.create("file:///"), conf);
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public URI getUri() {
        return URI.create(SCHEME + ":///");
    }

    @Override
    public java.io.File pathToFile(Path path) {
        return super.pathToFile(local(path));
    }

    @Override
    protected void checkPath(Path path) {
        if (path.toUri().getScheme() != null && !SCHEME.equals(path.toUri().getScheme())) {
            throw new IllegalArgumentException("Wrong FS: " + path + ", expected: " + getUri());
        }
    }

    @Override
    public org.apache.hadoop.fs.FileStatus getFileStatus(Path f) throws java.io.IOException {
        return plain(super.getFileStatus(f));
    }

    @Override
    public org.apache.hadoop.fs.FileStatus[] listStatus(Path f) throws java.io.IOException {
        org.apache.hadoop.fs.FileStatus[] all = super.listStatus(f);
        for (int i = 0; i < all.length; i++) {
            all[i] = plain(all[i]);
        }
        return all;
    }

    /**
     * The status without the local implementation's lazy permissions, which it reads from the path as a file:// URI.
     */
    private static org.apache.hadoop.fs.FileStatus plain(org.apache.hadoop.fs.FileStatus s) {
        return new org.apache.hadoop.fs.FileStatus(
                s.getLen(), s.isDirectory(), 1, s.getBlockSize(), s.getModificationTime(), s.getPath());
    }

    /** otherfs:///a/b as the local /a/b. */
    private static Path local(Path path) {
        return path.isAbsolute() ? new Path(path.toUri().getPath()) : path;
    }
}
