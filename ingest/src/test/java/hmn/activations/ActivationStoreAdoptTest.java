package hmn.activations;

import static hmn.activations.ActivationStoreTest.LAYERS;
import static hmn.activations.ActivationStoreTest.RUN;
import static hmn.activations.ActivationStoreTest.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmn.core.BadInputException;
import hmn.io.FloatMatrix;
import hmn.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reusing other activation directories of the same run (the shards of {@code ingest --shard}). */
class ActivationStoreAdoptTest {
    @TempDir
    Path dir;

    private Path shard(String name, List<String> images, float[] values, String skipped) {
        Path shard = dir.resolve(name);
        try (ActivationStore store = ActivationStore.open(shard, LAYERS, RUN)) {
            store.append(images, rows(values));
            if (skipped != null) {
                store.skip(skipped, "empty file (0 bytes)");
            }
        }
        return shard;
    }

    @Test
    void should_copy_the_shards_rows_in_the_collections_order_and_leave_the_shards_as_they_were() throws Exception {
        // given two shards, each in its own order, and a store that already holds one image
        Path one = shard("one", List.of("d.jpg", "a.jpg"), new float[] {4, 4, 4, 1, 1, 1}, "e.jpg");
        Path two = shard("two", List.of("c.jpg"), new float[] {3, 3, 3}, null);
        byte[] before = Files.readAllBytes(one.resolve("layer4.npy"));
        Path main = dir.resolve("main");
        try (ActivationStore store = ActivationStore.open(main, LAYERS, RUN)) {
            store.append(List.of("d.jpg"), rows(9, 9, 9));
            // when
            long adopted = store.adopt(
                    List.of(one, two, dir.resolve("absent")), List.of("a.jpg", "b.jpg", "c.jpg", "d.jpg", "e.jpg"));
            // then
            assertThat(adopted).isEqualTo(2);
            assertThat(store.resumedRows()).isEqualTo(2);
            assertThat(store.done()).containsExactlyInAnyOrder("a.jpg", "c.jpg", "d.jpg", "e.jpg");
            assertThat(store.skipped()).containsExactly("e.jpg\tempty file (0 bytes)");
        }
        FloatMatrix m = Npy.read(main.resolve("layer4.npy"));
        assertThat(m.data()).containsExactly(9, 9, 9, 1, 1, 1, 3, 3, 3);
        assertThat(Files.readAllLines(main.resolve("images.txt"))).containsExactly("d.jpg", "a.jpg", "c.jpg");
        assertThat(Files.readAllBytes(one.resolve("layer4.npy"))).isEqualTo(before);
    }

    @Test
    void should_refuse_a_directory_written_by_another_run() {
        // given
        Path other = dir.resolve("other");
        try (ActivationStore store =
                ActivationStore.open(other, LAYERS, Map.of("model", "resnet50", "weights", "random:seed=1"))) {
            store.append(List.of("a.jpg"), rows(1, 1, 1));
        }
        try (ActivationStore store = ActivationStore.open(dir.resolve("main"), LAYERS, RUN)) {
            // when / then
            assertThatThrownBy(() -> store.adopt(List.of(other), List.of("a.jpg")))
                    .isInstanceOf(BadInputException.class)
                    .hasMessage(other + " holds activations of another run (resnet50, null, random:seed=1) than this"
                            + " one (resnet18, null, random:seed=1); give every run the same --model, --layers and"
                            + " weights options, or delete " + other);
            assertThat(store.done()).isEmpty();
        }
    }
}
