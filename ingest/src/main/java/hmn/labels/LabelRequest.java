package hmn.labels;

import java.util.List;
import java.util.Objects;

/**
 * One labelling job.
 *
 * @param kind what to write
 * @param subject the cluster id the label is for, e.g. "L1-3"
 * @param captions REPRESENTATIVE: the cluster's image captions; GENERALISATION: the children's captions;
 *     DIFFERENCE: the child's caption (one element)
 * @param reference DIFFERENCE only: the parent's caption; otherwise null
 */
public record LabelRequest(Kind kind, String subject, List<String> captions, String reference) {
    public enum Kind {
        REPRESENTATIVE,
        GENERALISATION,
        DIFFERENCE
    }

    public LabelRequest {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
        captions = List.copyOf(captions);
        if (captions.isEmpty()) {
            throw new IllegalArgumentException("captions must not be empty for " + subject);
        }
        if (kind == Kind.DIFFERENCE && reference == null) {
            throw new IllegalArgumentException("a difference request needs the parent's caption, for " + subject);
        }
    }

    public static LabelRequest representative(String cluster, List<String> imageCaptions) {
        return new LabelRequest(Kind.REPRESENTATIVE, cluster, imageCaptions, null);
    }

    public static LabelRequest generalisation(String cluster, List<String> childCaptions) {
        return new LabelRequest(Kind.GENERALISATION, cluster, childCaptions, null);
    }

    public static LabelRequest difference(String child, String childCaption, String parentCaption) {
        return new LabelRequest(Kind.DIFFERENCE, child, List.of(childCaption), parentCaption);
    }
}
