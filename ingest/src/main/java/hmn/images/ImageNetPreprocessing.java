package hmn.images;

/**
 * torchvision's ImageNet evaluation transform, exactly: {@code Resize(shorter)} (bilinear, antialiased, the long
 * side truncated as torchvision computes it), {@code CenterCrop(crop)} (offsets rounded half to even, as Python's
 * {@code round}), {@code ToTensor()} and {@code Normalize(mean, std)} in float32. The result is a CHW float array.
 */
public record ImageNetPreprocessing(int resizeShorter, int crop, float[] mean, float[] std) {
    public static final ImageNetPreprocessing IMAGENET = new ImageNetPreprocessing(
            256, 224, new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

    public ImageNetPreprocessing {
        if (resizeShorter <= 0 || crop <= 0) {
            throw new IllegalArgumentException("resize and crop must be positive, got " + resizeShorter + ", " + crop);
        }
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("mean and std need 3 values (R, G, B)");
        }
    }

    /** A plain description (for run records). */
    public java.util.Map<String, Object> describe() {
        return java.util.Map.of(
                "resizeShorter",
                resizeShorter,
                "crop",
                crop,
                "interpolation",
                "bilinear-antialias",
                "mean",
                java.util.List.of(mean[0], mean[1], mean[2]),
                "std",
                java.util.List.of(std[0], std[1], std[2]));
    }

    /** The values per image: 3 x crop x crop. */
    public int tensorSize() {
        return 3 * crop * crop;
    }

    /** The size torchvision's {@code Resize(resizeShorter)} gives an image of {@code width x height}: {w, h}. */
    public int[] resizedSize(int width, int height) {
        if (width <= height) {
            return new int[] {resizeShorter, (int) ((long) resizeShorter * height / width)};
        }
        return new int[] {(int) ((long) resizeShorter * width / height), resizeShorter};
    }

    /** Resizes, crops and normalises into {@code out} (CHW) from {@code offset}. */
    public void apply(RgbImage image, float[] out, int offset) {
        apply(image, out, offset, false);
    }

    /** As {@link #apply(RgbImage, float[], int)}, in HWC order (channels-last) when {@code channelsLast}. */
    public void apply(RgbImage image, float[] out, int offset, boolean channelsLast) {
        int[] size = resizedSize(image.width(), image.height());
        int w = size[0];
        int h = size[1];
        if (w < crop || h < crop) {
            throw new IllegalArgumentException("resized image " + w + " x " + h + " is smaller than the crop " + crop);
        }
        int top = (int) Math.rint((h - crop) / 2.0);
        int left = (int) Math.rint((w - crop) / 2.0);
        // only the centre crop of the resize is computed (the same pixels as resizing all, then cropping)
        byte[] px = PilResize.resizeCrop(image, w, h, left, top, crop, crop).pixels();
        int plane = crop * crop;
        for (int y = 0; y < crop; y++) {
            int src = y * crop * 3;
            for (int x = 0; x < crop; x++, src += 3) {
                for (int c = 0; c < 3; c++) {
                    float v = (px[src + c] & 0xFF) / 255f;
                    int dst = channelsLast ? offset + (y * crop + x) * 3 + c : offset + c * plane + y * crop + x;
                    out[dst] = (v - mean[c]) / std[c];
                }
            }
        }
    }

    public float[] apply(RgbImage image) {
        float[] out = new float[tensorSize()];
        apply(image, out, 0);
        return out;
    }
}
