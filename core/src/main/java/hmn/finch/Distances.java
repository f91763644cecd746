package hmn.finch;

/** The cosine distance rule of the reference: {@code 1 - cos}, clipped to [0, 2], in the level's precision. */
public final class Distances {
    private Distances() {}

    public static float clip(float d) {
        return d < 0f ? 0f : (d > 2f ? 2f : d);
    }

    public static double clip(double d) {
        return d < 0 ? 0 : (d > 2 ? 2 : d);
    }
}
