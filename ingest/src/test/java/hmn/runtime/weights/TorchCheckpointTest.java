package hmn.runtime.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hmn.core.BadInputException;
import hmn.runtime.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchCheckpointTest {
    @Test
    void should_read_tensors_saved_by_torch_save() throws Exception {
        // given: a state dict that torch.save wrote (views, offsets, float64, float16, an int64, a Parameter)
        Path fixture = Fixtures.path("torchvision");
        JsonNode expected =
                new ObjectMapper().readTree(fixture.resolve("tiny.json").toFile());

        // when
        Map<String, Tensor> tensors = TorchCheckpoint.read(fixture.resolve("tiny.pth"));

        // then
        assertThat(tensors).doesNotContainKey("count");
        assertThat(tensors.keySet()).hasSize(expected.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Tensor t = tensors.get(e.getKey());
            assertThat(t).as(e.getKey()).isNotNull();
            assertThat(t.shape())
                    .as(e.getKey())
                    .containsExactly(
                            new ObjectMapper().convertValue(e.getValue().get("shape"), long[].class));
            JsonNode values = e.getValue().get("values");
            for (int i = 0; i < values.size(); i++) {
                assertThat(t.data()[i]).as(e.getKey() + "[" + i + "]").isEqualTo((float)
                        values.get(i).asDouble());
            }
        }
    }

    @Test
    void should_refuse_a_file_that_is_not_a_checkpoint(@TempDir Path dir) throws Exception {
        // given
        Path file = dir.resolve("weights.pth");
        Files.writeString(file, "not a zip");

        // when / then
        assertThatThrownBy(() -> TorchCheckpoint.read(file))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("not a zip-format PyTorch checkpoint");
    }

    @Test
    void should_round_trip_safetensors(@TempDir Path dir) throws Exception {
        // given
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("conv.weight", new Tensor(new long[] {2, 1, 1, 2}, new float[] {1f, -2f, 3.5f, 0f}));
        tensors.put("bias", new Tensor(new long[] {3}, new float[] {0.25f, 7f, -1e-7f}));
        Path file = dir.resolve("w.safetensors");

        // when
        SafeTensors.write(file, tensors);
        Map<String, Tensor> read = SafeTensors.read(file);

        // then
        assertThat(read.keySet()).containsExactlyInAnyOrder("conv.weight", "bias");
        assertThat(read.get("conv.weight").data()).containsExactly(1f, -2f, 3.5f, 0f);
        assertThat(read.get("conv.weight").shape()).containsExactly(2, 1, 1, 2);
        assertThat(read.get("bias").data()).containsExactly(0.25f, 7f, -1e-7f);
    }
}
