package hmn.language.caption;

import hmn.cli.BadInputException;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Finds and decodes the images of a collection for captioning, with the JDK's ImageIO (JPEG, PNG, BMP, GIF) into
 * RGB. A small stand-in until the shared image decoder is available here: it does not apply EXIF orientation.
 */
public final class ImageFiles {
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

    /** Decodes one image into TYPE_INT_RGB. */
    public static BufferedImage decode(Path file) {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new BadInputException("cannot decode image " + file + ": " + e.getMessage()
                    + "; remove it or convert it to JPEG or PNG", e);
        }
        if (image == null) {
            throw new BadInputException("cannot decode image " + file + ": not a JPEG, PNG, BMP or GIF;"
                    + " remove it or convert it");
        }
        return toRgb(image);
    }

    static BufferedImage toRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.drawImage(image, 0, 0, java.awt.Color.WHITE, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }

    private static String extension(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
