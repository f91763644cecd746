package hmn.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmn.core.BadInputException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image collection on a Hadoop file system other than file:// ({@link OtherSchemeFileSystem}, Hadoop's local
 * implementation under the scheme otherfs), copied through the Hadoop API: every file at its relative path, only new
 * or changed ones on a rerun; a folder that does not exist or is a file is bad input.
 */
class HadoopImagesTest {
    @TempDir
    Path tmp;

    @Test
    void should_copy_a_collection_and_then_only_what_changed() throws Exception {
        // given
        Path source = tmp.resolve("remote");
        Files.createDirectories(source.resolve("beach"));
        Files.write(source.resolve("beach/a.jpg"), new byte[] {1, 2, 3});
        Files.write(source.resolve("b.png"), new byte[] {4, 5});
        URI uri = URI.create(OtherSchemeFileSystem.SCHEME + "://" + source.toAbsolutePath());
        Path local = tmp.resolve("copy");
        StringWriter out = new StringWriter();

        // when
        Path copied = HadoopImages.copy(uri, local, new PrintWriter(out, true));

        // then
        assertThat(copied).isEqualTo(local);
        assertThat(Files.readAllBytes(local.resolve("beach/a.jpg"))).containsExactly(1, 2, 3);
        assertThat(Files.readAllBytes(local.resolve("b.png"))).containsExactly(4, 5);
        assertThat(out.toString()).contains("2 files of " + uri, "(2 copied)");

        // and a rerun fetches only the changed file
        Files.write(source.resolve("b.png"), new byte[] {6, 7, 8});
        StringWriter again = new StringWriter();
        HadoopImages.copy(uri, local, new PrintWriter(again, true));
        assertThat(again.toString()).contains("(1 copied)");
        assertThat(Files.readAllBytes(local.resolve("b.png"))).containsExactly(6, 7, 8);
    }

    @Test
    void should_refuse_a_folder_that_does_not_exist_or_is_a_file() throws Exception {
        Path file = Files.write(tmp.resolve("one.jpg"), new byte[] {1});
        URI missing = URI.create(
                OtherSchemeFileSystem.SCHEME + "://" + tmp.resolve("none").toAbsolutePath());
        URI notAFolder = URI.create(OtherSchemeFileSystem.SCHEME + "://" + file.toAbsolutePath());
        PrintWriter out = new PrintWriter(new StringWriter());
        assertThatThrownBy(() -> HadoopImages.copy(missing, tmp.resolve("c1"), out))
                .isInstanceOf(BadInputException.class)
                .hasMessage("IMAGES_DIR " + missing + " does not exist; give the folder of images");
        assertThatThrownBy(() -> HadoopImages.copy(notAFolder, tmp.resolve("c2"), out))
                .isInstanceOf(BadInputException.class)
                .hasMessage("IMAGES_DIR " + notAFolder + " is not a directory; give the folder of images");
    }
}
