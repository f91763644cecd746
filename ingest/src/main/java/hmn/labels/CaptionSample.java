package hmn.labels;

import hmn.language.cache.Hashing;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The captions put into one prompt, chosen by a deterministic rule that does not depend on input order:
 * identical captions are merged and counted; when more than {@code maxItems} distinct captions remain, or their
 * text exceeds {@code maxChars}, the ones kept are those with the smallest SHA-256 of their text (a fixed
 * pseudo-random sample), up to both limits. The kept captions are listed by count (descending), then text.
 *
 * @param lines the prompt's lines, e.g. "- a dog on a beach (x3)"
 * @param distinct how many distinct captions the cluster had
 * @param kept how many of them are in {@code lines}
 */
public record CaptionSample(List<String> lines, int distinct, int kept) {
    public static CaptionSample of(List<String> captions, int maxItems, int maxChars) {
        if (maxItems < 1 || maxChars < 1) {
            throw new IllegalArgumentException("maxItems and maxChars must be >= 1, got " + maxItems + ", " + maxChars);
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String c : captions) {
            String t = c.strip().replaceAll("\\s+", " ");
            if (!t.isEmpty()) {
                counts.merge(t, 1, Integer::sum);
            }
        }
        List<String> byHash = new ArrayList<>(counts.keySet());
        byHash.sort(Comparator.comparing(Hashing::sha256));
        List<String> kept = new ArrayList<>();
        int chars = 0;
        for (String t : byHash) {
            if (kept.size() == maxItems || (!kept.isEmpty() && chars + t.length() > maxChars)) {
                break;
            }
            kept.add(t);
            chars += t.length();
        }
        kept.sort(Comparator.comparing((String t) -> -counts.get(t)).thenComparing(Comparator.naturalOrder()));
        List<String> lines = new ArrayList<>();
        for (String t : kept) {
            int n = counts.get(t);
            lines.add("- " + t + (n > 1 ? " (x" + n + ")" : ""));
        }
        return new CaptionSample(List.copyOf(lines), counts.size(), kept.size());
    }

    public boolean sampled() {
        return kept < distinct;
    }

    /** Text for the prompt's {@code {{sample_note}}}: empty, or "; shown: a sample of K of D distinct captions". */
    public String note() {
        return sampled() ? " (shown: a fixed sample of " + kept + " of its " + distinct + " distinct captions)" : "";
    }

    public String text() {
        return String.join("\n", lines);
    }
}
