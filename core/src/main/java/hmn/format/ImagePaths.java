package hmn.format;

/** Image paths in the files of the contract: relative to IMAGES_DIR, with '/' separators. */
public final class ImagePaths {
    private ImagePaths() {}

    /**
     * Checks an image path: relative to IMAGES_DIR, '/' separators, no '..', no empty segment. Returns a reason it is
     * not well formed, or null.
     */
    public static String problem(String image) {
        if (image.isBlank()) {
            return "the image path is empty";
        }
        if (!image.equals(image.strip())) {
            return "the image path '" + image + "' has leading or trailing spaces";
        }
        if (image.indexOf('\\') >= 0) {
            return "the image path '" + image + "' uses '\\'; write it with '/' separators";
        }
        if (image.startsWith("/")) {
            return "the image path '" + image + "' is absolute; write it relative to IMAGES_DIR";
        }
        for (String segment : image.split("/", -1)) {
            if (segment.isEmpty() || segment.equals("..") || segment.equals(".")) {
                return "the image path '" + image + "' has an empty, '.' or '..' segment; write it relative to"
                        + " IMAGES_DIR without them";
            }
        }
        return null;
    }
}
