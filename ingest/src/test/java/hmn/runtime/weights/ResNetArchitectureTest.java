package hmn.runtime.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmn.core.BadInputException;
import hmn.runtime.ModelCatalogue;
import hmn.runtime.ModelSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResNetArchitectureTest {
    @ParameterizedTest
    @CsvSource({
        "resnet18,11689512",
        "resnet34,21797672",
        "resnet50,25557032",
        "resnet101,44549160",
        "resnet152,60192808"
    })
    void should_have_torchvisions_parameter_count(String model, long parameters) {
        // given
        ModelSpec spec = ModelCatalogue.get(model);

        // when
        long count = ResNetArchitecture.of(spec).learnableParameters();

        // then
        assertThat(count).isEqualTo(parameters).isEqualTo(spec.parameters());
    }

    @ParameterizedTest
    @CsvSource({"resnet18,1.814", "resnet34,3.664", "resnet50,4.089", "resnet101,7.801", "resnet152,11.514"})
    void should_count_the_multiply_adds_torchvision_publishes(String model, double billions) {
        // given: torchvision's published GFLOPS (multiply-adds) of each ResNet at 224 x 224
        ModelSpec spec = ModelCatalogue.get(model);

        // when
        long multiplyAdds = ResNetArchitecture.of(spec).multiplyAdds(224);

        // then
        assertThat(multiplyAdds / 1e9).isCloseTo(billions, org.assertj.core.data.Offset.offset(0.0015));
    }

    @Test
    void should_name_the_available_layers_for_an_unknown_one() {
        ModelSpec spec = ModelCatalogue.get("resnet18");

        assertThatThrownBy(() -> spec.select(List.of("layer4", "layer5")))
                .isInstanceOf(BadInputException.class)
                .hasMessage("unknown layer 'layer5' for model resnet18; available: layer1, layer2, layer3, layer4,"
                        + " avgpool, fc");
    }

    @Test
    void should_name_the_catalogue_for_an_unknown_model() {
        assertThatThrownBy(() -> ModelCatalogue.get("vgg16"))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining(
                        "unknown model 'vgg16'; the catalogue has: resnet18, resnet34, resnet50, resnet101, resnet152");
    }

    @Test
    void should_refuse_weights_of_another_depth() {
        ModelSpec spec = ModelCatalogue.get("resnet34");
        Map<String, Tensor> resnet18 = SeededWeights.generate(
                ResNetArchitecture.of(ModelCatalogue.get("resnet18")).parameterShapes(), 1);

        assertThatThrownBy(() -> ResNetArchitecture.of(spec).validate(resnet18, "w.pth"))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("w.pth: parameter layer1.2.conv1.weight is missing");
    }
}
