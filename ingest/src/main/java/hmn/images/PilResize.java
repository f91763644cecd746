package hmn.images;

/**
 * Resizing with antialiasing, bit for bit as Pillow's {@code Image.resize(size, filter)} on 8-bit images: bilinear
 * (the resize torchvision applies to PIL images, and to uint8 tensors with {@code antialias=True}) or bicubic (BLIP's
 * image processor). A separable filter widened by the scale factor when shrinking, coefficients in 22-bit fixed
 * point, a horizontal pass then a vertical pass, each rounded to 8 bits.
 */
public final class PilResize {
    private static final int PRECISION_BITS = 32 - 8 - 2;

    /** Pillow's resampling filters, with their support (radius at scale 1). */
    public enum Filter {
        BILINEAR(1.0),
        BICUBIC(2.0);

        private final double support;

        Filter(double support) {
            this.support = support;
        }

        double weight(double x) {
            x = Math.abs(x);
            if (this == BILINEAR) {
                return x < 1.0 ? 1.0 - x : 0.0;
            }
            double a = -0.5;
            if (x < 1.0) {
                return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
            }
            return x < 2.0 ? (((x - 5) * x + 8) * x - 4) * a : 0.0;
        }
    }

    private PilResize() {}

    /** Resizes an RGB image to {@code outWidth x outHeight} with the bilinear filter. */
    public static RgbImage resize(RgbImage in, int outWidth, int outHeight) {
        return resize(in, outWidth, outHeight, Filter.BILINEAR);
    }

    /** Resizes an RGB image to {@code outWidth x outHeight} with {@code filter}. */
    public static RgbImage resize(RgbImage in, int outWidth, int outHeight, Filter filter) {
        if (outWidth <= 0 || outHeight <= 0) {
            throw new IllegalArgumentException("output size must be positive, got " + outWidth + " x " + outHeight);
        }
        if (outWidth == in.width() && outHeight == in.height()) {
            return in;
        }
        Coefficients horizontal = coefficients(in.width(), outWidth, filter);
        Coefficients vertical = coefficients(in.height(), outHeight, filter);
        boolean needHorizontal = outWidth != in.width();
        boolean needVertical = outHeight != in.height();
        byte[] src = in.pixels();
        int srcWidth = in.width();
        int rowFirst = 0;
        int rows = in.height();
        if (needHorizontal) {
            // Only the rows the vertical pass reads, as Pillow does.
            rowFirst = needVertical ? vertical.bounds[0] : 0;
            int rowLast = needVertical
                    ? vertical.bounds[(outHeight - 1) * 2] + vertical.bounds[(outHeight - 1) * 2 + 1]
                    : in.height();
            rows = rowLast - rowFirst;
            src = horizontalPass(src, srcWidth, rowFirst, rows, outWidth, horizontal);
            srcWidth = outWidth;
        }
        if (!needVertical) {
            return new RgbImage(outWidth, outHeight, src);
        }
        return new RgbImage(outWidth, outHeight, verticalPass(src, srcWidth, rowFirst, outHeight, vertical));
    }

    /**
     * The region {@code [left, left + cropWidth) x [top, top + cropHeight)} of {@link #resize}'s output, computed
     * alone: the same pixels, bit for bit, without the work for the rest (a centre crop of a resized photo keeps about
     * half of it).
     */
    public static RgbImage resizeCrop(
            RgbImage in, int outWidth, int outHeight, int left, int top, int cropWidth, int cropHeight) {
        if (outWidth <= 0 || outHeight <= 0) {
            throw new IllegalArgumentException("output size must be positive, got " + outWidth + " x " + outHeight);
        }
        if (left < 0
                || top < 0
                || cropWidth <= 0
                || cropHeight <= 0
                || left + cropWidth > outWidth
                || top + cropHeight > outHeight) {
            throw new IllegalArgumentException("crop " + cropWidth + " x " + cropHeight + " at (" + left + ", " + top
                    + ") does not fit in " + outWidth + " x " + outHeight);
        }
        if (outWidth == in.width() && outHeight == in.height()) {
            return crop(in, left, top, cropWidth, cropHeight);
        }
        boolean needHorizontal = outWidth != in.width();
        boolean needVertical = outHeight != in.height();
        Coefficients horizontal = needHorizontal
                ? coefficients(in.width(), outWidth, Filter.BILINEAR).slice(left, cropWidth)
                : null;
        Coefficients vertical = needVertical
                ? coefficients(in.height(), outHeight, Filter.BILINEAR).slice(top, cropHeight)
                : null;
        byte[] src = in.pixels();
        int srcWidth = in.width();
        int rowFirst = 0;
        int rows = in.height();
        if (needHorizontal) {
            rowFirst = needVertical ? vertical.bounds[0] : top;
            int rowLast = needVertical
                    ? vertical.bounds[(cropHeight - 1) * 2] + vertical.bounds[(cropHeight - 1) * 2 + 1]
                    : top + cropHeight;
            rows = rowLast - rowFirst;
            src = horizontalPass(src, srcWidth, rowFirst, rows, cropWidth, horizontal);
            srcWidth = cropWidth;
        } else {
            RgbImage columns = crop(in, left, 0, cropWidth, in.height());
            src = columns.pixels();
            srcWidth = cropWidth;
        }
        if (!needVertical) {
            return new RgbImage(cropWidth, cropHeight, src);
        }
        return new RgbImage(cropWidth, cropHeight, verticalPass(src, srcWidth, rowFirst, cropHeight, vertical));
    }

    private static RgbImage crop(RgbImage in, int left, int top, int width, int height) {
        byte[] out = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            System.arraycopy(in.pixels(), ((top + y) * in.width() + left) * 3, out, y * width * 3, width * 3);
        }
        return new RgbImage(width, height, out);
    }

    /** Fixed-point filter weights: for output i, {@code bounds[2i]} is the first input index, {@code bounds[2i+1]} the count. */
    private record Coefficients(int kernelSize, int[] bounds, int[] weights) {
        /** The coefficients of outputs {@code [first, first + count)} only. */
        Coefficients slice(int first, int count) {
            int[] b = java.util.Arrays.copyOfRange(bounds, first * 2, (first + count) * 2);
            int[] w = java.util.Arrays.copyOfRange(weights, first * kernelSize, (first + count) * kernelSize);
            return new Coefficients(kernelSize, b, w);
        }
    }

    private static Coefficients coefficients(int inSize, int outSize, Filter filter) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = filter.support * filterScale;
        int kernelSize = (int) Math.ceil(support) * 2 + 1;
        int[] bounds = new int[outSize * 2];
        int[] weights = new int[outSize * kernelSize];
        double[] k = new double[kernelSize];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            double ss = 1.0 / filterScale;
            int xmin = Math.max((int) (center - support + 0.5), 0);
            int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
            double sum = 0.0;
            for (int x = 0; x < xmax; x++) {
                double w = filter.weight((x + xmin - center + 0.5) * ss);
                k[x] = w;
                sum += w;
            }
            for (int x = 0; x < xmax; x++) {
                double w = sum != 0.0 ? k[x] / sum : k[x];
                weights[xx * kernelSize + x] =
                        w < 0 ? (int) (-0.5 + w * (1 << PRECISION_BITS)) : (int) (0.5 + w * (1 << PRECISION_BITS));
            }
            bounds[xx * 2] = xmin;
            bounds[xx * 2 + 1] = xmax;
        }
        return new Coefficients(kernelSize, bounds, weights);
    }

    private static byte[] horizontalPass(byte[] src, int width, int rowFirst, int rows, int outWidth, Coefficients c) {
        byte[] out = new byte[rows * outWidth * 3];
        int half = 1 << (PRECISION_BITS - 1);
        for (int y = 0; y < rows; y++) {
            int srcRow = (y + rowFirst) * width * 3;
            int dstRow = y * outWidth * 3;
            for (int xx = 0; xx < outWidth; xx++) {
                int xmin = c.bounds[xx * 2];
                int count = c.bounds[xx * 2 + 1];
                int kBase = xx * c.kernelSize;
                int r = half;
                int g = half;
                int b = half;
                int p = srcRow + xmin * 3;
                for (int x = 0; x < count; x++, p += 3) {
                    int w = c.weights[kBase + x];
                    r += (src[p] & 0xFF) * w;
                    g += (src[p + 1] & 0xFF) * w;
                    b += (src[p + 2] & 0xFF) * w;
                }
                int d = dstRow + xx * 3;
                out[d] = clip8(r);
                out[d + 1] = clip8(g);
                out[d + 2] = clip8(b);
            }
        }
        return out;
    }

    private static byte[] verticalPass(byte[] src, int width, int rowFirst, int outHeight, Coefficients c) {
        byte[] out = new byte[outHeight * width * 3];
        int half = 1 << (PRECISION_BITS - 1);
        int rowBytes = width * 3;
        int[] acc = new int[rowBytes];
        for (int yy = 0; yy < outHeight; yy++) {
            int ymin = c.bounds[yy * 2] - rowFirst;
            int count = c.bounds[yy * 2 + 1];
            int kBase = yy * c.kernelSize;
            java.util.Arrays.fill(acc, half);
            for (int y = 0; y < count; y++) {
                int w = c.weights[kBase + y];
                int srcRow = (ymin + y) * rowBytes;
                for (int i = 0; i < rowBytes; i++) {
                    acc[i] += (src[srcRow + i] & 0xFF) * w;
                }
            }
            int dstRow = yy * rowBytes;
            for (int i = 0; i < rowBytes; i++) {
                out[dstRow + i] = clip8(acc[i]);
            }
        }
        return out;
    }

    private static byte clip8(int v) {
        int s = v >> PRECISION_BITS;
        return (byte) (s < 0 ? 0 : Math.min(s, 255));
    }
}
