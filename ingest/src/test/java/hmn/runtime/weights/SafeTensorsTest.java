package hmn.runtime.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmn.core.BadInputException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path temp;

    private Path written() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("b.weight", new Tensor(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
        tensors.put("a.bias", new Tensor(new long[] {2}, new float[] {-0.5f, 7.25f}));
        Path file = temp.resolve("model.safetensors");
        SafeTensors.write(file, tensors);
        return file;
    }

    @Test
    void should_map_each_tensor_in_header_order_with_its_bytes() throws IOException {
        // given
        Path file = written();

        // when
        Map<String, SafeTensors.Mapped> mapped = SafeTensors.map(file);

        // then
        assertThat(mapped.keySet()).containsExactly("b.weight", "a.bias");
        SafeTensors.Mapped weight = mapped.get("b.weight");
        assertThat(weight.entry().dtype()).isEqualTo("F32");
        assertThat(weight.entry().shape()).containsExactly(2, 3);
        assertThat(weight.entry().elements()).isEqualTo(6);
        float[] values = new float[6];
        weight.data().asFloatBuffer().get(values);
        assertThat(values).containsExactly(1, 2, 3, 4, 5, 6);
        float[] bias = new float[2];
        mapped.get("a.bias").data().asFloatBuffer().get(bias);
        assertThat(bias).containsExactly(-0.5f, 7.25f);
        assertThat(SafeTensors.read(file).get("a.bias").data()).containsExactly(-0.5f, 7.25f);
    }

    @Test
    void should_refuse_a_truncated_file_naming_the_tensor() throws IOException {
        // given: the last tensor's bytes cut short
        Path file = written();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 4);
        }

        // when / then
        for (var reader : List.<ThrowingReader>of(SafeTensors::map, SafeTensors::read)) {
            assertThatThrownBy(() -> reader.read(file))
                    .isInstanceOf(BadInputException.class)
                    .hasMessageContaining("tensor a.bias has inconsistent offsets");
        }
    }

    private interface ThrowingReader {
        Object read(Path file) throws IOException;
    }
}
