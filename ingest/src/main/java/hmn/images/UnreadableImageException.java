package hmn.images;

/** An image that cannot be used; the message is the reason recorded for it (e.g. "truncated or corrupt: ..."). */
public final class UnreadableImageException extends Exception {
    public UnreadableImageException(String reason) {
        super(reason);
    }

    public UnreadableImageException(String reason, Throwable cause) {
        super(reason, cause);
    }

    public String reason() {
        return getMessage();
    }
}
