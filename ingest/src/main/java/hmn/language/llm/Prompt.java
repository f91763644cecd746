package hmn.language.llm;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A prompt template: {@code {{name}}} placeholders filled by {@link #render(Map)}.
 *
 * @param name "representative", "generalisation", "difference" or "caption"
 * @param version recorded with every label it writes, e.g. "representative-v1"
 */
public record Prompt(String name, String version, String template) {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");

    public Prompt {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(template, "template");
    }

    /** Fills every placeholder; a placeholder with no value is an error naming it. */
    public String render(Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("prompt " + name + " (" + version + ") uses {{" + m.group(1)
                        + "}}, which has no value; known: " + values.keySet());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString().strip();
    }
}
