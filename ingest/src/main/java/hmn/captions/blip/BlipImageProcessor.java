package hmn.captions.blip;

import hmn.images.PilResize;
import hmn.images.RgbImage;
import java.awt.image.BufferedImage;

/**
 * BLIP's image processor in plain Java: resize to {@code size x size} with bicubic resampling exactly as Pillow
 * does it for 8-bit images ({@link PilResize}), rescale by 1/255 and normalise per channel. Output is channel-first
 * (3, size, size).
 */
public final class BlipImageProcessor {
    /** CLIP's mean and standard deviation, which BLIP's preprocessor_config.json uses. */
    public static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};

    public static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

    private final int size;
    private final float[] mean;
    private final float[] std;

    public BlipImageProcessor(int size) {
        this(size, MEAN, STD);
    }

    public BlipImageProcessor(int size, float[] mean, float[] std) {
        if (size <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + size);
        }
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("mean and std need 3 values (R, G, B)");
        }
        this.size = size;
        this.mean = mean.clone();
        this.std = std.clone();
    }

    public int size() {
        return size;
    }

    /** The normalised pixels of one image, channel-first: index {@code c * size * size + y * size + x}. */
    public float[] process(BufferedImage image) {
        byte[] resized = resize(image, size, size).pixels();
        float[] out = new float[3 * size * size];
        int plane = size * size;
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                out[c * plane + i] = ((resized[i * 3 + c] & 0xff) / 255f - mean[c]) / std[c];
            }
        }
        return out;
    }

    /** Pillow's {@code Image.resize((w, h), BICUBIC)} of an image's RGB pixels. */
    static RgbImage resize(BufferedImage image, int w, int h) {
        int width = image.getWidth();
        int height = image.getHeight();
        int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
        byte[] rgb = new byte[argb.length * 3];
        for (int i = 0; i < argb.length; i++) {
            rgb[i * 3] = (byte) (argb[i] >> 16);
            rgb[i * 3 + 1] = (byte) (argb[i] >> 8);
            rgb[i * 3 + 2] = (byte) argb[i];
        }
        return PilResize.resize(new RgbImage(width, height, rgb), w, h, PilResize.Filter.BICUBIC);
    }
}
