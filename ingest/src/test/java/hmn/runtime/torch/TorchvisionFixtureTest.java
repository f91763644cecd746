package hmn.runtime.torch;

import static org.assertj.core.api.Assertions.assertThat;

import hmn.images.ImageDecoder;
import hmn.images.ImageNetPreprocessing;
import hmn.images.PilResize;
import hmn.images.RgbImage;
import hmn.io.FloatMatrix;
import hmn.runtime.ActivationModel;
import hmn.runtime.Engine;
import hmn.runtime.Fixtures;
import hmn.runtime.ModelCatalogue;
import hmn.runtime.ModelSpec;
import hmn.runtime.onnx.OnnxModel;
import hmn.runtime.weights.ResNetArchitecture;
import hmn.runtime.weights.SeededWeights;
import hmn.runtime.weights.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * hmn's decoding, preprocessing and ResNet18 forward against torchvision's, on the fixture that
 * {@code models/tools/make_fixture.py} produced with torchvision (seeded weights, the same images).
 */
@Tag("parity")
class TorchvisionFixtureTest {
    static final Path FIXTURE = Fixtures.path("torchvision");
    static final List<String> LAYERS = List.of("layer1", "layer2", "layer3", "layer4", "avgpool", "fc");
    static Map<String, Tensor> weights;

    @BeforeAll
    static void generateWeights() {
        weights = SeededWeights.generate(
                ResNetArchitecture.of(ModelCatalogue.get("resnet18")).parameterShapes(), 7);
    }

    @AfterAll
    static void dropWeights() {
        weights = null;
    }

    /** The catalogue model {@code name} on {@code weights}, run by {@code engine} as ingest runs it. */
    static ActivationModel model(String engine, String name, Map<String, Tensor> weights, List<String> layers) {
        ModelSpec spec = ModelCatalogue.get(name);
        return Engine.parse(engine) == Engine.ONNXRUNTIME
                ? OnnxModel.resnet(spec, weights, layers, "random:seed=7", 2)
                : TorchvisionResNet.checked(spec, weights, layers, "random:seed=7", 2, note -> {});
    }

    @ParameterizedTest
    @ValueSource(strings = {"rgb", "photo", "small"})
    void should_resize_bit_for_bit_as_pillow(String name) throws Exception {
        // given
        Path source = Files.list(FIXTURE.resolve("images"))
                .filter(p -> p.getFileName().toString().startsWith(name + "."))
                .findFirst()
                .orElseThrow();
        RgbImage image = ImageDecoder.defaults().decode(source);
        RgbImage expected = ImageDecoder.defaults().decode(FIXTURE.resolve("resized/" + name + ".png"));
        int[] size = ImageNetPreprocessing.IMAGENET.resizedSize(image.width(), image.height());

        // when
        RgbImage resized = PilResize.resize(image, size[0], size[1]);

        // then
        assertThat(resized.width()).isEqualTo(expected.width());
        assertThat(resized.height()).isEqualTo(expected.height());
        assertThat(resized.pixels()).isEqualTo(expected.pixels());
    }

    @ParameterizedTest
    @ValueSource(strings = {"onnxruntime", "pytorch"})
    void should_agree_with_torchvision_on_every_layer(String engine) throws Exception {
        // given
        List<String> images = Files.readAllLines(FIXTURE.resolve("expected/images.txt"));
        try (ActivationModel model = model(engine, "resnet18", weights, LAYERS)) {
            // when
            Map<String, FloatMatrix> actual = model.activations(fixtureInput(images, model), images.size());

            // then
            Fixtures.assertAgree(actual, FIXTURE.resolve("expected"), LAYERS, images);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"onnxruntime", "pytorch"})
    void should_agree_with_torchvision_on_resnet50_bottlenecks(String engine) throws Exception {
        // given
        ModelSpec spec = ModelCatalogue.get("resnet50");
        List<String> layers = List.of("layer1", "layer2", "layer3", "layer4", "fc");
        Map<String, Tensor> weights =
                SeededWeights.generate(ResNetArchitecture.of(spec).parameterShapes(), 7);
        List<String> images = Files.readAllLines(FIXTURE.resolve("expected-resnet50/images.txt"));
        try (ActivationModel resnet50 = model(engine, "resnet50", weights, layers)) {
            // when
            Map<String, FloatMatrix> actual = resnet50.activations(fixtureInput(images, resnet50), images.size());

            // then
            Fixtures.assertAgree(actual, FIXTURE.resolve("expected-resnet50"), layers, images);
        }
    }

    /** The fixture's {@code images}, decoded and preprocessed one after another in the layout {@code model} takes. */
    static float[] fixtureInput(List<String> images, ActivationModel model) throws Exception {
        ImageNetPreprocessing pre = ImageNetPreprocessing.IMAGENET;
        float[] input = new float[images.size() * pre.tensorSize()];
        for (int i = 0; i < images.size(); i++) {
            RgbImage image =
                    ImageDecoder.defaults().decode(FIXTURE.resolve("images").resolve(images.get(i)));
            pre.apply(image, input, i * pre.tensorSize(), model.channelsLastInput());
        }
        return input;
    }
}
