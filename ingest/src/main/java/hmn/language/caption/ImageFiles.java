package hmn.language.caption;

import hmn.cli.BadInputException;
import hmn.images.ImageDecoder;
import hmn.images.UnreadableImageException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** Finds the images of a collection for captioning and decodes them as every model sees them. */
public final class ImageFiles {
    private static final ImageDecoder DECODER = ImageDecoder.defaults();
    private static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");

    private ImageFiles() {}

    /** The images under {@code dir}, as paths relative to it with '/' separators, sorted. */
    public static List<String> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException("IMAGES_DIR " + dir + " is not a directory; give the folder of images");
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> EXTENSIONS.contains(extension(p)))
                    .map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Decodes one image, upright (EXIF orientation applied) and in RGB, with the shared {@link ImageDecoder}. */
    public static BufferedImage decode(Path file) {
        try {
            return DECODER.decode(file).toBufferedImage();
        } catch (UnreadableImageException e) {
            throw new BadInputException("cannot decode image " + file + ": " + e.getMessage()
                    + "; remove it or convert it to JPEG or PNG", e);
        }
    }

    private static String extension(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
