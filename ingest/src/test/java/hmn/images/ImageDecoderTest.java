package hmn.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageDecoderTest {
    static Path image(String name) throws URISyntaxException {
        return Path.of(ImageDecoderTest.class
                .getClassLoader()
                .getResource("hmn/fixtures/torchvision/images/" + name)
                .toURI());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "empty.jpg|empty file (0 bytes)",
                "notes.txt|not an image (unrecognised content)",
                "fake.webp|unsupported image format: WebP (convert it to JPEG or PNG)",
                "truncated.jpg|truncated or corrupt: Truncated File - Missing EOI marker"
            })
    void should_give_the_reason_an_image_is_unusable(String file, String reason) {
        assertThatThrownBy(() -> ImageDecoder.defaults().decode(image(file)))
                .isInstanceOf(UnreadableImageException.class)
                .hasMessage(reason);
    }

    @Test
    void should_refuse_more_pixels_than_the_limit() {
        // given: photo.jpg is 320 x 240 = 76,800 pixels
        ImageDecoder decoder = ImageDecoder.builder().maxPixels(76_799).build();

        // when / then
        assertThatThrownBy(() -> decoder.decode(image("photo.jpg")))
                .isInstanceOf(UnreadableImageException.class)
                .hasMessageStartingWith("too many pixels: 320 x 240 = 76800 exceeds the limit of 76799");
    }

    @Test
    void should_turn_exif_rotated_images_upright() throws Exception {
        // when: rotated.jpg is stored 320 x 200 with EXIF orientation 6
        RgbImage image = ImageDecoder.defaults().decode(image("rotated.jpg"));

        // then
        assertThat(image.width()).isEqualTo(200);
        assertThat(image.height()).isEqualTo(320);
    }

    @Test
    void should_read_the_first_frame_of_an_animation() throws Exception {
        RgbImage image = ImageDecoder.defaults().decode(image("animated.gif"));

        assertThat(image.width()).isEqualTo(200);
        assertThat(image.height()).isEqualTo(180);
    }

    @Test
    void should_decode_a_corrupt_png_as_unusable() throws Exception {
        // given: a PNG whose data is cut in the middle
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 64 * 64; i++) {
            img.setRGB(i % 64, i / 64, (int) (i * 2654435761L));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        byte[] bytes = java.util.Arrays.copyOf(out.toByteArray(), out.size() / 2);

        // when / then
        assertThatThrownBy(() -> ImageDecoder.defaults().decode(bytes))
                .isInstanceOf(UnreadableImageException.class)
                .hasMessageStartingWith("truncated or corrupt");
    }

    @ParameterizedTest
    @CsvSource({
        // orientation, expected pixel values (row by row) of the upright image of [[1,2,3],[4,5,6]]
        "1,1 2 3 4 5 6", "2,3 2 1 6 5 4", "3,6 5 4 3 2 1", "4,4 5 6 1 2 3",
        "5,1 4 2 5 3 6", "6,4 1 5 2 6 3", "7,6 3 5 2 4 1", "8,3 6 2 5 1 4"
    })
    void should_apply_each_exif_orientation_as_pillow(int orientation, String expected) {
        // given: a 3 x 2 image whose red channel numbers its pixels
        byte[] px = new byte[18];
        for (int i = 0; i < 6; i++) {
            px[i * 3] = (byte) (i + 1);
        }

        // when
        RgbImage upright = ExifOrientation.apply(new RgbImage(3, 2, px), orientation);

        // then
        StringBuilder values = new StringBuilder();
        for (int y = 0; y < upright.height(); y++) {
            for (int x = 0; x < upright.width(); x++) {
                values.append(values.length() > 0 ? " " : "").append(upright.get(x, y, 0));
            }
        }
        assertThat(values.toString()).isEqualTo(expected);
    }

    @Test
    void should_hand_captioners_the_same_pixels_as_a_buffered_image() throws Exception {
        // given
        RgbImage image = ImageDecoder.defaults().decode(image("rotated.jpg"));

        // when
        BufferedImage buffered = image.toBufferedImage();

        // then: getRGB, which captioners use, sees exactly the decoded values
        assertThat(ImageDecoder.toRgb(buffered).pixels()).isEqualTo(image.pixels());
        int rgb = buffered.getRGB(7, 11);
        assertThat((rgb >> 16) & 0xFF).isEqualTo(image.get(7, 11, 0));
        assertThat((rgb >> 8) & 0xFF).isEqualTo(image.get(7, 11, 1));
        assertThat(rgb & 0xFF).isEqualTo(image.get(7, 11, 2));
    }
}
