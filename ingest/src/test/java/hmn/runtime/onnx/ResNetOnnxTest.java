package hmn.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import hmn.runtime.ModelCatalogue;
import hmn.runtime.ModelSpec;
import hmn.runtime.weights.ResNetArchitecture;
import hmn.runtime.weights.SeededWeights;
import hmn.runtime.weights.Tensor;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ONNX graph hmn builds for a catalogue ResNet (its numbers are checked against torchvision elsewhere). */
class ResNetOnnxTest {
    static final ModelSpec SPEC = ModelCatalogue.get("resnet18");
    static final Map<String, Tensor> WEIGHTS =
            SeededWeights.generate(ResNetArchitecture.of(SPEC).parameterShapes(), 3);

    @Test
    void should_return_the_requested_layers_in_order_and_stop_after_the_last_stage_needed() {
        // when
        OnnxGraph graph =
                OnnxGraph.parse(ResNetOnnx.build(SPEC, WEIGHTS, new LinkedHashSet<>(List.of("layer2", "layer1"))));

        // then
        assertThat(graph.inputs()).containsExactly(ResNetOnnx.INPUT);
        assertThat(graph.outputs()).containsExactly("layer2", "layer1");
        assertThat(graph.intermediates()).contains("layer2.1.add").noneMatch(name -> name.startsWith("layer3"));
    }

    @Test
    void should_compute_the_logits_from_the_pooled_last_stage() {
        // when
        OnnxGraph graph = OnnxGraph.parse(ResNetOnnx.build(SPEC, WEIGHTS, new LinkedHashSet<>(List.of("fc"))));

        // then
        assertThat(graph.outputs()).containsExactly("fc");
        assertThat(graph.intermediates()).contains("layer4.mean", "avgpool").doesNotContain("layer4");
    }
}
