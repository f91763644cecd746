package hmn.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import hmn.io.FloatMatrix;
import hmn.io.Npy;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Test fixtures of the model runtimes (under {@code hmn/fixtures/}) and the checks that compare with them. */
public final class Fixtures {
    private Fixtures() {}

    public static Path path(String name) {
        try {
            return Path.of(Fixtures.class
                    .getClassLoader()
                    .getResource("hmn/fixtures/" + name)
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void assertAgree(
            Map<String, FloatMatrix> actual, Path expectedDir, List<String> layers, List<String> images) {
        for (String layer : layers) {
            FloatMatrix expected = Npy.read(expectedDir.resolve(layer + ".npy"));
            FloatMatrix got = actual.get(layer);
            assertThat(got.rows()).isEqualTo(expected.rows());
            assertThat(got.cols()).isEqualTo(expected.cols());
            for (int r = 0; r < expected.rows(); r++) {
                double error = relativeError(got.row(r), expected.row(r));
                assertThat(error).as("%s of %s", layer, images.get(r)).isLessThan(1e-4);
            }
        }
    }

    /** max |a - b| / max |b|: the error relative to the row's scale. */
    public static double relativeError(float[] actual, float[] expected) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return diff / scale;
    }
}
