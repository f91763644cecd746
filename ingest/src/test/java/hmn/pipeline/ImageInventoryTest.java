package hmn.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmn.core.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageInventoryTest {
    @TempDir
    Path dir;

    @Test
    void should_list_files_by_relative_path_with_slashes_and_skip_hidden_and_text_files() throws Exception {
        Path images = Files.createDirectories(dir.resolve("images/sub"));
        Files.writeString(images.resolve("b.jpg"), "b");
        Files.writeString(images.getParent().resolve("a.png"), "a");
        Files.writeString(images.getParent().resolve("notes.csv"), "x");
        Files.writeString(images.getParent().resolve(".hidden.jpg"), "h");

        ImageInventory inventory = ImageInventory.scan(images.getParent(), dir.resolve("work/inventory.tsv"));

        assertThat(inventory.entries()).extracting(ImageInventory.Entry::id).containsExactly("a.png", "sub/b.jpg");
        assertThat(inventory.entries().get(0).sha256())
                .isEqualTo("ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb");
    }

    @Test
    void should_reuse_remembered_hashes_of_unchanged_files() throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Files.writeString(images.resolve("a.jpg"), "a");
        Path cache = dir.resolve("inventory.tsv");
        ImageInventory.scan(images, cache);
        // a remembered hash is trusted while size and time are unchanged: tamper with it to see it reused
        Files.writeString(cache, Files.readString(cache).replaceAll("\t[0-9a-f]{64}", "\tremembered"));

        assertThat(ImageInventory.scan(images, cache).entries().get(0).sha256()).isEqualTo("remembered");
    }

    @Test
    void should_reject_a_missing_directory_with_one_clear_line() {
        assertThatThrownBy(() -> ImageInventory.scan(dir.resolve("nope"), null))
                .isInstanceOf(BadInputException.class)
                .hasMessageEndingWith("nope: not a directory; give the folder that holds the images");
    }
}
