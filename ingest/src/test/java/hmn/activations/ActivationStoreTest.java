package hmn.activations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmn.core.BadInputException;
import hmn.io.FloatMatrix;
import hmn.io.Npy;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActivationStoreTest {
    static final Map<String, Integer> LAYERS = new LinkedHashMap<>(Map.of("layer4", 3));
    static final Map<String, Object> RUN = Map.of("model", "resnet18", "weights", "random:seed=1");

    static Map<String, FloatMatrix> rows(float... values) {
        return Map.of("layer4", new FloatMatrix(values.length / 3, 3, values));
    }

    @Test
    void should_write_npy_files_that_numpy_reads_after_every_batch(@TempDir Path dir) throws Exception {
        // given
        try (ActivationStore store = ActivationStore.open(dir, LAYERS, RUN)) {
            // when
            store.append(List.of("a.jpg", "b.jpg"), rows(1, 2, 3, 4, 5, 6));

            // then: readable while the run goes on
            FloatMatrix m = Npy.read(dir.resolve("layer4.npy"));
            assertThat(m.rows()).isEqualTo(2);
            assertThat(m.data()).containsExactly(1, 2, 3, 4, 5, 6);
            assertThat(Files.readAllLines(dir.resolve("images.txt"))).containsExactly("a.jpg", "b.jpg");
        }
    }

    @Test
    void should_resume_a_killed_run_from_the_rows_all_files_hold(@TempDir Path dir) throws Exception {
        // given: a run that stored two rows and died while writing the third (row data written, its line half-written)
        try (ActivationStore store = ActivationStore.open(dir, LAYERS, RUN)) {
            store.append(List.of("a.jpg", "b.jpg"), rows(1, 2, 3, 4, 5, 6));
            store.skip("bad.jpg", "empty file (0 bytes)");
        }
        try (FileChannel ch =
                FileChannel.open(dir.resolve("layer4.npy"), StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(java.nio.ByteBuffer.allocate(12));
        }
        Files.writeString(dir.resolve("images.txt"), "c.j", StandardOpenOption.APPEND);

        // when
        try (ActivationStore store = ActivationStore.open(dir, LAYERS, RUN)) {
            // then
            assertThat(store.resumedRows()).isEqualTo(2);
            assertThat(store.done()).containsExactlyInAnyOrder("a.jpg", "b.jpg", "bad.jpg");
            store.append(List.of("c.jpg"), rows(7, 8, 9));
        }
        FloatMatrix m = Npy.read(dir.resolve("layer4.npy"));
        assertThat(m.rows()).isEqualTo(3);
        assertThat(m.data()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(Files.readAllLines(dir.resolve("images.txt"))).containsExactly("a.jpg", "b.jpg", "c.jpg");
        assertThat(Files.readAllLines(dir.resolve("skipped.tsv"))).containsExactly("bad.jpg\tempty file (0 bytes)");
    }

    @Test
    void should_refuse_a_directory_of_another_run(@TempDir Path dir) {
        // given
        ActivationStore.open(dir, LAYERS, RUN).close();

        // when / then
        assertThatThrownBy(() -> ActivationStore.open(dir, LAYERS, Map.of("model", "resnet50", "weights", "x")))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("holds activations of another run (resnet18")
                .hasMessageContaining("choose another --out directory or delete this one");
    }

    @Test
    void should_resume_a_run_recorded_before_engines_were_as_a_pytorch_run(@TempDir Path dir) throws Exception {
        // given: a run.json written without an engine
        ActivationStore.open(dir, LAYERS, RUN).close();
        Map<String, Object> pytorch = new java.util.LinkedHashMap<>(RUN);
        pytorch.put("engine", "pytorch");
        Map<String, Object> onnxruntime = new java.util.LinkedHashMap<>(RUN);
        onnxruntime.put("engine", "onnxruntime");

        // when / then
        ActivationStore.open(dir, LAYERS, pytorch).close();
        assertThatThrownBy(() -> ActivationStore.open(dir, LAYERS, onnxruntime))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("holds activations of another run (resnet18");
    }
}
