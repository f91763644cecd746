package hmn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import hmn.io.FloatMatrix;
import hmn.io.Npy;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterCommandTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {}

    private static Run hmn(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Hmn.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static Path fixture(String file) throws URISyntaxException {
        return Path.of(ClusterCommandTest.class.getResource("/finch/" + file).toURI());
    }

    @Test
    void should_write_reference_partitions_with_header_and_print_counts() throws Exception {
        // given
        Path out = dir.resolve("p.csv");

        // when
        Run run = hmn("cluster", "--embeddings", fixture("iris.npy").toString(), "--out", out.toString());

        // then
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("level 1: 38 clusters", "level 2: 12 clusters", "level 3: 3 clusters");
        List<String> lines = Files.readAllLines(out);
        List<String> expected = Files.readAllLines(fixture("iris.partitions.csv"));
        assertThat(lines.get(0)).isEqualTo("point,level_1,level_2,level_3");
        assertThat(lines).hasSize(151);
        for (int i = 0; i < 150; i++) {
            assertThat(lines.get(i + 1)).isEqualTo(i + "," + expected.get(i));
        }
    }

    @Test
    void should_read_csv_like_npy_and_honour_levels_and_no_early_exit() throws Exception {
        // given
        FloatMatrix x = Npy.read(fixture("wine.npy"));
        Path csv = dir.resolve("wine.csv");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < x.rows(); i++) {
            for (int c = 0; c < x.cols(); c++) {
                sb.append(c == 0 ? "" : ",").append(x.get(i, c));
            }
            sb.append('\n');
        }
        Files.writeString(csv, sb);
        Path out = dir.resolve("p.csv");

        // when
        Run run = hmn(
                "cluster", "--embeddings", csv.toString(), "--out", out.toString(), "--no-early-exit", "--levels", "2");

        // then
        assertThat(run.exit()).as(run.err()).isZero();
        List<String> lines = Files.readAllLines(out);
        List<String> expected = Files.readAllLines(fixture("wine.noee.partitions.csv"));
        assertThat(lines.get(0)).isEqualTo("point,level_1,level_2");
        for (int i = 0; i < x.rows(); i++) {
            String[] cells = expected.get(i).split(",");
            assertThat(lines.get(i + 1)).isEqualTo(i + "," + cells[0] + "," + cells[1]);
        }
    }

    private Path npy(String name, String dict, int dataBytes) throws IOException {
        StringBuilder h = new StringBuilder(dict);
        while ((10 + h.length() + 1) % 64 != 0) {
            h.append(' ');
        }
        h.append('\n');
        byte[] hb = h.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(10 + hb.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0})
                .putShort((short) hb.length)
                .put(hb);
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    private Run clusterExpectingBadInput(Path input) {
        Run run = hmn(
                "cluster",
                "--embeddings",
                input.toString(),
                "--out",
                dir.resolve("out.csv").toString());
        assertThat(run.exit()).isEqualTo(Hmn.BAD_INPUT);
        assertThat(run.err().strip().lines()).hasSize(1);
        assertThat(run.err()).startsWith("hmn: ");
        assertThat(Files.exists(dir.resolve("out.csv"))).isFalse();
        return run;
    }

    @Test
    void should_reject_a_missing_file() {
        Run run = clusterExpectingBadInput(dir.resolve("nope.npy"));
        assertThat(run.err()).contains("nope.npy: no such file");
    }

    @Test
    void should_reject_an_empty_array() throws IOException {
        Path p = npy("empty.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 4), }", 0);
        assertThat(clusterExpectingBadInput(p).err()).contains("is empty");
    }

    @Test
    void should_reject_one_and_three_dimensional_arrays() throws IOException {
        Path one = npy("one.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", 16);
        Path three = npy("three.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2, 2), }", 32);
        assertThat(clusterExpectingBadInput(one).err()).contains("has 1 dimensions, expected 2");
        assertThat(clusterExpectingBadInput(three).err()).contains("has 3 dimensions, expected 2");
    }

    @Test
    void should_reject_an_unsupported_dtype_and_fortran_order() throws IOException {
        Path ints = npy("ints.npy", "{'descr': '<i8', 'fortran_order': False, 'shape': (2, 2), }", 32);
        Path fortran = npy("f.npy", "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", 16);
        assertThat(clusterExpectingBadInput(ints).err()).contains("dtype '<i8' is not supported");
        assertThat(clusterExpectingBadInput(fortran).err()).contains("Fortran order");
    }

    @Test
    void should_reject_ragged_csv_rows_naming_the_line() throws IOException {
        Path p = dir.resolve("ragged.csv");
        Files.writeString(p, "1,2,3\n4,5,6\n7,8\n");
        assertThat(clusterExpectingBadInput(p).err()).contains("line 3 has 2 values, the first row has 3");
    }

    @Test
    void should_reject_non_finite_values_naming_the_row() throws IOException {
        Path csv = dir.resolve("nan.csv");
        Files.writeString(csv, "1,2\n3,NaN\n5,6\n");
        assertThat(clusterExpectingBadInput(csv).err()).contains("line 2 (row 1, 0-based) holds NaN");
        Path npy = dir.resolve("inf.npy");
        Npy.write(npy, new FloatMatrix(3, 2, new float[] {1, 2, 3, 4, Float.POSITIVE_INFINITY, 6}));
        assertThat(clusterExpectingBadInput(npy).err()).contains("row 2 (0-based) holds NaN or an infinite value");
    }

    @Test
    void should_reject_a_header_row_and_an_empty_csv() throws IOException {
        Path header = dir.resolve("header.csv");
        Files.writeString(header, "a,b\n1,2\n");
        assertThat(clusterExpectingBadInput(header).err()).contains("line 1, column 1: 'a' is not a number");
        Path empty = dir.resolve("empty.csv");
        Files.writeString(empty, "");
        assertThat(clusterExpectingBadInput(empty).err()).contains("no rows");
    }

    @Test
    void should_reject_bad_options() throws Exception {
        Run levels = hmn(
                "cluster",
                "--embeddings",
                fixture("iris.npy").toString(),
                "--out",
                dir.resolve("o.csv").toString(),
                "--levels",
                "0");
        Run mode = hmn(
                "cluster",
                "--embeddings",
                fixture("iris.npy").toString(),
                "--out",
                dir.resolve("o.csv").toString(),
                "--neighbours",
                "fast");
        assertThat(levels.exit()).isEqualTo(Hmn.BAD_INPUT);
        assertThat(levels.err()).contains("--levels must be >= 1, got 0");
        assertThat(mode.exit()).isEqualTo(Hmn.BAD_INPUT);
        assertThat(mode.err()).contains("--neighbours must be exact, approximate or auto, got 'fast'");
    }
}
