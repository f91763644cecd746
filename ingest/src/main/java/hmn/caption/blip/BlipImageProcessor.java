package hmn.caption.blip;

import java.awt.image.BufferedImage;

/**
 * BLIP's image processor in plain Java: resize to {@code size x size} with bicubic resampling exactly as Pillow
 * does it for 8-bit images (antialiased when shrinking, fixed-point weights, horizontal pass then vertical, each
 * rounded to bytes), rescale by 1/255 and normalise per channel. Output is channel-first (3, size, size).
 */
public final class BlipImageProcessor {
    /** CLIP's mean and standard deviation, which BLIP's preprocessor_config.json uses. */
    public static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};

    public static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

    private static final int PRECISION_BITS = 32 - 8 - 2;

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
        int w = image.getWidth();
        int h = image.getHeight();
        int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
        int[][] planes = new int[3][w * h];
        for (int i = 0; i < rgb.length; i++) {
            planes[0][i] = (rgb[i] >> 16) & 0xff;
            planes[1][i] = (rgb[i] >> 8) & 0xff;
            planes[2][i] = rgb[i] & 0xff;
        }
        float[] out = new float[3 * size * size];
        for (int c = 0; c < 3; c++) {
            int[] resized = resize(planes[c], w, h, size, size);
            int offset = c * size * size;
            for (int i = 0; i < resized.length; i++) {
                out[offset + i] = (resized[i] / 255f - mean[c]) / std[c];
            }
        }
        return out;
    }

    /** Pillow's {@code Image.resize(..., BICUBIC)} on one 8-bit plane. */
    static int[] resize(int[] plane, int inW, int inH, int outW, int outH) {
        int[] current = plane;
        int width = inW;
        if (outW != inW) {
            current = horizontal(current, inW, inH, outW);
            width = outW;
        }
        if (outH != inH) {
            current = vertical(current, width, inH, outH);
        }
        return current;
    }

    private static int[] horizontal(int[] in, int inW, int h, int outW) {
        Coefficients k = Coefficients.of(inW, outW);
        int[] out = new int[outW * h];
        for (int y = 0; y < h; y++) {
            int row = y * inW;
            for (int x = 0; x < outW; x++) {
                int ss = 1 << (PRECISION_BITS - 1);
                int base = x * k.kernelSize;
                for (int i = 0; i < k.count[x]; i++) {
                    ss += in[row + k.start[x] + i] * k.weights[base + i];
                }
                out[y * outW + x] = clip8(ss);
            }
        }
        return out;
    }

    private static int[] vertical(int[] in, int w, int inH, int outH) {
        Coefficients k = Coefficients.of(inH, outH);
        int[] out = new int[w * outH];
        for (int y = 0; y < outH; y++) {
            int base = y * k.kernelSize;
            for (int x = 0; x < w; x++) {
                int ss = 1 << (PRECISION_BITS - 1);
                for (int i = 0; i < k.count[y]; i++) {
                    ss += in[(k.start[y] + i) * w + x] * k.weights[base + i];
                }
                out[y * w + x] = clip8(ss);
            }
        }
        return out;
    }

    private static int clip8(int ss) {
        int v = ss >> PRECISION_BITS;
        return v < 0 ? 0 : Math.min(v, 255);
    }

    private static double bicubic(double x) {
        double a = -0.5;
        x = Math.abs(x);
        if (x < 1.0) {
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0.0;
    }

    /** Pillow's precompute_coeffs for the bicubic filter (support 2), in fixed point. */
    private record Coefficients(int kernelSize, int[] start, int[] count, int[] weights) {
        static Coefficients of(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = 2.0 * filterScale;
            int kernelSize = (int) Math.ceil(support) * 2 + 1;
            int[] start = new int[outSize];
            int[] count = new int[outSize];
            int[] weights = new int[outSize * kernelSize];
            double[] k = new double[kernelSize];
            for (int xx = 0; xx < outSize; xx++) {
                double center = (xx + 0.5) * scale;
                double ss = 1.0 / filterScale;
                int xmin = Math.max((int) (center - support + 0.5), 0);
                int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
                double total = 0;
                for (int x = 0; x < xmax; x++) {
                    double w = bicubic((x + xmin - center + 0.5) * ss);
                    k[x] = w;
                    total += w;
                }
                for (int x = 0; x < xmax; x++) {
                    double w = total != 0 ? k[x] / total : k[x];
                    double scaled = w * (1 << PRECISION_BITS);
                    weights[xx * kernelSize + x] = (int) (scaled < 0 ? scaled - 0.5 : scaled + 0.5);
                }
                start[xx] = xmin;
                count[xx] = xmax;
            }
            return new Coefficients(kernelSize, start, count, weights);
        }
    }
}
