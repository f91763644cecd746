package hmn.bench;

import hmn.demo.SceneGenerator;
import hmn.progress.ProgressBars;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import me.tongfei.progressbar.ProgressBar;

/**
 * Generated JPEGs for the activation benchmarks: the demo's outdoor scenes drawn at any size, with seeded sensor-like
 * grain (so that the files have the entropy, and the decoder the work, of camera photos), saved at quality 90.
 */
final class BenchImages {
    private BenchImages() {}

    /** Writes {@code count} JPEGs of {@code width x height} into {@code dir}; returns their file names. */
    static List<String> write(Path dir, int count, int width, int height, long seed) {
        SceneGenerator scenes = new SceneGenerator(width, height);
        List<String> names = new ArrayList<>();
        SplittableRandom grain = new SplittableRandom(seed);
        String task = "generating " + width + "x" + height + " JPEGs";
        try (ProgressBar bar = ProgressBars.of(task, count, " img", 1, 0)) {
            Files.createDirectories(dir);
            for (long round = 0; names.size() < count; round++) {
                for (SceneGenerator.Scene scene : scenes.generate(1, seed + round)) {
                    if (names.size() == count) {
                        break;
                    }
                    String name = String.format("photo-%04d.jpg", names.size());
                    BufferedImage image = scene.image();
                    addGrain(image, grain);
                    writeJpeg(image, dir.resolve(name), 0.9f);
                    names.add(name);
                    bar.step();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write benchmark images to " + dir, e);
        }
        return names;
    }

    private static void addGrain(BufferedImage image, SplittableRandom random) {
        int w = image.getWidth();
        int[] row = new int[w];
        for (int y = 0; y < image.getHeight(); y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int n = (int) Math.round(random.nextGaussian() * 6);
                int r = clamp(((row[x] >> 16) & 0xFF) + n);
                int g = clamp(((row[x] >> 8) & 0xFF) + n);
                int b = clamp((row[x] & 0xFF) + n);
                row[x] = (r << 16) | (g << 8) | b;
            }
            image.setRGB(0, y, w, 1, row, 0, w);
        }
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static void writeJpeg(BufferedImage image, Path file, float quality) throws IOException {
        BufferedImage rgb = image;
        if (image.getType() != BufferedImage.TYPE_INT_RGB && image.getType() != BufferedImage.TYPE_3BYTE_BGR) {
            rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
            rgb.getGraphics().drawImage(image, 0, 0, null);
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (OutputStream stream = Files.newOutputStream(file);
                ImageOutputStream out = ImageIO.createImageOutputStream(stream)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(rgb, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    /** Deletes a benchmark directory and everything in it. */
    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
