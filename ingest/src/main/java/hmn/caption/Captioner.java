package hmn.caption;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Writes one caption per image. Images arrive decoded, upright (EXIF orientation applied) and in RGB, so every
 * captioner sees the same pixels as the model under study.
 */
public interface Captioner extends AutoCloseable {
    /** Captions a batch; the answer keeps the order of the images. */
    List<String> caption(List<BufferedImage> images);

    /** Provenance stored on each Caption node, e.g. "blip:Salesforce/blip-image-captioning-base". */
    String model();

    /** The batch size this captioner works best with. */
    default int preferredBatchSize() {
        return 8;
    }

    @Override
    default void close() {}
}
