package hmn.demo;

import hmn.format.CaptionRow;
import hmn.format.CaptionsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes the demo's sample collection: generated scenes as JPEG files plus {@code true-captions.csv} (header
 * {@code image,caption}), the captions the scenes were drawn from.
 *
 * <p>The collection bundled in {@code demo/images} was written by {@code SampleSet.main(["demo/images"])}.
 */
public final class SampleSet {
    public static final int WIDTH = 320;
    public static final int HEIGHT = 240;
    public static final int PER_KIND = 10;
    public static final long SEED = 2025L;
    public static final String TRUE_CAPTIONS = "true-captions.csv";

    private SampleSet() {}

    public static List<SceneGenerator.Scene> write(Path dir, int perKind, long seed) throws IOException {
        Files.createDirectories(dir);
        List<SceneGenerator.Scene> scenes = new SceneGenerator(WIDTH, HEIGHT).generate(perKind, seed);
        List<CaptionRow> captions = new ArrayList<>(scenes.size());
        for (SceneGenerator.Scene scene : scenes) {
            writeJpeg(scene, dir.resolve(scene.name()));
            captions.add(new CaptionRow(scene.name(), scene.caption()));
        }
        CaptionsFile.write(dir.resolve(TRUE_CAPTIONS), captions);
        return scenes;
    }

    public static void writeJpeg(SceneGenerator.Scene scene, Path file) throws IOException {
        writeJpeg(scene.image(), file);
    }

    /** Writes {@code image} as a JPEG of quality 0.88. */
    public static void writeJpeg(java.awt.image.BufferedImage image, Path file) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        ImageWriter writer = writers.next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.88f);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "demo/images");
        List<SceneGenerator.Scene> scenes = write(dir, PER_KIND, SEED);
        System.out.println("wrote " + scenes.size() + " scenes to " + dir);
    }
}
