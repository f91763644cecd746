package hmn.finch.torch;

import static org.assertj.core.api.Assertions.assertThat;

import hmn.finch.DotKernel;
import hmn.finch.FirstNeighbours;
import hmn.finch.GmmData;
import hmn.finch.JavaDotKernel;
import hmn.finch.Neighbours;
import hmn.finch.Progress;
import hmn.finch.UnitRows;
import hmn.io.FloatMatrix;
import org.junit.jupiter.api.Test;

/** FINCH's first-neighbour searches on libtorch's kernel (core's FinchTest covers the Java kernel). */
class TorchFirstNeighboursTest {
    @Test
    void should_find_the_same_neighbours_whatever_the_thread_count() {
        // given more than two blocks of rows
        FloatMatrix x = GmmData.generate(FirstNeighbours.PRUNE_MIN_ROWS + 300, 48, 3);
        UnitRows unit = UnitRows.ofFloats(x.rows(), x.cols(), x.data());

        // when
        Neighbours one;
        Neighbours two;
        Neighbours prunedOne;
        Neighbours prunedTwo;
        try (DotKernel k = TorchDotKernel.start();
                DotKernel.Loaded l = k.load(unit)) {
            one = FirstNeighbours.exact(k, l, 1, Progress.NONE);
            two = FirstNeighbours.exact(k, l, 3, Progress.NONE);
            prunedOne = FirstNeighbours.exactPruned(k, l, 1, 42, Progress.NONE);
            prunedTwo = FirstNeighbours.exactPruned(k, l, 3, 42, Progress.NONE);
        }

        // then bit for bit
        assertThat(two.first()).isEqualTo(one.first());
        assertThat(two.distance()).isEqualTo(one.distance());
        assertThat(prunedTwo.first()).isEqualTo(prunedOne.first());
        assertThat(prunedTwo.distance()).isEqualTo(prunedOne.distance());
    }

    @Test
    void should_agree_between_libtorch_and_java_kernels() {
        // given
        FloatMatrix x = GmmData.generate(700, 32, 5);
        UnitRows f = UnitRows.ofFloats(x.rows(), x.cols(), x.data());
        double[] wide = new double[x.data().length];
        for (int i = 0; i < wide.length; i++) {
            wide[i] = x.data()[i];
        }
        UnitRows d = UnitRows.ofDoubles(x.rows(), x.cols(), wide);

        for (UnitRows unit : new UnitRows[] {f, d}) {
            // when
            Neighbours torch;
            Neighbours java;
            try (DotKernel k = TorchDotKernel.start();
                    DotKernel.Loaded l = k.load(unit)) {
                torch = FirstNeighbours.exact(k, l, 2, Progress.NONE);
            }
            try (DotKernel k = new JavaDotKernel();
                    DotKernel.Loaded l = k.load(unit)) {
                java = FirstNeighbours.exact(k, l, 2, Progress.NONE);
            }

            // then
            assertThat(torch.first()).isEqualTo(java.first());
            for (int i = 0; i < x.rows(); i++) {
                assertThat(torch.distance()[i])
                        .isCloseTo(java.distance()[i], org.assertj.core.data.Offset.offset(1e-5));
            }
        }
    }

    @Test
    void should_find_nearly_all_true_first_neighbours_in_approximate_mode_deterministically() {
        // given
        FloatMatrix x = GmmData.generate(12_000, 64, 11);
        UnitRows unit = UnitRows.ofFloats(x.rows(), x.cols(), x.data());
        FirstNeighbours.Approximate settings = FirstNeighbours.Approximate.forSize(x.rows(), 42);

        // when
        Neighbours a;
        Neighbours b;
        double recall;
        try (DotKernel k = TorchDotKernel.start();
                DotKernel.Loaded l = k.load(unit)) {
            a = FirstNeighbours.approximate(k, l, 1, settings, Progress.NONE);
            b = FirstNeighbours.approximate(k, l, 2, settings, Progress.NONE);
            recall = FirstNeighbours.recall(k, l, a, 500, 1, 2);
        }

        // then
        assertThat(b.first()).isEqualTo(a.first());
        assertThat(b.distance()).isEqualTo(a.distance());
        assertThat(recall).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void should_find_the_same_first_neighbours_with_cell_pruning_as_without() {
        for (FloatMatrix x : new FloatMatrix[] {GmmData.generate(9000, 96, 17), GmmData.generate(7000, 8, 19)}) {
            // given
            UnitRows unit = UnitRows.ofFloats(x.rows(), x.cols(), x.data());

            // when
            Neighbours plain;
            Neighbours pruned;
            try (DotKernel k = TorchDotKernel.start();
                    DotKernel.Loaded l = k.load(unit)) {
                plain = FirstNeighbours.exact(k, l, 2, Progress.NONE);
                pruned = FirstNeighbours.exactPruned(k, l, 2, 42, Progress.NONE);
            }

            // then
            assertThat(pruned.first()).isEqualTo(plain.first());
            for (int i = 0; i < x.rows(); i++) {
                assertThat(pruned.distance()[i])
                        .isCloseTo(plain.distance()[i], org.assertj.core.data.Offset.offset(1e-6));
            }
        }
    }
}
