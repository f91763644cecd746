package hmn.runtime.onnx;

/**
 * A model under study as {@code hmn validate} ablates it: a head computes, once per image, what the ablated layer's
 * channels are read from (the layer's feature map, or the image itself when the network cannot be cut there), and a
 * tail computes the model's output with each channel c of image i replaced by {@code value * keep[i, c] + fill[i,
 * c]}.
 */
public interface AblatableNetwork extends AutoCloseable {
    /** The ablated layer's channel count. */
    int channels();

    /** Values per image that {@link #features} returns and {@link #logits} takes. */
    int featureSize();

    /** Values per preprocessed input image (CHW). */
    int inputSize();

    /** The model's output count. */
    int outputs();

    /** What the tail starts from, for {@code count} preprocessed images. */
    float[] features(float[] images, int count);

    /** The outputs of {@code count} images with the channels replaced ({@code keep}, {@code fill}: count x channels). */
    float[] logits(float[] features, float[] keep, float[] fill, int count);

    @Override
    void close();
}
