package hmn.finch.torch;

import static org.assertj.core.api.Assertions.assertThat;

import hmn.finch.DotKernel;
import hmn.finch.JavaDotKernel;
import hmn.finch.Selection;
import hmn.finch.UnitRows;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** libtorch's dot products are proven on this CPU before FINCH uses them. */
@Tag("parity")
class KernelsTest {

    /** The Java kernel with its float32 distances nudged by 1e-3, as a wrong libtorch kernel would be. */
    static final class Nudged implements DotKernel {
        final JavaDotKernel inner = new JavaDotKernel();

        @Override
        public Loaded load(UnitRows rows) {
            return inner.load(rows);
        }

        @Override
        public String name() {
            return "nudged";
        }

        @Override
        public void close() {
            inner.close();
        }

        @Override
        public void nearest(
                Loaded queries,
                Selection q,
                Loaded candidates,
                Selection c,
                int selfShift,
                Nearest rows,
                Nearest cols) {
            inner.nearest(queries, q, candidates, c, selfShift, rows, cols);
        }

        @Override
        public double[] distances(Loaded queries, Selection q, Loaded candidates, Selection c) {
            double[] d = inner.distances(queries, q, candidates, c);
            if (!queries.rows().isDouble()) {
                d[5] += 1e-3;
            }
            return d;
        }
    }

    @Test
    void should_find_libtorch_right_on_this_cpu() {
        try (TorchDotKernel torch = TorchDotKernel.start();
                JavaDotKernel java = new JavaDotKernel()) {
            assertThat(Kernels.disagreement(torch, java)).isNull();
        }
    }

    @Test
    void should_name_the_first_wrong_distance() {
        try (Nudged nudged = new Nudged();
                JavaDotKernel java = new JavaDotKernel()) {
            assertThat(Kernels.disagreement(nudged, java)).startsWith("float32 distance 5: ");
        }
    }

    @Test
    void should_pick_libtorch_when_it_is_proven() {
        try (DotKernel kernel = Kernels.fastest()) {
            assertThat(kernel.name()).isEqualTo("libtorch");
            assertThat(Kernels.fallbackReason()).isNull();
        }
    }
}
