package hmn.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmn.core.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shard of {@code ingest --shard I/N}: parsing, and scanning only its own files. */
class ShardScanTest {
    @TempDir
    Path dir;

    @Test
    void should_scan_and_remember_only_the_shards_files_as_the_split_of_the_whole_collection() throws Exception {
        // given
        Path images = Files.createDirectories(dir.resolve("images"));
        for (int i = 0; i < 30; i++) {
            Files.writeString(images.resolve("img" + i + ".jpg"), "x" + i);
        }
        ImageInventory all = ImageInventory.scan(images, null);
        for (int s = 1; s <= 3; s++) {
            Shard shard = Shard.parse(s + "/3");
            Path cache = dir.resolve("shard" + s + ".tsv");
            // when
            ImageInventory mine = ImageInventory.scan(images, cache, shard.index(), shard.count());
            // then
            assertThat(mine.entries())
                    .isEqualTo(all.shard(shard.index(), shard.count()).entries());
            assertThat(Files.readAllLines(cache)).hasSize(mine.size());
        }
    }

    @Test
    void should_parse_i_of_n_counting_from_one() {
        Shard shard = Shard.parse(" 2/3 ");
        assertThat(shard).isEqualTo(new Shard(2, 3));
        assertThat(shard.index()).isEqualTo(1);
        assertThat(shard.dirName()).isEqualTo("2-of-3");
        assertThat(shard).hasToString("2/3");
        for (String bad : new String[] {"0/3", "4/3", "1/0", "-1/2", "1/", "a/b", "", "1/2/3"}) {
            assertThatThrownBy(() -> Shard.parse(bad))
                    .as(bad)
                    .isInstanceOf(BadInputException.class)
                    .hasMessageStartingWith("--shard must be I/N with 1 <= I <= N (e.g. --shard 2/3 on the second of"
                            + " three machines), got ");
        }
    }
}
