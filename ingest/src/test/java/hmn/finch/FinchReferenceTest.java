package hmn.finch;

import static org.assertj.core.api.Assertions.assertThat;

import hmn.finch.torch.TorchDotKernel;
import hmn.io.FloatMatrix;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Tag;

/** The partitions equal the reference implementation's, level for level, on every fixture and setting. */
@Tag("parity")
class FinchReferenceTest {

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (String name : new String[] {"iris", "wine", "gmm5k"}) {
            for (boolean earlyExit : new boolean[] {true, false}) {
                b.add(Arguments.of(name, earlyExit, "libtorch"));
                if (!name.equals("gmm5k")) { // plain Java on gmm5k takes tens of seconds
                    b.add(Arguments.of(name, earlyExit, "java"));
                }
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} earlyExit={1} kernel={2}")
    @MethodSource("cases")
    void should_equal_reference_partitions(String name, boolean earlyExit, String kernel) {
        // given
        FloatMatrix x = Fixtures.input(name);
        int[][] expected = Fixtures.expected(name, earlyExit);
        Supplier<DotKernel> kernels = kernel.equals("java") ? JavaDotKernel::new : TorchDotKernel::start;

        // when
        Partitions p = Finch.builder().earlyExit(earlyExit).kernel(kernels).build().cluster(x);

        // then
        assertThat(p.levels()).isEqualTo(expected.length);
        for (int l = 0; l < expected.length; l++) {
            assertThat(p.level(l + 1)).as("level %d", l + 1).isEqualTo(expected[l]);
        }
    }
}
