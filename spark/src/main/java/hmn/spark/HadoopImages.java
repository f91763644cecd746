package hmn.spark;

import hmn.core.BadInputException;
import hmn.images.CollectionFiles;
import hmn.images.ImageSource;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * An image collection on a Hadoop file system ({@code hdfs://}, {@code s3a://} ... whatever connector is on the class
 * path), listed by the driver and opened by the driver and the executors through that file system, so that no machine
 * needs a local copy. The ids and their order are the local listing's ({@link CollectionFiles#candidate}, sorted). It
 * travels to the executors with the driver's Hadoop configuration.
 */
final class HadoopImages implements ImageSource, Serializable {
    private static final long serialVersionUID = 1L;

    private final URI root;
    private transient Configuration conf;
    private transient FileSystem fs;

    /** The collection at {@code root}; bad input when no file system for its scheme is on the class path. */
    HadoopImages(URI root) {
        this.root = root;
        this.conf = HadoopFiles.configuration();
        fs();
    }

    private FileSystem fs() {
        if (fs == null) {
            fs = HadoopFiles.fileSystem(root, conf, "IMAGES_DIR");
        }
        return fs;
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public Path folder() {
        return null;
    }

    @Override
    public List<Listed> list() throws IOException {
        org.apache.hadoop.fs.Path dir = fs().makeQualified(new org.apache.hadoop.fs.Path(root));
        FileStatus status;
        try {
            status = fs().getFileStatus(dir);
        } catch (FileNotFoundException e) {
            throw new BadInputException("IMAGES_DIR " + root + " does not exist; give the folder of images");
        }
        if (!status.isDirectory()) {
            throw new BadInputException("IMAGES_DIR " + root + " is not a directory; give the folder of images");
        }
        String prefix = dir.toUri().getPath().replaceAll("/+$", "") + "/";
        List<Listed> listed = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> it = fs().listFiles(dir, true);
        while (it.hasNext()) {
            LocatedFileStatus f = it.next();
            String path = f.getPath().toUri().getPath();
            if (!path.startsWith(prefix)) {
                continue;
            }
            String id = path.substring(prefix.length());
            if (CollectionFiles.candidate(id)) {
                listed.add(new Listed(id, f.getLen(), f.getModificationTime()));
            }
        }
        listed.sort(Comparator.comparing(Listed::id));
        return listed;
    }

    @Override
    public InputStream open(String id) throws IOException {
        return fs().open(file(id));
    }

    private org.apache.hadoop.fs.Path file(String id) {
        return new org.apache.hadoop.fs.Path(root.toString().replaceAll("/+$", "") + "/" + id);
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        conf.write(out);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        conf = new Configuration(false);
        conf.readFields(in);
    }
}
