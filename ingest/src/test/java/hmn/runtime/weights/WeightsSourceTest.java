package hmn.runtime.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import hmn.core.BadInputException;
import hmn.runtime.Fixtures;
import hmn.runtime.ModelCatalogue;
import hmn.runtime.ModelSpec;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetching published weights, against a real HTTP server on 127.0.0.1. */
class WeightsSourceTest {
    static final Path CHECKPOINT = Fixtures.path("torchvision").resolve("tiny.pth");
    HttpServer server;
    final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void serve() throws Exception {
        byte[] body = Files.readAllBytes(CHECKPOINT);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/models/tiny-1234.pth", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    ModelSpec spec(String url, String sha256) {
        ModelSpec base = ModelCatalogue.get("resnet18");
        return new ModelSpec(
                "tiny",
                "",
                base.architecture(),
                base.block(),
                base.blocks(),
                0,
                base.layers(),
                List.of("layer4"),
                base.preprocessing(),
                new ModelSpec.Weights("TEST", url, sha256, "pytorch-zip", ""));
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/models/tiny-1234.pth";
    }

    @Test
    void should_download_once_check_the_checksum_and_record_provenance(@TempDir Path cache) {
        // given
        String sha = WeightsSource.sha256(CHECKPOINT);
        WeightsSource source =
                WeightsSource.builder().cacheDir(cache).progress(false).build();

        // when
        WeightsSource.Loaded first = source.published(spec(url(), sha));
        WeightsSource.Loaded second = source.published(spec(url(), sha.substring(0, 8)));

        // then
        assertThat(requests.get()).isEqualTo(1);
        assertThat(cache.resolve("tiny-1234.pth")).exists();
        assertThat(first.tensors()).containsKey("plain");
        assertThat(first.provenance()).isEqualTo("torchvision:tiny TEST " + url() + " sha256=" + sha);
        assertThat(second.provenance()).isEqualTo(first.provenance());
    }

    @Test
    void should_refuse_a_download_with_the_wrong_checksum(@TempDir Path cache) {
        WeightsSource source =
                WeightsSource.builder().cacheDir(cache).progress(false).build();

        assertThatThrownBy(() -> source.published(spec(url(), "deadbeef")))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("expected deadbeef; the download is corrupt or the file changed");
        assertThat(cache.resolve("tiny-1234.pth")).doesNotExist();
        assertThat(cache.resolve("tiny-1234.pth.part")).doesNotExist();
    }

    @Test
    void should_say_how_to_fix_missing_weights_when_offline(@TempDir Path cache) throws Exception {
        // given: a port where nothing listens
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/resnet18-f37072fd.pth";
        WeightsSource source =
                WeightsSource.builder().cacheDir(cache).progress(false).build();

        // when / then
        assertThatThrownBy(() -> source.published(spec(url, "f37072fd")))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("weights for tiny are not cached and cannot be downloaded from " + url)
                .hasMessageContaining("pass --weights FILE (or put it at " + cache.resolve("resnet18-f37072fd.pth"))
                .hasMessageEndingWith("or use --random-weights SEED for untrained weights");
    }

    @Test
    void should_refuse_bundled_weights_that_are_missing(@TempDir Path cache) {
        WeightsSource source =
                WeightsSource.builder().cacheDir(cache).progress(false).build();

        assertThatThrownBy(() -> source.published(spec("bundled:weights/no-such.safetensors", "0123456789abcdef")))
                .isInstanceOf(BadInputException.class)
                .hasMessage("model tiny: its bundled weights hmn/models/weights/no-such.safetensors are missing from"
                        + " this installation; rebuild hmn from a full checkout (models/ holds them)");
    }
}
