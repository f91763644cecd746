package hmn.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionsFileTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void should_read_a_nested_partition_and_keep_its_first_levels() throws Exception {
        Path f = write("p.csv", "image,level_1,level_2\na,0,0\nb,1,0\nc,2,1\n");
        Partitions p = PartitionsFile.read(f);
        assertThat(p.levels()).isEqualTo(2);
        assertThat(p.labels()[1]).containsExactly(0, 0, 1);
        assertThat(p.firstLevels(1).levels()).isEqualTo(1);
    }

    @Test
    void should_write_what_it_reads() throws Exception {
        // given
        Path f = dir.resolve("out/p.csv");
        List<String> images = List.of("a/x.jpg", "b, c.jpg", "d.jpg");
        int[][] labels = {{0, 1, 2}, {0, 0, 1}};

        // when
        PartitionsFile.write(f, images, labels);

        // then
        assertThat(Files.readString(f)).isEqualTo("image,level_1,level_2\na/x.jpg,0,0\n\"b, c.jpg\",1,0\nd.jpg,2,1\n");
        Partitions p = PartitionsFile.read(f);
        assertThat(p.images()).isEqualTo(images);
        assertThat(p.labels()).isEqualTo(labels);
        assertThat(p.lines()).containsExactly(2, 3, 4);
    }

    @Test
    void should_reject_a_negative_label() throws Exception {
        Path f = write("p.csv", "image,level_1\na,-1\n");
        assertThatThrownBy(() -> PartitionsFile.read(f))
                .hasMessage(f + ": line 2: level_1 is '-1', expected an integer >= 0; labels are cluster numbers");
    }

    @Test
    void should_reject_partitions_that_are_not_nested() throws Exception {
        Path f = write("p.csv", "image,level_1,level_2\na,0,0\nb,0,1\n");
        assertThatThrownBy(() -> PartitionsFile.read(f))
                .hasMessage(f + ": line 3: partitions are not nested: level_1"
                        + " cluster 0 is in level_2 cluster 1 here but in cluster 0 on line 2; every level_1 cluster must lie"
                        + " inside one level_2 cluster");
    }
}
