package hmn.group;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** How the neuron group of a cluster above level 1 is formed. */
public enum Mode {
    /** The paper's rule: the neurons common to the groups of all the cluster's children. */
    INTERSECTION,
    /** Like level 1: the neurons with enough support over all the cluster's images. */
    SUPPORT;

    /** The name used in configs and in the graph ({@code intersection}, {@code support}). */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static List<String> keys() {
        return Arrays.stream(values()).map(Mode::key).toList();
    }

    /** Parses a config value; the message names the allowed values. */
    public static Mode of(Object value) {
        for (Mode mode : values()) {
            if (mode.key().equals(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("mode must be one of " + keys() + ", got " + GroupConfig.show(value));
    }
}
