package hmn.finch;

/** Each row's first neighbour (lowest index on ties) and the distance to it. */
public record Neighbours(int[] first, double[] distance) {}
