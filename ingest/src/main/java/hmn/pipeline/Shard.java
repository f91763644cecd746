package hmn.pipeline;

import hmn.core.BadInputException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One machine's share of a collection for {@code ingest --shard I/N}: shard {@code number} (1-based) of
 * {@code count}. An image belongs to one shard, chosen by a stable hash of its id (see {@link ImageInventory#shard}),
 * so every machine agrees on the split without talking to the others.
 */
public record Shard(int number, int count) {
    private static final Pattern FORM = Pattern.compile("\\s*(\\d{1,9})\\s*/\\s*(\\d{1,9})\\s*");

    public Shard {
        if (count < 1 || number < 1 || number > count) {
            throw new BadInputException("--shard must be I/N with 1 <= I <= N (e.g. --shard 2/3 on the second of"
                    + " three machines), got " + number + "/" + count);
        }
    }

    /** Parses {@code I/N}; anything else is bad input. */
    public static Shard parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new BadInputException("--shard must be I/N with 1 <= I <= N (e.g. --shard 2/3 on the second of"
                    + " three machines), got '" + text + "'");
        }
        return new Shard(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** The shard's directory name under the work directory's {@code shards/}. */
    public String dirName() {
        return number + "-of-" + count;
    }

    /** Zero-based index, for {@link ImageInventory#shard(int, int)}. */
    public int index() {
        return number - 1;
    }

    @Override
    public String toString() {
        return number + "/" + count;
    }
}
