package hmn.group;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** How an image's activated set is ranked (DESIGN.md, "Validity": config key {@code rank}). */
public enum Rank {
    /** The paper's: the channels with the largest raw activations. */
    RAW,
    /**
     * The channels with the largest (activation - channel mean) / channel sd over the collection (population sd); a
     * channel with sd 0 ranks last. A channel strong in every image then no longer fills every group.
     */
    ZSCORE;

    /** The name used in configs, options and the graph ({@code raw}, {@code zscore}). */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static List<String> keys() {
        return Arrays.stream(values()).map(Rank::key).toList();
    }

    /** Parses a config value; the message names the allowed values. */
    public static Rank of(Object value) {
        for (Rank rank : values()) {
            if (rank.key().equals(value)) {
                return rank;
            }
        }
        throw new IllegalArgumentException("rank must be one of " + keys() + ", got " + GroupConfig.show(value));
    }
}
