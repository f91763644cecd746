package hmn.runtime.torch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmn.io.FloatMatrix;
import hmn.runtime.ActivationModel;
import hmn.runtime.ModelCatalogue;
import hmn.runtime.ModelSpec;
import hmn.runtime.onnx.OnnxModel;
import hmn.runtime.weights.ResNetArchitecture;
import hmn.runtime.weights.SeededWeights;
import hmn.runtime.weights.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The cross-check that keeps libtorch's numbers honest. A defective libtorch cannot be produced on demand, so the
 * defective candidate here is the real libtorch model with its layer4 output scaled by 1.19, as the AVX-512 defect
 * did; everything else is real: libtorch in both formats, ONNX Runtime as the reference.
 */
@Tag("parity")
class CrossCheckedModelTest {
    static final List<String> LAYERS = List.of("layer3", "layer4");
    static ModelSpec spec;
    static Map<String, Tensor> weights;

    @BeforeAll
    static void weights() {
        spec = ModelCatalogue.get("resnet18");
        weights = SeededWeights.generate(ResNetArchitecture.of(spec).parameterShapes(), 3);
    }

    static float[] input(int count) {
        float[] x = new float[count * 3 * 224 * 224];
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    /** A model that gives {@code inner}'s numbers with one layer scaled, and records the batch sizes it ran. */
    static final class Skewed implements ActivationModel {
        final ActivationModel inner;
        final float factor;
        final List<Integer> batches = new ArrayList<>();

        Skewed(ActivationModel inner, float factor) {
            this.inner = inner;
            this.factor = factor;
        }

        @Override
        public Map<String, FloatMatrix> activations(float[] input, int count) {
            batches.add(count);
            Map<String, FloatMatrix> out = new LinkedHashMap<>(inner.activations(input, count));
            float[] data = out.get("layer4").data().clone();
            for (int i = 0; i < data.length; i++) {
                data[i] *= factor;
            }
            out.put(
                    "layer4",
                    new FloatMatrix(out.get("layer4").rows(), out.get("layer4").cols(), data));
            return out;
        }

        @Override
        public Map<String, Integer> layers() {
            return inner.layers();
        }

        @Override
        public String provenance() {
            return inner.provenance();
        }

        @Override
        public int[] inputShape() {
            return inner.inputShape();
        }

        @Override
        public boolean channelsLastInput() {
            return inner.channelsLastInput();
        }

        @Override
        public List<String> availableLayers() {
            return inner.availableLayers();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    static CrossCheckedModel checked(ActivationModel first, ActivationModel second, List<String> notes) {
        List<CrossCheckedModel.Candidate> candidates = new ArrayList<>();
        candidates.add(new CrossCheckedModel.Candidate("channels-last", first));
        if (second != null) {
            candidates.add(new CrossCheckedModel.Candidate("contiguous", second));
        }
        return new CrossCheckedModel(
                candidates,
                CrossCheckedModel.against(() -> OnnxModel.resnet(spec, weights, LAYERS, "seed=3", 2)),
                notes::add);
    }

    static TorchvisionResNet torch(boolean channelsLast) {
        return TorchvisionResNet.create(spec, weights, LAYERS, "seed=3", channelsLast);
    }

    @Test
    void should_use_the_fastest_candidate_that_agrees_with_the_reference() {
        // given channels-last off by 19% in layer4, contiguous right
        List<String> notes = new ArrayList<>();
        try (CrossCheckedModel model = checked(new Skewed(torch(true), 1.19f), torch(false), notes);
                OnnxModel reference = OnnxModel.resnet(spec, weights, LAYERS, "seed=3", 2)) {
            // when
            Map<String, FloatMatrix> got = model.activations(input(2), 2);

            // then
            assertThat(model.format()).isEqualTo("contiguous");
            assertThat(CrossCheckedModel.compare(got, reference.activations(input(2), 2), "test"))
                    .isNull();
            assertThat(notes)
                    .singleElement()
                    .asString()
                    .contains("channels-last forward gives wrong numbers at batch 2: layer4 of image 0 is off by 0.19")
                    .contains("using its contiguous forward");
        }
    }

    @Test
    void should_keep_channels_last_exactly_where_it_agrees_on_this_cpu() {
        // given what libtorch's channels-last forward gives on this CPU, checked directly
        String direct;
        try (TorchvisionResNet channelsLast = torch(true);
                OnnxModel reference = OnnxModel.resnet(spec, weights, LAYERS, "seed=3", 2)) {
            direct = CrossCheckedModel.compare(
                    channelsLast.activations(CrossCheckedModel.toHwc(input(2), 2, channelsLast.inputShape()), 2),
                    reference.activations(input(2), 2),
                    "ONNX Runtime");
        }
        List<String> notes = new ArrayList<>();
        try (CrossCheckedModel model = checked(torch(true), torch(false), notes)) {
            // when
            model.activations(input(2), 2);

            // then
            assertThat(model.format()).isEqualTo(direct == null ? "channels-last" : "contiguous");
            assertThat(notes).hasSize(direct == null ? 0 : 1);
        }
    }

    @Test
    void should_refuse_when_no_candidate_agrees() {
        // given both formats off
        try (CrossCheckedModel model =
                checked(new Skewed(torch(true), 1.19f), new Skewed(torch(false), 0.5f), new ArrayList<>())) {
            // when / then
            assertThatThrownBy(() -> model.activations(input(2), 2))
                    .isInstanceOf(CrossCheckedModel.WrongNumbersException.class)
                    .hasMessageStartingWith("libtorch gives wrong activations on this CPU (channels-last forward")
                    .hasMessageContaining("contiguous forward gives wrong numbers at batch 2: layer4 of image 0 is off")
                    .hasMessageEndingWith(
                            "run with --engine onnxruntime, or set ONEDNN_MAX_CPU_ISA=AVX2 in the " + "environment");
        }
    }

    @Test
    void should_run_only_proven_batch_sizes_padding_smaller_batches() {
        // given
        Skewed recorder = new Skewed(torch(false), 1f);
        try (CrossCheckedModel model = checked(recorder, null, new ArrayList<>());
                OnnxModel reference = OnnxModel.resnet(spec, weights, LAYERS, "seed=3", 2)) {
            model.activations(input(3), 3);

            // when a smaller batch comes
            float[] two = java.util.Arrays.copyOf(input(3), 2 * 3 * 224 * 224);
            Map<String, FloatMatrix> got = model.activations(two, 2);

            // then it ran padded to the proven size, and gives the reference's numbers for its own images
            assertThat(recorder.batches).containsExactly(3, 3);
            assertThat(got.get("layer4").rows()).isEqualTo(2);
            assertThat(CrossCheckedModel.compare(got, reference.activations(two, 2), "test"))
                    .isNull();
        }
    }

    @Test
    void should_check_again_when_a_larger_batch_comes() {
        Skewed recorder = new Skewed(torch(false), 1f);
        List<String> notes = new ArrayList<>();
        try (CrossCheckedModel model = checked(recorder, null, notes)) {
            model.activations(input(1), 1);
            model.activations(input(2), 2);
            model.activations(input(2), 2);

            assertThat(recorder.batches).containsExactly(1, 2, 2);
        }
    }
}
