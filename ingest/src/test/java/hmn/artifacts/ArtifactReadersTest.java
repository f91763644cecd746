package hmn.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmn.core.BadInputException;
import hmn.io.FloatMatrix;
import hmn.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactReadersTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void should_read_csv_captions_with_quoted_commas_quotes_and_line_breaks() throws Exception {
        // given
        Path f = write("c.csv", "image,caption\r\na/1.jpg,\"a dog, running\"\nb.jpg,\"a \"\"big\"\"\ncat\"\n");
        // when
        Captions c = Captions.read(f);
        // then
        assertThat(c.images()).containsExactly("a/1.jpg", "b.jpg");
        assertThat(c.texts()).containsExactly("a dog, running", "a \"big\"\ncat");
        assertThat(c.lines()).containsExactly(2, 3);
    }

    @Test
    void should_read_json_lines_captions() throws Exception {
        Path f = write("c.jsonl", "{\"image\": \"x.jpg\", \"caption\": \"a boat\"}\n\n{\"image\":\"y.jpg\",\"caption\":\"sea\"}\n");
        Captions c = Captions.read(f);
        assertThat(c.images()).containsExactly("x.jpg", "y.jpg");
        assertThat(c.lines()).containsExactly(1, 3);
    }

    @Test
    void should_name_file_and_line_of_malformed_json() throws Exception {
        Path f = write("c.jsonl", "{\"image\": \"x.jpg\", \"caption\": \"a boat\"}\n{\"image\": \"y.jpg\"\n");
        assertThatThrownBy(() -> Captions.read(f)).isInstanceOf(BadInputException.class)
                .hasMessageStartingWith(f + ": line 2: not valid JSON");
    }

    @Test
    void should_reject_a_wrong_header_a_backslash_path_and_a_missing_field() throws Exception {
        Path header = write("h.csv", "img,text\na,b\n");
        assertThatThrownBy(() -> Captions.read(header)).hasMessage(header
                + ": line 1: header is 'img,text', expected 'image,caption'; fix the first line");
        Path slash = write("s.csv", "image,caption\na\\b.jpg,x\n");
        assertThatThrownBy(() -> Captions.read(slash)).hasMessage(slash
                + ": line 2: the image path 'a\\b.jpg' uses '\\'; write it with '/' separators");
        Path fields = write("f.csv", "image,caption\na.jpg\n");
        assertThatThrownBy(() -> Captions.read(fields)).hasMessage(fields + ": line 2: has 1 fields, expected 2"
                + " (image,caption); put a caption holding commas in double quotes");
    }

    @Test
    void should_reject_an_unterminated_quote() throws Exception {
        Path f = write("q.csv", "image,caption\na.jpg,\"open\nb.jpg,x\n");
        assertThatThrownBy(() -> Captions.read(f))
                .hasMessage(f + ": line 2: a quoted field is never closed; add the closing double quote");
    }

    @Test
    void should_read_a_nested_partition_and_keep_its_first_levels() throws Exception {
        Path f = write("p.csv", "image,level_1,level_2\na,0,0\nb,1,0\nc,2,1\n");
        Partitions p = Partitions.read(f);
        assertThat(p.levels()).isEqualTo(2);
        assertThat(p.labels()[1]).containsExactly(0, 0, 1);
        assertThat(p.firstLevels(1).levels()).isEqualTo(1);
    }

    @Test
    void should_reject_a_negative_label() throws Exception {
        Path f = write("p.csv", "image,level_1\na,-1\n");
        assertThatThrownBy(() -> Partitions.read(f)).hasMessage(f
                + ": line 2: level_1 is '-1', expected an integer >= 0; labels are cluster numbers");
    }

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
        assertThatThrownBy(() -> Activations.read(acts, List.of())).hasMessage(acts.resolve("layer1.npy")
                + ": row 2 (image 'b.jpg'), channel 1 is Infinity; activations must be finite: re-extract that"
                + " image's activations");
    }
}
