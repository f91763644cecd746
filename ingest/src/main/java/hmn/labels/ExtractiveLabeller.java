package hmn.labels;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The offline default labeller: an extractive summariser that writes no new text.
 *
 * <ul>
 *   <li>Representative caption (level 1) and generalisation (higher levels): the caption nearest the centre of the
 *       given captions, where each caption is a TF-IDF vector (content words, L2-normalised) and the centre is their
 *       mean; ties go to the shorter caption, then to the earlier one. That caption is then shortened to the words
 *       that at least half of the captions share (with the function words that lead into them), so that "a snowy dog
 *       in the forest" and "a misty dog in the forest" generalise to "a dog in the forest"; when no content word is
 *       shared by half, the whole caption is kept.</li>
 *   <li>Difference description: the child caption's content words that the parent's caption lacks, in the child's
 *       order (e.g. "snowy forest").</li>
 * </ul>
 *
 * Word weights use the document frequencies of a corpus (all image captions of the collection) when one is given,
 * otherwise those of the request's own captions. Every label is marked {@code source = "extractive"},
 * {@code promptVersion = "none"}, {@code offlineDefault = true}.
 */
public final class ExtractiveLabeller implements Labeller {
    public static final String SOURCE = "extractive";
    public static final String MODEL = "hmn-extractive-tfidf-centroid";

    private static final Set<String> STOP = Set.of(
            "a", "an", "the", "of", "in", "on", "at", "to", "and", "or", "with", "by", "for", "from", "is", "are",
            "was", "were", "be", "been", "it", "its", "this", "that", "these", "those", "there", "their", "his", "her",
            "some", "into", "onto", "over", "under", "as", "while", "near", "next", "up", "down", "out", "off", "photo",
            "picture", "image", "shot", "close", "view", "arafed", "araffe");

    private final Map<String, Integer> corpusFrequency;
    private final int corpusSize;

    private ExtractiveLabeller(Builder builder) {
        this.corpusFrequency = builder.frequency;
        this.corpusSize = builder.documents;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options: an optional corpus for the word weights. */
    public static final class Builder {
        private final Map<String, Integer> frequency = new HashMap<>();
        private int documents;

        private Builder() {}

        /** Documents (captions) whose word frequencies weight the words; call once with all image captions. */
        public Builder corpus(Collection<String> captions) {
            for (String caption : captions) {
                for (String word : new LinkedHashSet<>(contentWords(caption))) {
                    frequency.merge(word, 1, Integer::sum);
                }
                documents++;
            }
            return this;
        }

        public ExtractiveLabeller build() {
            return new ExtractiveLabeller(this);
        }
    }

    @Override
    public List<Label> label(List<LabelRequest> requests) {
        List<Label> out = new ArrayList<>(requests.size());
        for (LabelRequest request : requests) {
            String text =
                    switch (request.kind()) {
                        case REPRESENTATIVE, GENERALISATION -> compress(
                                nearestCentre(request.captions()), request.captions());
                        case DIFFERENCE -> difference(request.captions().get(0), request.reference());
                    };
            out.add(new Label(text, SOURCE, MODEL, "none", true));
        }
        return out;
    }

    /** The caption nearest the mean of the captions' normalised TF-IDF vectors. */
    String nearestCentre(List<String> captions) {
        if (captions.size() == 1) {
            return captions.get(0);
        }
        Map<String, Integer> localFrequency = new HashMap<>();
        List<List<String>> words = new ArrayList<>(captions.size());
        for (String caption : captions) {
            List<String> w = contentWords(caption);
            words.add(w);
            for (String word : new LinkedHashSet<>(w)) {
                localFrequency.merge(word, 1, Integer::sum);
            }
        }
        boolean corpus = corpusSize > 0;
        List<Map<String, Double>> vectors = new ArrayList<>(captions.size());
        Map<String, Double> centre = new HashMap<>();
        for (List<String> w : words) {
            Map<String, Double> v = new HashMap<>();
            for (String word : w) {
                v.merge(word, 1.0, Double::sum);
            }
            double norm = 0;
            for (Map.Entry<String, Double> e : v.entrySet()) {
                int df = corpus ? corpusFrequency.getOrDefault(e.getKey(), 0) : localFrequency.get(e.getKey());
                int n = corpus ? corpusSize : captions.size();
                double idf = 1 + Math.log((1.0 + n) / (1.0 + df));
                double x = e.getValue() * idf;
                e.setValue(x);
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (Map.Entry<String, Double> e : v.entrySet()) {
                e.setValue(norm == 0 ? 0 : e.getValue() / norm);
                centre.merge(e.getKey(), e.getValue() / captions.size(), Double::sum);
            }
            vectors.add(v);
        }
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < captions.size(); i++) {
            double score = 0;
            for (Map.Entry<String, Double> e : vectors.get(i).entrySet()) {
                score += e.getValue() * centre.getOrDefault(e.getKey(), 0.0);
            }
            double margin = score - bestScore;
            if (margin > 1e-12
                    || (Math.abs(margin) <= 1e-12
                            && captions.get(i).length() < captions.get(best).length())) {
                best = i;
                bestScore = Math.max(score, bestScore);
            }
        }
        return captions.get(best);
    }

    /**
     * Keeps the words of {@code caption} that at least half of {@code captions} contain, and the function words
     * directly before a kept word's phrase. Returns {@code caption} unchanged when no content word is kept.
     */
    static String compress(String caption, List<String> captions) {
        if (captions.size() < 2) {
            return caption;
        }
        Map<String, Integer> frequency = new HashMap<>();
        for (String c : captions) {
            for (String word : new LinkedHashSet<>(contentWords(c))) {
                frequency.merge(stem(word), 1, Integer::sum);
            }
        }
        String[] tokens = caption.strip().split("\\s+");
        Boolean[] keep = new Boolean[tokens.length];
        boolean any = false;
        for (int i = 0; i < tokens.length; i++) {
            List<String> words = contentWords(tokens[i]);
            if (!words.isEmpty()) {
                boolean shared = true;
                for (String w : words) {
                    shared &= 2 * frequency.getOrDefault(stem(w), 0) >= captions.size();
                }
                keep[i] = shared;
                any |= shared;
            }
        }
        if (!any) {
            return caption;
        }
        // a run of function words is kept when the run of content words after it keeps a word
        for (int i = 0; i < tokens.length; ) {
            if (keep[i] != null) {
                i++;
                continue;
            }
            int j = i;
            while (j < tokens.length && keep[j] == null) {
                j++;
            }
            boolean next = false;
            for (int m = j; m < tokens.length && keep[m] != null; m++) {
                next |= keep[m];
            }
            for (int m = i; m < j; m++) {
                keep[m] = next;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < tokens.length; i++) {
            if (keep[i]) {
                sb.append(sb.length() == 0 ? "" : " ").append(tokens[i]);
            }
        }
        return sb.toString();
    }

    /** The child's content words that the parent's caption lacks, in the child's order. */
    static String difference(String child, String parent) {
        Set<String> parentStems = new java.util.HashSet<>();
        for (String word : contentWords(parent)) {
            parentStems.add(stem(word));
        }
        LinkedHashSet<String> extra = new LinkedHashSet<>();
        for (String word : contentWords(child)) {
            if (!parentStems.contains(stem(word))) {
                extra.add(word);
            }
        }
        if (extra.isEmpty()) {
            return "no wording beyond the parent's: " + child;
        }
        return String.join(" ", extra);
    }

    static List<String> contentWords(String text) {
        List<String> words = new ArrayList<>();
        for (String token : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (token.length() > 1 && !STOP.contains(token)) {
                words.add(token);
            }
        }
        return words;
    }

    private static String stem(String word) {
        if (word.length() > 3 && word.endsWith("ies")) {
            return word.substring(0, word.length() - 3) + "y";
        }
        if (word.length() > 3
                && word.endsWith("es")
                && (word.endsWith("ches") || word.endsWith("shes") || word.endsWith("xes") || word.endsWith("sses"))) {
            return word.substring(0, word.length() - 2);
        }
        if (word.length() > 2 && word.endsWith("s") && !word.endsWith("ss")) {
            return word.substring(0, word.length() - 1);
        }
        return word;
    }
}
