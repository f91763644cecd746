package hmn.group;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a neuron-group query asks for: the layer (or all analysed layers), the fraction {@code top} of a layer's
 * channels that make an image's activated set, the {@code support} threshold and the {@code mode} for levels above
 * 1, and how activated sets are ranked ({@code rank}). Built once from a procedure's config map by {@link #of(Map)},
 * which applies the defaults and validates.
 *
 * @param layer the layer name, or {@code null} for every analysed layer
 */
public record GroupConfig(String layer, double top, double support, Mode mode, Rank rank) {

    public static final double DEFAULT_TOP = 0.10;
    public static final double DEFAULT_SUPPORT = 0.5;
    public static final Mode DEFAULT_MODE = Mode.INTERSECTION;
    public static final Rank DEFAULT_RANK = Rank.RAW;
    public static final List<String> KEYS = List.of("layer", "top", "support", "mode", "rank");
    public static final GroupConfig DEFAULTS = new GroupConfig(null, DEFAULT_TOP, DEFAULT_SUPPORT, DEFAULT_MODE);

    public GroupConfig {
        requireFraction("top", top, top);
        requireFraction("support", support, support);
        if (mode == null) {
            throw new IllegalArgumentException("mode must be one of " + Mode.keys() + ", got null");
        }
        if (layer != null && layer.isBlank()) {
            throw new IllegalArgumentException("layer must be a layer name, got '" + layer + "'");
        }
        if (rank == null) {
            throw new IllegalArgumentException("rank must be one of " + Rank.keys() + ", got null");
        }
    }

    /** The paper's ranking ({@link Rank#RAW}). */
    public GroupConfig(String layer, double top, double support, Mode mode) {
        this(layer, top, support, mode, DEFAULT_RANK);
    }

    /** Builds a config from a procedure's map: defaults for missing keys, an error naming any bad key or value. */
    public static GroupConfig of(Map<String, ?> config) {
        if (config == null || config.isEmpty()) {
            return DEFAULTS;
        }
        for (String key : config.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown config key '" + key + "'; allowed keys: " + KEYS);
            }
        }
        String layer = null;
        Object layerValue = config.get("layer");
        if (layerValue != null) {
            if (!(layerValue instanceof String name)) {
                throw new IllegalArgumentException("layer must be a layer name (a string), got " + show(layerValue));
            }
            layer = name;
        }
        double top = fraction("top", config.get("top"), DEFAULT_TOP);
        double support = fraction("support", config.get("support"), DEFAULT_SUPPORT);
        Object modeValue = config.get("mode");
        Mode mode = modeValue == null ? DEFAULT_MODE : Mode.of(modeValue);
        Object rankValue = config.get("rank");
        Rank rank = rankValue == null ? DEFAULT_RANK : Rank.of(rankValue);
        return new GroupConfig(layer, top, support, mode, rank);
    }

    /**
     * Builds a config from plain values (the command line's options), validating top, support and mode in that
     * order; the message names the key as {@link #of(Map)} does.
     */
    public static GroupConfig of(String layer, double top, double support, String mode) {
        return of(layer, top, support, mode, DEFAULT_RANK.key());
    }

    /** As {@link #of(String, double, double, String)}, with the ranking validated last. */
    public static GroupConfig of(String layer, double top, double support, String mode, String rank) {
        requireFraction("top", top, top);
        requireFraction("support", support, support);
        Mode m = Mode.of(mode);
        return new GroupConfig(layer, top, support, m, Rank.of(rank));
    }

    public Optional<String> layerName() {
        return Optional.ofNullable(layer);
    }

    /** The same config without a layer restriction. */
    public GroupConfig allLayers() {
        return new GroupConfig(null, top, support, mode, rank);
    }

    /** Every image's activated set in {@code layer} for this config's top and rank. */
    public long[] activatedSets(LayerActivations layer) {
        return layer.activatedSets(k(layer.channels()), rank);
    }

    /** The size of an image's activated set in a layer with {@code channels} channels. */
    public int k(int channels) {
        return ActivatedSets.k(top, channels);
    }

    private static double fraction(String key, Object value, double fallback) {
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number number)) {
            throw new IllegalArgumentException(key + " must be a number in (0, 1], got " + show(value));
        }
        double v = number.doubleValue();
        requireFraction(key, v, value);
        return v;
    }

    private static void requireFraction(String key, double value, Object shown) {
        if (!(value > 0 && value <= 1)) {
            throw new IllegalArgumentException(key + " must be in (0, 1], got " + show(shown));
        }
    }

    static String show(Object value) {
        return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }
}
