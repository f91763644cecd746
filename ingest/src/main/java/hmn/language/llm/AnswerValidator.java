package hmn.language.llm;

import hmn.language.llm.ResilientCaller.Check;
import java.util.regex.Pattern;

/**
 * Accepts a model's answer only when it is one plain sentence: not empty, one line, at most {@code maxChars}
 * characters, no quotation marks, no preamble ("Sure", "Here is ...", "Caption: ..."), no list marker, and not
 * several sentences. Surrounding whitespace is trimmed; nothing else is rewritten.
 */
public final class AnswerValidator {
    private static final Pattern PREAMBLE = Pattern.compile(
            "^(sure|certainly|of course|okay|ok|here is|here's|here are|the answer|answer|as an ai)\\b.*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern LABEL_PREFIX = Pattern.compile("^[A-Za-z][A-Za-z ]{0,30}:\\s.*");
    private static final Pattern LIST_MARKER = Pattern.compile("^([-*\u2022]|\\d+[.)])\\s.*");
    private static final Pattern SENTENCE_BREAK = Pattern.compile("[.!?]\\s+\\p{Lu}");
    private static final String QUOTES = "\"\u201c\u201d\u00ab\u00bb`";

    private final int maxChars;

    public AnswerValidator(int maxChars) {
        if (maxChars < 10) {
            throw new IllegalArgumentException("maxChars must be >= 10, got " + maxChars);
        }
        this.maxChars = maxChars;
    }

    public Check<String> check(String answer) {
        if (answer == null || answer.isBlank()) {
            return Check.reject("empty answer");
        }
        String text = answer.strip();
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            return Check.reject("more than one line");
        }
        if (text.length() > maxChars) {
            return Check.reject("longer than " + maxChars + " characters (" + text.length() + ")");
        }
        for (char c : text.toCharArray()) {
            if (QUOTES.indexOf(c) >= 0) {
                return Check.reject("contains quotation marks");
            }
        }
        if (text.startsWith("'") || text.startsWith("\u2018")) {
            return Check.reject("starts with a quotation mark");
        }
        if (PREAMBLE.matcher(text).matches() || LABEL_PREFIX.matcher(text).matches()) {
            return Check.reject("has a preamble");
        }
        if (LIST_MARKER.matcher(text).matches()) {
            return Check.reject("is a list item");
        }
        if (SENTENCE_BREAK.matcher(text).find()) {
            return Check.reject("more than one sentence");
        }
        return Check.accept(text);
    }
}
