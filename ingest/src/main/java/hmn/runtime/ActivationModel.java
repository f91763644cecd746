package hmn.runtime;

import hmn.io.FloatMatrix;
import java.util.List;
import java.util.Map;

/**
 * A model under study, reduced to what the pipeline needs: run a batch of preprocessed images, get one activation
 * per channel of each requested layer (the spatial mean for feature maps, the values themselves for vectors).
 */
public interface ActivationModel extends AutoCloseable {
    /** The requested layers, in forward order, with their channel counts. */
    Map<String, Integer> layers();

    /** Where the weights came from, for the graph's model node (e.g. "torchvision:IMAGENET1K_V1 sha256=..."). */
    String provenance();

    /** The per-image input: channels, height, width. */
    int[] inputShape();

    /** True when {@link #activations} wants each image as HWC (channels-last) rather than CHW. */
    boolean channelsLastInput();

    /**
     * Runs {@code count} images laid out one after another in {@code input}; returns, per requested layer, a
     * {@code count x channels} matrix.
     */
    Map<String, FloatMatrix> activations(float[] input, int count);

    /** The layer names a user may request. */
    List<String> availableLayers();

    @Override
    void close();
}
