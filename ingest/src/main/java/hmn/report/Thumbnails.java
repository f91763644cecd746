package hmn.report;

import hmn.images.ImageDecoder;
import hmn.images.UnreadableImageException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.imageio.ImageIO;

/**
 * JPEG thumbnails (long side at most {@link #SIDE} px) of the collection's images, written once under a directory
 * and reused while newer than their source. An image that cannot be read gets the placeholder instead.
 */
public final class Thumbnails {
    public static final int SIDE = 160;
    /** The placeholder's file name, under the thumbnails' directory. */
    public static final String PLACEHOLDER = "missing.svg";

    private final Path imagesDir;
    private final Path dir;
    private final ImageDecoder decoder = ImageDecoder.defaults();

    /** What {@link #thumbnail} did. */
    public enum Outcome {
        WRITTEN,
        REUSED,
        PLACEHOLDER
    }

    /** A thumbnail's file name relative to the report's root, and what was done. */
    public record Thumbnail(String path, Outcome outcome) {}

    /** Thumbnails of images under {@code imagesDir} (null: none, all placeholders), written to {@code dir}. */
    public Thumbnails(Path imagesDir, Path dir) {
        this.imagesDir = imagesDir;
        this.dir = dir;
    }

    /** Thumbnails written, reused and replaced by the placeholder so far, each image counted once. */
    public record Counts(int written, int reused, int placeholders) {}

    private final java.util.Map<String, Outcome> seen = new java.util.concurrent.ConcurrentHashMap<>();

    public Counts counts() {
        int[] n = new int[3];
        seen.values().forEach(o -> n[o.ordinal()]++);
        return new Counts(n[0], n[1], n[2]);
    }

    /** The original image of id {@code image}, or null without an images directory. */
    public Path source(String image) {
        return imagesDir == null ? null : imagesDir.resolve(image).normalize();
    }

    /** The thumbnail of {@code image}, relative to the directory above {@code dir}. */
    public Thumbnail thumbnail(String image) {
        Thumbnail t = make(image);
        seen.putIfAbsent(image, t.outcome());
        return t;
    }

    private Thumbnail make(String image) {
        String name = dir.getFileName() + "/" + name(image);
        Path source = source(image);
        Path target = dir.resolve(name(image));
        try {
            Files.createDirectories(dir);
            writePlaceholder();
            if (source == null || !Files.isRegularFile(source) || !source.startsWith(imagesDir.normalize())) {
                return new Thumbnail(dir.getFileName() + "/" + PLACEHOLDER, Outcome.PLACEHOLDER);
            }
            if (Files.isRegularFile(target)
                    && Files.getLastModifiedTime(target).compareTo(Files.getLastModifiedTime(source)) > 0) {
                return new Thumbnail(name, Outcome.REUSED);
            }
            BufferedImage full = decoder.decode(source).toBufferedImage();
            BufferedImage small = scale(full);
            Path tmp = Files.createTempFile(dir, ".thumb", ".jpg");
            try {
                if (!ImageIO.write(small, "jpg", tmp.toFile())) {
                    throw new IOException("no JPEG writer");
                }
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return new Thumbnail(name, Outcome.WRITTEN);
        } catch (UnreadableImageException | RuntimeException e) {
            return new Thumbnail(dir.getFileName() + "/" + PLACEHOLDER, Outcome.PLACEHOLDER);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the thumbnail of " + image + " to " + target, e);
        }
    }

    private void writePlaceholder() throws IOException {
        Path p = dir.resolve(PLACEHOLDER);
        if (!Files.exists(p)) {
            Files.writeString(
                    p,
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"160\" height=\"120\">"
                            + "<rect width=\"160\" height=\"120\" fill=\"#ddd\"/><text x=\"80\" y=\"64\" font-size=\"13\""
                            + " text-anchor=\"middle\" fill=\"#666\" font-family=\"sans-serif\">image not readable</text></svg>",
                    StandardCharsets.UTF_8);
        }
    }

    /** The thumbnail's file name: a hash of the image id (ids are paths, possibly with odd characters). */
    static String name(String image) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(image.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 10) + ".jpg";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BufferedImage scale(BufferedImage full) {
        double f = Math.min(1.0, (double) SIDE / Math.max(full.getWidth(), full.getHeight()));
        int w = Math.max(1, (int) Math.round(full.getWidth() * f));
        int h = Math.max(1, (int) Math.round(full.getHeight() * f));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        // step down by halves for a smoother result on large images
        BufferedImage src = full;
        while (src.getWidth() / 2 >= w * 2 && src.getHeight() / 2 >= h * 2) {
            BufferedImage half = new BufferedImage(src.getWidth() / 2, src.getHeight() / 2, BufferedImage.TYPE_INT_RGB);
            Graphics2D hg = half.createGraphics();
            hg.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            hg.drawImage(src, 0, 0, half.getWidth(), half.getHeight(), null);
            hg.dispose();
            src = half;
        }
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return out;
    }
}
