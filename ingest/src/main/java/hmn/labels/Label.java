package hmn.labels;

import java.util.Objects;

/**
 * A written label and where it came from; the provenance is stored on the Caption node.
 *
 * @param text the label, one sentence
 * @param source what wrote it: "extractive", "llm", "import", ...
 * @param model the model that wrote it (e.g. "gpt-4o-mini"), or the summariser's name
 * @param promptVersion the prompt's version, or "none"
 * @param offlineDefault true when the offline default wrote it (no LLM, or the LLM's answers were rejected)
 */
public record Label(String text, String source, String model, String promptVersion, boolean offlineDefault) {
    public Label {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(promptVersion, "promptVersion");
    }
}
