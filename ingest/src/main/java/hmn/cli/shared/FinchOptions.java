package hmn.cli.shared;

import hmn.core.BadInputException;
import hmn.finch.Finch;
import hmn.finch.NeighbourSearch;
import hmn.finch.torch.Kernels;

/** The FINCH options that {@code hmn cluster} and {@code hmn bench finch} share, validated in one place. */
public final class FinchOptions {
    private FinchOptions() {}

    /** Validates the shared FINCH options; bad values are bad input naming the option. */
    public static Finch.Builder finchBuilder(
            String neighbours, Integer levels, Integer threads, int probes, long seed, boolean earlyExit) {
        NeighbourSearch search =
                switch (neighbours.toLowerCase(java.util.Locale.ROOT)) {
                    case "exact" -> NeighbourSearch.EXACT;
                    case "approximate" -> NeighbourSearch.APPROXIMATE;
                    case "auto" -> NeighbourSearch.AUTO;
                    default -> throw new BadInputException(
                            "--neighbours must be exact, approximate or auto, got '" + neighbours + "'");
                };
        Finch.Builder b = Finch.builder()
                .kernel(Kernels::fastest)
                .earlyExit(earlyExit)
                .search(search)
                .seed(seed);
        if (levels != null) {
            if (levels < 1) {
                throw new BadInputException("--levels must be >= 1, got " + levels);
            }
            b.maxLevels(levels);
        }
        if (threads != null) {
            if (threads < 1) {
                throw new BadInputException("--threads must be >= 1, got " + threads);
            }
            b.threads(threads);
        }
        if (probes < 0) {
            throw new BadInputException("--probes must be >= 0, got " + probes);
        }
        return b.probes(probes);
    }
}
