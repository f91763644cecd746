package hmn.finch;

import hmn.io.FloatMatrix;
import hmn.io.Npy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The reference's outputs on the bundled inputs (src/test/resources/finch, found on the test class path: core carries
 * iris and wine; ingest carries its own copies of them and gmm5k, which only its libtorch tests cluster).
 */
public final class Fixtures {
    private Fixtures() {}

    public static Path path(String file) {
        try {
            return Path.of(Fixtures.class.getResource("/finch/" + file).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static FloatMatrix input(String name) {
        return Npy.read(path(name + ".npy"));
    }

    /** Reference labels, [level][point], from a headerless CSV with one column per level. */
    public static int[][] expected(String name, boolean earlyExit) {
        try {
            List<String> lines = Files.readAllLines(path(name + (earlyExit ? "" : ".noee") + ".partitions.csv"));
            int levels = lines.get(0).split(",").length;
            int[][] out = new int[levels][lines.size()];
            for (int i = 0; i < lines.size(); i++) {
                String[] cells = lines.get(i).split(",");
                for (int l = 0; l < levels; l++) {
                    out[l][i] = Integer.parseInt(cells[l].strip());
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
