package hmn.captions;

import hmn.core.BadInputException;
import hmn.images.CollectionFiles;
import hmn.images.ImageDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Finds the images of a collection for captioning; {@link #DECODER} decodes them as every model sees them. */
public final class ImageFiles {
    /** The shared decoder: upright (EXIF orientation applied) and in RGB. */
    static final ImageDecoder DECODER = ImageDecoder.defaults();

    private ImageFiles() {}

    /** The collection's candidate image files under {@code dir}, as ids, sorted ({@link CollectionFiles}). */
    public static List<String> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException("IMAGES_DIR " + dir + " is not a directory; give the folder of images");
        }
        return CollectionFiles.ids(dir);
    }
}
