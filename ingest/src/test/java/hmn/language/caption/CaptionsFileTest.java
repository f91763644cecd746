package hmn.language.caption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmn.core.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CaptionsFileTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"captions.csv", "captions.jsonl"})
    void should_write_and_read_back_captions_with_commas_quotes_and_newlines(String name) {
        // given
        List<CaptionRow> rows = List.of(new CaptionRow("a/b c.jpg", "a dog, a cat and a \"bird\""),
                new CaptionRow("x.png", "two\nlines"), new CaptionRow("y.png", "plain"));
        Path file = dir.resolve(name);
        // when
        CaptionsFile.write(file, rows);
        // then
        assertThat(CaptionsFile.read(file)).isEqualTo(rows);
    }

    @ParameterizedTest
    @ValueSource(strings = {"img,text\na.jpg,x\n", "image,caption\na.jpg,x,y\n", "image,caption\na.jpg,x\na.jpg,y\n"})
    void should_reject_a_malformed_csv_naming_the_problem(String content) throws Exception {
        // given
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, content);
        // when / then
        assertThatThrownBy(() -> CaptionsFile.read(file))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("captions file " + file);
    }
}
