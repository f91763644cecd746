package hmn.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The crop-only resize gives exactly the pixels of the full resize followed by the crop. */
class PilResizeTest {
    @ParameterizedTest
    @CsvSource({
        "1500, 1000, 384, 256, 80, 16, 224, 224", // camera photo shrunk, centre crop
        "1000, 1500, 256, 384, 16, 80, 224, 224", // portrait
        "300, 200, 384, 256, 80, 16, 224, 224", // enlarged
        "384, 300, 384, 256, 80, 16, 224, 224", // vertical pass only
        "500, 256, 384, 256, 80, 16, 224, 224", // horizontal pass only
        "256, 256, 256, 256, 16, 16, 224, 224", // no resize, crop only
        "640, 480, 341, 256, 0, 0, 341, 256" // the whole output
    })
    void should_equal_resize_then_crop(int inW, int inH, int outW, int outH, int left, int top, int cropW, int cropH) {
        // given
        byte[] px = new byte[inW * inH * 3];
        SplittableRandom random = new SplittableRandom(inW * 31L + inH);
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) random.nextInt(256);
        }
        RgbImage image = new RgbImage(inW, inH, px);

        // when
        RgbImage cropped = PilResize.resizeCrop(image, outW, outH, left, top, cropW, cropH);

        // then
        RgbImage full = PilResize.resize(image, outW, outH);
        byte[] expected = new byte[cropW * cropH * 3];
        for (int y = 0; y < cropH; y++) {
            System.arraycopy(full.pixels(), ((top + y) * outW + left) * 3, expected, y * cropW * 3, cropW * 3);
        }
        assertThat(cropped.width()).isEqualTo(cropW);
        assertThat(cropped.height()).isEqualTo(cropH);
        assertThat(cropped.pixels()).isEqualTo(expected);
    }
}
