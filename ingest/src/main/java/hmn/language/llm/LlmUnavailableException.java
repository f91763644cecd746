package hmn.language.llm;

/** A configuration fault that makes every call fail (wrong key, model or URL): the run stops with this message. */
public final class LlmUnavailableException extends RuntimeException {
    public LlmUnavailableException(String message) {
        super(message);
    }
}
