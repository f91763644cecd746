package hmn.images;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes image files into upright 8-bit RGB, the way torchvision's loader sees them ({@code PIL.Image.open},
 * {@code ImageOps.exif_transpose}, {@code convert("RGB")}): grayscale replicated to three channels, palette images
 * expanded, alpha dropped (not composited, as Pillow's {@code convert("RGB")}), 16-bit samples reduced to their high
 * byte, CMYK JPEGs (ImageIO reads them, Adobe inversion undone) converted to RGB with Pillow's formula, animated images read at their first frame.
 *
 * <p>Anything unusable (empty, not an image, an unsupported format, truncated or corrupt data, more pixels than
 * {@code maxPixels}) is an {@link UnreadableImageException} whose message is the reason to record.
 *
 * <p>With {@code reducedDecodeShorterSide} set, JPEGs much larger than that are decoded with source subsampling so
 * that the shorter side stays at least that size: much faster on camera photos, but the pixels differ from a full
 * decode (see README for the measured effect on activations). Off by default.
 */
public final class ImageDecoder {
    public static final long DEFAULT_MAX_PIXELS = 178_956_970L; // Pillow's decompression-bomb error threshold

    private final long maxPixels;
    private final int reducedDecodeShorterSide;

    private ImageDecoder(Builder b) {
        if (b.maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive, got " + b.maxPixels);
        }
        if (b.reducedDecodeShorterSide < 0) {
            throw new IllegalArgumentException(
                    "reducedDecodeShorterSide must be >= 0, got " + b.reducedDecodeShorterSide);
        }
        this.maxPixels = b.maxPixels;
        this.reducedDecodeShorterSide = b.reducedDecodeShorterSide;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static ImageDecoder defaults() {
        return builder().build();
    }

    public long maxPixels() {
        return maxPixels;
    }

    public static final class Builder {
        private long maxPixels = DEFAULT_MAX_PIXELS;
        private int reducedDecodeShorterSide = 0;

        /** Images with more pixels are refused (a decompression-bomb guard). */
        public Builder maxPixels(long maxPixels) {
            this.maxPixels = maxPixels;
            return this;
        }

        /** 0 (default) decodes in full; otherwise JPEGs are subsampled down to about this shorter side. */
        public Builder reducedDecodeShorterSide(int side) {
            this.reducedDecodeShorterSide = side;
            return this;
        }

        public ImageDecoder build() {
            return new ImageDecoder(this);
        }
    }

    /** Decodes one file. */
    public RgbImage decode(Path file) throws UnreadableImageException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UnreadableImageException("cannot read file: " + e.getMessage(), e);
        }
        return decode(bytes);
    }

    /** Decodes an encoded image held in memory. */
    public RgbImage decode(byte[] bytes) throws UnreadableImageException {
        if (bytes.length == 0) {
            throw new UnreadableImageException("empty file (0 bytes)");
        }
        // held in memory: ImageIO.createImageInputStream would copy the bytes into a temporary file first
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new UnreadableImageException(unknownFormat(bytes));
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width <= 0 || height <= 0) {
                    throw new UnreadableImageException("corrupt: image size " + width + " x " + height);
                }
                if ((long) width * height > maxPixels) {
                    throw new UnreadableImageException("too many pixels: " + width + " x " + height + " = "
                            + (long) width * height + " exceeds the limit of " + maxPixels
                            + " (a decompression-bomb guard; raise it with --max-pixels)");
                }
                boolean jpeg = format.equals("jpeg") || format.equals("jpg");
                ImageReadParam param = reader.getDefaultReadParam();
                int step = 1;
                if (jpeg && reducedDecodeShorterSide > 0) {
                    step = Math.max(1, Math.min(width, height) / reducedDecodeShorterSide);
                    param.setSourceSubsampling(step, step, 0, 0);
                }
                AtomicReference<String> warning = new AtomicReference<>();
                reader.addIIOReadWarningListener(new IIOReadWarningListener() {
                    @Override
                    public void warningOccurred(ImageReader source, String message) {
                        warning.compareAndSet(null, message);
                    }
                });
                RgbImage rgb = toRgb(reader.read(0, param));
                if (warning.get() != null) {
                    throw new UnreadableImageException("truncated or corrupt: " + warning.get());
                }
                return jpeg ? ExifOrientation.apply(rgb, ExifOrientation.ofJpeg(bytes)) : rgb;
            } finally {
                reader.dispose();
            }
        } catch (UnreadableImageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new UnreadableImageException("truncated or corrupt: " + message.strip(), e);
        }
    }

    private static String unknownFormat(byte[] b) {
        String format = sniff(b);
        return format == null
                ? "not an image (unrecognised content)"
                : "unsupported image format: " + format + " (convert it to JPEG or PNG)";
    }

    private static String sniff(byte[] b) {
        if (startsWith(b, 0, "RIFF") && startsWith(b, 8, "WEBP")) {
            return "WebP";
        }
        if (startsWith(b, 4, "ftyp")) {
            String brand = new String(b, 8, Math.min(4, b.length - 8), java.nio.charset.StandardCharsets.US_ASCII);
            return brand.startsWith("avif")
                    ? "AVIF"
                    : brand.startsWith("hei") || brand.startsWith("mif") ? "HEIF" : null;
        }
        if (b.length > 4 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8) {
            return "JPEG variant this decoder cannot read";
        }
        if (startsWith(b, 0, "8BPS")) {
            return "Photoshop PSD";
        }
        return null;
    }

    private static boolean startsWith(byte[] b, int offset, String ascii) {
        if (b.length < offset + ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (b[offset + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Converts any decoded image to 8-bit RGB as Pillow's {@code convert("RGB")} would. */
    static RgbImage toRgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[w * h * 3];
        if (img.getType() == BufferedImage.TYPE_3BYTE_BGR
                && img.getRaster().getDataBuffer() instanceof DataBufferByte db
                && img.getRaster().getParent() == null) {
            byte[] bgr = db.getData();
            for (int i = 0; i < out.length; i += 3) {
                out[i] = bgr[i + 2];
                out[i + 1] = bgr[i + 1];
                out[i + 2] = bgr[i];
            }
            return new RgbImage(w, h, out);
        }
        ColorModel cm = img.getColorModel();
        Raster raster = img.getRaster();
        if (cm instanceof IndexColorModel icm) {
            int[] idx = raster.getSamples(0, 0, w, h, 0, (int[]) null);
            for (int i = 0; i < idx.length; i++) {
                out[i * 3] = (byte) icm.getRed(idx[i]);
                out[i * 3 + 1] = (byte) icm.getGreen(idx[i]);
                out[i * 3 + 2] = (byte) icm.getBlue(idx[i]);
            }
            return new RgbImage(w, h, out);
        }
        int bands = raster.getNumBands();
        if (cm.getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_CMYK && bands == 4) {
            int[] px = new int[4];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    raster.getPixel(x, y, px);
                    int d = (y * w + x) * 3;
                    for (int c = 0; c < 3; c++) {
                        out[d + c] = (byte) cmykToRgb(px[c], px[3]);
                    }
                }
            }
            return new RgbImage(w, h, out);
        }
        boolean gray = cm.getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY || bands < 3;
        int[] bits = cm.getComponentSize();
        int[] row = new int[w];
        for (int c = 0; c < 3; c++) {
            int band = gray ? 0 : c;
            int depth = bits[band];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, band, row);
                for (int x = 0; x < w; x++) {
                    out[(y * w + x) * 3 + c] = (byte) to8(row[x], depth);
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    /** Pillow's cmyk2rgb: nk = 255 - k; value = nk - c * nk / 255, with Pillow's MULDIV255 rounding. */
    private static int cmykToRgb(int c, int k) {
        int nk = 255 - k;
        int tmp = c * nk + 128;
        int v = nk - (((tmp >> 8) + tmp) >> 8);
        return v < 0 ? 0 : Math.min(v, 255);
    }

    private static int to8(int v, int depth) {
        if (depth == 8) {
            return v;
        }
        if (depth > 8) {
            return v >>> (depth - 8);
        }
        return v * 255 / ((1 << depth) - 1);
    }
}
