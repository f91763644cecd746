package hmn.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmn.core.BadInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CsvFilesTest {
    @TempDir
    Path dir;

    @Test
    void should_write_and_read_back_commas_quotes_cr_and_lf() throws IOException {
        // given
        List<List<String>> records = List.of(
                List.of("image", "caption"),
                List.of("a b/c.jpg", "a dog, a \"cat\""),
                List.of("x.png", "two\nlines, and\r\nmore"),
                List.of("y.png", "cr\ronly"),
                List.of("z.png", ""));
        Path file = dir.resolve("t.csv");

        // when
        CsvFiles.write(file, out -> {
            for (List<String> r : records) {
                out.row(r);
            }
        });

        // then
        assertThat(CsvFiles.read(file)).extracting(CsvFiles.Row::fields).containsExactlyElementsOf(records);
        // and each record knows its first line (LF, CR LF and a lone CR each end a line)
        assertThat(CsvFiles.read(file)).extracting(CsvFiles.Row::line).containsExactly(1, 2, 3, 6, 8);
        assertThat(Files.readString(file)).startsWith("image,caption\na b/c.jpg,\"a dog, a \"\"cat\"\"\"\n");
        assertThat(dir.resolve("t.csv.tmp")).doesNotExist();
    }

    @Test
    void should_quote_only_fields_that_need_it() {
        assertThat(CsvFiles.line(List.of("plain text", "a,b", "say \"hi\"", "l\nf", "c\rr", " lead", "")))
                .isEqualTo("plain text,\"a,b\",\"say \"\"hi\"\"\",\"l\nf\",\"c\rr\", lead,");
    }

    @Test
    void should_skip_a_byte_order_mark_and_blank_lines_and_keep_record_lines() {
        // when
        List<CsvFiles.Row> rows = CsvFiles.parse(Path.of("f.csv"), "\uFEFFa,b\r\n\n\"c\nd\",e\n\n,\n\"\"\n  \n");

        // then
        assertThat(rows)
                .containsExactly(
                        new CsvFiles.Row(1, List.of("a", "b")),
                        new CsvFiles.Row(3, List.of("c\nd", "e")),
                        new CsvFiles.Row(6, List.of("", "")),
                        new CsvFiles.Row(7, List.of("")),
                        new CsvFiles.Row(8, List.of("  ")));
    }

    @Test
    void should_name_file_line_and_fix_of_malformed_csv() {
        Path f = Path.of("bad.csv");
        assertThatThrownBy(() -> CsvFiles.parse(f, "a,b\nc,\"open\nd,e\n"))
                .isInstanceOf(BadInputException.class)
                .hasMessage(f + ": line 2: a quoted field is never closed; add the closing double quote");
        assertThatThrownBy(() -> CsvFiles.parse(f, "a,b\n\"x\ny\"z,1\n"))
                .hasMessage(f + ": line 3: text after a"
                        + " closing quote; put the whole field in double quotes and write a quote inside it as \"\"");
        assertThatThrownBy(() -> CsvFiles.parse(f, "a,b\n\nc,5\" nail\n"))
                .hasMessage(
                        f + ": line 3: a quote inside"
                                + " an unquoted field; put the whole field in double quotes and write a quote inside it as \"\"");
    }

    @Test
    void should_stream_a_file_like_reading_it() throws IOException {
        // given
        Path file = dir.resolve("m.csv");
        Files.writeString(file, "\uFEFF1,2\n\n3,\"4\"\r\n", StandardCharsets.UTF_8);

        // when
        List<CsvFiles.Row> rows = new ArrayList<>();
        CsvFiles.stream(file, rows::add);

        // then
        assertThat(rows).isEqualTo(CsvFiles.read(file));
        assertThat(rows)
                .containsExactly(new CsvFiles.Row(1, List.of("1", "2")), new CsvFiles.Row(3, List.of("3", "4")));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void should_refuse_a_missing_file_a_directory_and_non_utf8_text(boolean streaming) throws IOException {
        Path missing = dir.resolve("missing.csv");
        Path latin1 = dir.resolve("latin1.csv");
        Files.write(latin1, new byte[] {'a', ',', (byte) 0xE9, '\n'});
        for (Path f : List.of(missing, dir, latin1)) {
            String expected = f == missing
                    ? ": no such file; check the path"
                    : f == dir
                            ? ": is a directory, expected a file; check the path"
                            : ": is not UTF-8 text; save it as UTF-8";
            assertThatThrownBy(() -> {
                        if (streaming) {
                            CsvFiles.stream(f, r -> {});
                        } else {
                            CsvFiles.read(f);
                        }
                    })
                    .isInstanceOf(BadInputException.class)
                    .hasMessage(f + expected);
        }
    }
}
