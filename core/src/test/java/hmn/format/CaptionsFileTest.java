package hmn.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmn.core.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CaptionsFileTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"captions.csv", "captions.jsonl", "captions.json"})
    void should_write_and_read_back_captions_with_commas_quotes_and_line_breaks(String name) {
        // given
        List<CaptionRow> rows = List.of(
                new CaptionRow("a/b c.jpg", "a dog, a cat and a \"bird\""),
                new CaptionRow("x.png", "two\nlines, one comma"),
                new CaptionRow("w.png", "windows\r\nline end"),
                new CaptionRow("y.png", "plain"));
        Path file = dir.resolve(name);

        // when
        CaptionsFile.write(file, rows);

        // then
        assertThat(CaptionsFile.read(file).rows()).isEqualTo(rows);
    }

    @Test
    void should_read_csv_captions_with_quoted_commas_quotes_and_line_breaks() throws Exception {
        // given
        Path f = write("c.csv", "image,caption\r\na/1.jpg,\"a dog, running\"\nb.jpg,\"a \"\"big\"\"\ncat\"\n");

        // when
        Captions c = CaptionsFile.read(f);

        // then
        assertThat(c.images()).containsExactly("a/1.jpg", "b.jpg");
        assertThat(c.texts()).containsExactly("a dog, running", "a \"big\"\ncat");
        assertThat(c.lines()).containsExactly(2, 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"c.jsonl", "c.json", "c.ndjson", "c.txt"})
    void should_read_json_lines_captions_by_name_or_content(String name) throws Exception {
        // given
        Path f = write(
                name, "{\"image\": \"x.jpg\", \"caption\": \"a boat\"}\n\n{\"image\":\"y.jpg\",\"caption\":\"sea\"}\n");

        // when
        Captions c = CaptionsFile.read(f);

        // then
        assertThat(c.images()).containsExactly("x.jpg", "y.jpg");
        assertThat(c.texts()).containsExactly("a boat", "sea");
        assertThat(c.lines()).containsExactly(1, 3);
        assertThat(c.byImage()).containsEntry("y.jpg", "sea");
    }

    @Test
    void should_name_file_and_line_of_malformed_json() throws Exception {
        Path f = write("c.jsonl", "{\"image\": \"x.jpg\", \"caption\": \"a boat\"}\n{\"image\": \"y.jpg\"\n");
        assertThatThrownBy(() -> CaptionsFile.read(f))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith(f + ": line 2: not valid JSON");
        Path json = write("c.json", "{\"image\": \"a.png\", \"caption\": 3}\n");
        assertThatThrownBy(() -> CaptionsFile.read(json))
                .hasMessage(json + ": line 1: expected an object with string"
                        + " fields \"image\" and \"caption\"; write {\"image\": ..., \"caption\": ...}");
    }

    @Test
    void should_reject_a_wrong_header_a_backslash_path_and_a_missing_field() throws Exception {
        Path header = write("h.csv", "img,text\na,b\n");
        assertThatThrownBy(() -> CaptionsFile.read(header))
                .hasMessage(header + ": line 1: header is 'img,text', expected 'image,caption'; fix the first line");
        Path slash = write("s.csv", "image,caption\na\\b.jpg,x\n");
        assertThatThrownBy(() -> CaptionsFile.read(slash))
                .hasMessage(slash + ": line 2: the image path 'a\\b.jpg' uses '\\'; write it with '/' separators");
        Path fields = write("f.csv", "image,caption\na.jpg\n");
        assertThatThrownBy(() -> CaptionsFile.read(fields))
                .hasMessage(fields + ": line 2: has 1 fields, expected 2"
                        + " (image,caption); put a caption holding commas in double quotes");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "img,text\na.jpg,x\n",
                "image,caption\na.jpg,x,y\n",
                "image,caption\na.jpg,x\na.jpg,y\n",
                "image,caption\na.jpg, \n",
                "image,caption\n",
                ""
            })
    void should_reject_a_malformed_csv_naming_the_problem(String content) throws Exception {
        // given
        Path file = write("bad.csv", content);

        // when / then
        assertThatThrownBy(() -> CaptionsFile.read(file))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith(file + ": ");
    }

    @Test
    void should_name_the_first_line_of_a_duplicate_and_reject_an_empty_caption() throws Exception {
        Path dup = write("d.csv", "image,caption\na.jpg,x\nb.jpg,y\na.jpg,z\n");
        assertThatThrownBy(() -> CaptionsFile.read(dup))
                .hasMessage(dup + ": line 4: image 'a.jpg' already has a"
                        + " caption on line 2; keep one caption per image");
        Path empty = write("e.jsonl", "{\"image\": \"a.jpg\", \"caption\": \"  \"}\n");
        assertThatThrownBy(() -> CaptionsFile.read(empty))
                .hasMessage(empty + ": line 1: the caption of 'a.jpg' is" + " empty; give every image a caption");
    }

    @Test
    void should_reject_an_unterminated_quote() throws Exception {
        Path f = write("q.csv", "image,caption\na.jpg,\"open\nb.jpg,x\n");
        assertThatThrownBy(() -> CaptionsFile.read(f))
                .hasMessage(f + ": line 2: a quoted field is never closed; add the closing double quote");
    }
}
