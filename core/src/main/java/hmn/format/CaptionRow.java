package hmn.format;

import java.util.Objects;

/**
 * One image's caption.
 *
 * @param image the image's path relative to IMAGES_DIR, '/' separators
 */
public record CaptionRow(String image, String caption) {
    public CaptionRow {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(caption, "caption");
    }
}
