package hmn.finch;

/** How first neighbours are found. */
public enum NeighbourSearch {
    /** Exact at every size. */
    EXACT,
    /** The seeded approximate index at every size above a few thousand rows. */
    APPROXIMATE,
    /** Exact up to {@link Finch#AUTO_EXACT_LIMIT} rows, approximate above (said so through the listener). */
    AUTO
}
