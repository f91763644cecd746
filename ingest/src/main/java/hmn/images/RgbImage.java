package hmn.images;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * A decoded, upright 8-bit RGB image: {@code pixels} holds {@code width * height * 3} bytes, row by row, R G B.
 * Every stage of the pipeline (captioners, the model under study) sees these same pixels.
 */
public record RgbImage(int width, int height, byte[] pixels) {
    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + " x " + height);
        }
        if (pixels.length != (long) width * height * 3) {
            throw new IllegalArgumentException("pixels holds " + pixels.length + " bytes, " + width + " x " + height
                    + " RGB needs " + (long) width * height * 3);
        }
    }

    /** The value (0..255) of channel {@code c} (0 = R) at column x, row y. */
    public int get(int x, int y, int c) {
        return pixels[(y * width + x) * 3 + c] & 0xFF;
    }

    /** A {@link BufferedImage} copy (TYPE_3BYTE_BGR), e.g. for a captioner. */
    public BufferedImage toBufferedImage() {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < pixels.length; i += 3) {
            bgr[i] = pixels[i + 2];
            bgr[i + 1] = pixels[i + 1];
            bgr[i + 2] = pixels[i];
        }
        return out;
    }
}
