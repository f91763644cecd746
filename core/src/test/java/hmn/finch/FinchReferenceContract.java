package hmn.finch;

import static org.assertj.core.api.Assertions.assertThat;

import hmn.io.FloatMatrix;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The partitions equal the reference implementation's, level for level, on every fixture and setting. A subclass names
 * the kernel under test and the fixtures it clusters: core's {@code FinchReferenceTest} the Java kernel, ingest's
 * {@code TorchFinchReferenceTest} libtorch's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class FinchReferenceContract {
    /** Where the dot products run. */
    protected abstract Supplier<DotKernel> kernel();

    /** Names of fixtures under src/test/resources/finch (NAME.npy and its reference partitions). */
    protected abstract List<String> fixtures();

    protected Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (String name : fixtures()) {
            for (boolean earlyExit : new boolean[] {true, false}) {
                b.add(Arguments.of(name, earlyExit));
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} earlyExit={1}")
    @MethodSource("cases")
    public void should_equal_reference_partitions(String name, boolean earlyExit) {
        // given
        FloatMatrix x = Fixtures.input(name);
        int[][] expected = Fixtures.expected(name, earlyExit);

        // when
        Partitions p =
                Finch.builder().earlyExit(earlyExit).kernel(kernel()).build().cluster(x);

        // then
        assertThat(p.levels()).isEqualTo(expected.length);
        for (int l = 0; l < expected.length; l++) {
            assertThat(p.level(l + 1)).as("level %d", l + 1).isEqualTo(expected[l]);
        }
    }
}
