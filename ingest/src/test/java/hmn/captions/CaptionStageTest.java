package hmn.captions;

import static org.assertj.core.api.Assertions.assertThat;

import hmn.bench.LocalLlmServer;
import hmn.format.CaptionRow;
import hmn.language.cache.JsonlCache;
import hmn.language.llm.ChatModels;
import hmn.language.llm.LlmSpec;
import hmn.language.llm.RetryPolicy;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chat-model captioner through LangChain4j's real clients, and the content-hash caption cache. */
class CaptionStageTest {
    @TempDir
    Path dir;

    /** Answers with the colour of the image it received, decoded from the request. */
    static LocalLlmServer.Reply describeColour(LocalLlmServer.Call call) throws Exception {
        BufferedImage img = call.image();
        int rgb = img.getRGB(img.getWidth() / 2, img.getHeight() / 2);
        String colour = ((rgb >> 16) & 0xff) > 128 ? "red" : "blue";
        return LocalLlmServer.chat(call, "A " + colour + " square of " + img.getWidth() + " pixels.");
    }

    Path image(String name, Color colour, int size) throws Exception {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, size, size);
        g.dispose();
        Path file = dir.resolve("images").resolve(name);
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    ChatModelCaptioner captioner(LocalLlmServer server, String provider) {
        String url = provider.equals("ollama") ? server.baseUrl() : server.openAiBaseUrl();
        return ChatModelCaptioner.builder()
                .chatModel(ChatModels.create(new LlmSpec(provider, "vision", url, "k"), Duration.ofSeconds(10)))
                .model(provider + ":vision")
                .concurrency(2)
                .maxSide(64)
                .retryPolicy(RetryPolicy.of(2, Duration.ofMillis(1)))
                .build();
    }

    @Test
    void should_caption_images_through_the_openai_and_ollama_apis() throws Exception {
        // given
        image("a/red.png", Color.RED, 100);
        image("blue.png", Color.BLUE, 40);
        Path images = dir.resolve("images");
        try (LocalLlmServer server = LocalLlmServer.start(CaptionStageTest::describeColour)) {
            for (String provider : List.of("openai", "ollama")) {
                try (ChatModelCaptioner captioner = captioner(server, provider)) {
                    // when
                    List<CaptionRow> rows =
                            new CaptionStage(captioner, null, false).run(images, ImageFiles.list(images));
                    // then: images are scaled to at most 64 pixels
                    assertThat(rows)
                            .containsExactly(
                                    new CaptionRow("a/red.png", "A red square of 64 pixels."),
                                    new CaptionRow("blue.png", "A blue square of 40 pixels."));
                    assertThat(captioner.model()).isEqualTo(provider + ":vision/caption-v1");
                }
            }
        }
    }

    @Test
    void should_caption_only_new_image_contents_on_a_rerun() throws Exception {
        // given
        image("red.png", Color.RED, 32);
        image("blue.png", Color.BLUE, 32);
        Path images = dir.resolve("images");
        Path cacheFile = dir.resolve("cache/captions.jsonl");
        try (LocalLlmServer server = LocalLlmServer.start(CaptionStageTest::describeColour)) {
            try (ChatModelCaptioner c = captioner(server, "openai");
                    JsonlCache cache = JsonlCache.open(cacheFile)) {
                new CaptionStage(c, cache, false).run(images, ImageFiles.list(images));
            }
            assertThat(server.calls()).hasSize(2);
            // a copy of red under a new name, and one new image
            Files.copy(images.resolve("red.png"), images.resolve("red-copy.png"));
            image("green.png", Color.GREEN, 32);
            // when
            CaptionStage stage;
            List<CaptionRow> rows;
            try (ChatModelCaptioner c = captioner(server, "openai");
                    JsonlCache cache = JsonlCache.open(cacheFile)) {
                stage = new CaptionStage(c, cache, true);
                rows = stage.run(images, ImageFiles.list(images));
            }
            // then
            assertThat(server.calls()).hasSize(3);
            assertThat(stage.cached()).isEqualTo(3);
            assertThat(stage.captioned()).isEqualTo(1);
            assertThat(rows)
                    .extracting(CaptionRow::image)
                    .containsExactly("blue.png", "green.png", "red-copy.png", "red.png");
            assertThat(rows.get(2).caption()).isEqualTo(rows.get(3).caption()).isEqualTo("A red square of 32 pixels.");
        }
    }

    @Test
    void should_leave_out_undecodable_and_uncaptionable_images_with_their_reason_and_not_cache_them() throws Exception {
        // given: a red image, a blue one the server answers with nothing, and a file that is not an image
        image("red.png", Color.RED, 32);
        image("blue.png", Color.BLUE, 32);
        Files.writeString(dir.resolve("images/broken.jpg"), "not a jpeg");
        Path images = dir.resolve("images");
        Path cacheFile = dir.resolve("cache/captions.jsonl");
        try (LocalLlmServer server = LocalLlmServer.start(call -> {
            LocalLlmServer.Reply reply = describeColour(call);
            return reply.body().contains("blue") ? LocalLlmServer.chat(call, "") : reply;
        })) {
            CaptionStage stage;
            List<CaptionRow> rows;
            try (ChatModelCaptioner c = captioner(server, "openai");
                    JsonlCache cache = JsonlCache.open(cacheFile)) {
                stage = new CaptionStage(c, cache, false);
                // when
                rows = stage.run(images, ImageFiles.list(images));
            }
            // then
            assertThat(rows).containsExactly(new CaptionRow("red.png", "A red square of 32 pixels."));
            assertThat(stage.captioned()).isEqualTo(1);
            assertThat(stage.failed()).containsOnlyKeys("blue.png", "broken.jpg");
            assertThat(stage.failed().get("blue.png"))
                    .startsWith("captioning with openai:vision")
                    .contains("failed after 2 attempt(s)");
            assertThat(stage.failed().get("broken.jpg")).startsWith("decode: ");
            assertThat(Files.readAllLines(cacheFile)).hasSize(1);
        }
    }
}
