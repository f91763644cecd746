package hmn.captions;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Writes one caption per image. Images arrive decoded, upright (EXIF orientation applied) and in RGB, so every
 * captioner sees the same pixels as the model under study.
 */
public interface Captioner extends AutoCloseable {
    /** Captions a batch; the answer keeps the order of the images. */
    List<String> caption(List<BufferedImage> images);

    /** One image's outcome: its caption, or why the captioner could give none. */
    record Outcome(String caption, String failure) {
        public static Outcome of(String caption) {
            return new Outcome(caption, null);
        }

        public static Outcome failed(String reason) {
            return new Outcome(null, reason);
        }

        public boolean ok() {
            return failure == null;
        }
    }

    /**
     * Captions a batch image by image: an image that gets no acceptable caption (after the captioner's own retries)
     * is a failed outcome, not an exception; a fault that would fail every image (e.g. the service is unreachable)
     * still throws. By default every image succeeds or the whole batch throws, as {@link #caption} does.
     */
    default List<Outcome> captionEach(List<BufferedImage> images) {
        return caption(images).stream().map(Outcome::of).toList();
    }

    /** Provenance stored on each Caption node, e.g. "blip:Salesforce/blip-image-captioning-base". */
    String model();

    /** The batch size this captioner works best with. */
    default int preferredBatchSize() {
        return 8;
    }

    @Override
    default void close() {}
}
