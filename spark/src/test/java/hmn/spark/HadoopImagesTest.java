package hmn.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmn.core.BadInputException;
import hmn.images.CollectionFiles;
import hmn.images.ImageSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image collection on a Hadoop file system other than file:// ({@link OtherSchemeFileSystem}, Hadoop's local
 * implementation under the scheme otherfs), listed and read through the Hadoop API: the ids and order of the local
 * listing, the same bytes and hashes, also after travelling to an executor; a folder that does not exist or is a file
 * is bad input.
 */
class HadoopImagesTest {
    @TempDir
    Path tmp;

    @Test
    void should_list_and_read_a_collection_as_the_local_listing_does() throws Exception {
        // given images, a hidden folder and file, a text file, nested folders and a name with a space
        Path folder = tmp.resolve("remote");
        Files.createDirectories(folder.resolve("beach/deep"));
        Files.createDirectories(folder.resolve(".cache"));
        Files.write(folder.resolve("beach/a.jpg"), new byte[] {1, 2, 3});
        Files.write(folder.resolve("beach/deep/z.png"), new byte[] {9});
        Files.write(folder.resolve("b.png"), new byte[] {4, 5});
        Files.write(folder.resolve("B c.JPG"), new byte[] {6});
        Files.write(folder.resolve("beach-notes.TXT"), new byte[] {7});
        Files.write(folder.resolve(".cache/x.jpg"), new byte[] {8});
        Files.write(folder.resolve("beach/.y.jpg"), new byte[] {8});
        URI uri = URI.create(OtherSchemeFileSystem.SCHEME + "://" + folder.toAbsolutePath());

        // when
        HadoopImages images = new HadoopImages(uri);
        List<ImageSource.Listed> listed = images.list();

        // then the ids and order of the local listing, with sizes
        assertThat(listed.stream().map(ImageSource.Listed::id))
                .containsExactly("B c.JPG", "b.png", "beach/a.jpg", "beach/deep/z.png")
                .containsExactlyElementsOf(CollectionFiles.ids(folder));
        assertThat(listed.get(2).size()).isEqualTo(3);
        assertThat(images.location()).isEqualTo(uri.toString());
        assertThat(images.folder()).isNull();
        try (InputStream in = images.open("beach/a.jpg")) {
            assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
        }
        assertThat(images.sha256("B c.JPG"))
                .isEqualTo(ImageSource.folder(folder).sha256("B c.JPG"));

        // and the collection as an executor gets it (serialized with the driver's configuration) reads the same
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(TaskImages.of(images));
        }
        ImageSource onExecutor;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            onExecutor = ((TaskImages) in.readObject()).open();
        }
        try (InputStream in = onExecutor.open("beach/deep/z.png")) {
            assertThat(in.readAllBytes()).containsExactly(9);
        }
    }

    @Test
    void should_refuse_a_folder_that_does_not_exist_or_is_a_file_and_a_scheme_without_a_file_system() throws Exception {
        Path file = Files.write(tmp.resolve("one.jpg"), new byte[] {1});
        URI missing = URI.create(
                OtherSchemeFileSystem.SCHEME + "://" + tmp.resolve("none").toAbsolutePath());
        URI notAFolder = URI.create(OtherSchemeFileSystem.SCHEME + "://" + file.toAbsolutePath());
        assertThatThrownBy(() -> new HadoopImages(missing).list())
                .isInstanceOf(BadInputException.class)
                .hasMessage("IMAGES_DIR " + missing + " does not exist; give the folder of images");
        assertThatThrownBy(() -> new HadoopImages(notAFolder).list())
                .isInstanceOf(BadInputException.class)
                .hasMessage("IMAGES_DIR " + notAFolder + " is not a directory; give the folder of images");
        assertThatThrownBy(() -> new HadoopImages(URI.create("nofs://host/images")))
                .isInstanceOf(BadInputException.class)
                .hasMessage("IMAGES_DIR nofs://host/images: no Hadoop file system for the scheme 'nofs' is on the"
                        + " class path; add its connector jar to the spark module's (the jar that provides"
                        + " fs.nofs.impl), or give a local or shared folder");
    }
}
