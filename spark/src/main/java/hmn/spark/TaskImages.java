package hmn.spark;

import hmn.images.ImageSource;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;

/**
 * The image collection as a Spark task opens it: a folder every executor sees at the same path (local mode, a shared
 * file system), or a Hadoop file system's collection ({@link HadoopImages}), which each task reads through that file
 * system.
 */
record TaskImages(String folder, HadoopImages hadoop) implements Serializable {
    static TaskImages of(ImageSource images) {
        return images.folder() != null
                ? new TaskImages(images.folder().toAbsolutePath().toString(), null)
                : new TaskImages(null, new HadoopImages(URI.create(images.location())));
    }

    ImageSource open() {
        return hadoop != null ? hadoop : ImageSource.folder(Path.of(folder));
    }
}
