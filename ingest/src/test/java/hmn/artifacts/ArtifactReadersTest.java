package hmn.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmn.io.FloatMatrix;
import hmn.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The activations reader (captions and partitions: core's {@code hmn.format} tests). */
class ArtifactReadersTest {
    @TempDir
    Path dir;

    @Test
    void should_read_activations_in_natural_layer_order_and_select_layers() throws Exception {
        Path acts = Files.createDirectory(dir.resolve("acts"));
        Files.writeString(acts.resolve("images.txt"), "a.jpg\nb.jpg\n");
        Npy.write(acts.resolve("layer10.npy"), new FloatMatrix(2, 1, new float[] {1, 2}));
        Npy.write(acts.resolve("layer2.npy"), new FloatMatrix(2, 2, new float[] {1, 2, 3, 4}));
        assertThat(Activations.read(acts, List.of()).layers().keySet()).containsExactly("layer2", "layer10");
        assertThat(Activations.read(acts, List.of("layer10")).layers().keySet()).containsExactly("layer10");
    }

    @Test
    void should_reject_infinite_activations_naming_row_image_and_channel() throws Exception {
        Path acts = Files.createDirectory(dir.resolve("acts"));
        Files.writeString(acts.resolve("images.txt"), "a.jpg\nb.jpg\n");
        Npy.write(acts.resolve("layer1.npy"), new FloatMatrix(2, 2, new float[] {1, 2, 3, Float.POSITIVE_INFINITY}));
        assertThatThrownBy(() -> Activations.read(acts, List.of()))
                .hasMessage(acts.resolve("layer1.npy")
                        + ": row 2 (image 'b.jpg'), channel 1 is Infinity; activations must be finite: re-extract that"
                        + " image's activations");
    }
}
