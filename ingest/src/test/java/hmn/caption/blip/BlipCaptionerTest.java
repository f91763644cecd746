package hmn.caption.blip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmn.cli.BadInputException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlipCaptionerTest {
    @TempDir
    static Path temp;

    static Path tiny;

    @BeforeAll
    static void writeTinyModel() throws IOException {
        tiny = TinyBlip.write(temp.resolve("tiny"), 42);
    }

    static List<BufferedImage> images(int n, long seed) {
        Random random = new Random(seed);
        List<BufferedImage> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            BufferedImage image = new BufferedImage(40 + 7 * i, 30 + 5 * i, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(new Color(random.nextInt(0xffffff)));
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setColor(new Color(random.nextInt(0xffffff)));
            g.fillOval(random.nextInt(20), random.nextInt(20), 20, 15);
            g.dispose();
            image.setRGB(0, 0, random.nextInt());
            images(out, image);
        }
        return out;
    }

    private static void images(List<BufferedImage> out, BufferedImage image) {
        out.add(image);
    }

    @Test
    void should_caption_a_batch_deterministically_with_the_tiny_model() {
        // given
        List<BufferedImage> images = images(5, 7);
        try (BlipCaptioner captioner = BlipCaptioner.builder().modelDir(tiny).batchSize(2).build()) {
            // when
            List<String> first = captioner.caption(images);
            List<String> second = captioner.caption(images);
            List<String> oneByOne = images.stream().map(i -> captioner.caption(List.of(i)).get(0)).toList();

            // then
            System.out.println(first);
            assertThat(first).hasSize(5).isEqualTo(second).isEqualTo(oneByOne);
            assertThat(captioner.model()).isEqualTo("blip:tiny");
        }
    }
}
