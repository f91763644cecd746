package hmn.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmn.download.HubDownloader.RepoFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubDownloaderTest {
    static final String REPO = "hmn-test/tiny";

    @TempDir
    Path cache;

    FakeHub hub;
    byte[] weights;

    @BeforeEach
    void startHub() throws IOException {
        weights = new byte[300_000];
        new Random(1).nextBytes(weights);
        hub = FakeHub.start(
                REPO,
                Map.of("config.json", "{\"a\": 1}".getBytes(StandardCharsets.UTF_8), "model.safetensors", weights));
        hub.lfs.add("model.safetensors");
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    HubDownloader downloader() {
        return HubDownloader.builder()
                .endpoint(hub.uri())
                .cacheDir(cache)
                .progress(false)
                .build();
    }

    static final List<RepoFile> FILES = List.of(
            RepoFile.required("config.json"), RepoFile.required("model.safetensors"), RepoFile.optional("vocab.txt"));

    @Test
    void should_fetch_a_snapshot_into_the_cache_once() throws IOException {
        // when
        Path dir = downloader().snapshot(REPO, "main", FILES);
        int requests = hub.requests.size();
        Path again = downloader().snapshot(REPO, "main", FILES);

        // then
        assertThat(dir)
                .isEqualTo(cache.resolve("hmn-test--tiny").resolve("main"))
                .isEqualTo(again);
        assertThat(Files.readAllBytes(dir.resolve("model.safetensors"))).isEqualTo(weights);
        assertThat(Files.readString(dir.resolve("config.json"))).isEqualTo("{\"a\": 1}");
        assertThat(dir.resolve("vocab.txt")).doesNotExist();
        assertThat(requests).isGreaterThan(0);
        assertThat(hub.requests).hasSize(requests);
        assertThat(hub.requests).contains("GET /cdn/" + sha256(weights));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
        }
    }

    @Test
    void should_resume_a_partial_download_with_a_range_request() throws IOException {
        // given
        Path dir = downloader().snapshotDir(REPO, "main");
        Files.createDirectories(dir);
        Files.write(dir.resolve("model.safetensors.part"), Arrays.copyOf(weights, 1000));

        // when
        downloader().snapshot(REPO, "main", FILES);

        // then
        assertThat(hub.ranges).containsExactly("bytes=1000-");
        assertThat(Files.readAllBytes(dir.resolve("model.safetensors"))).isEqualTo(weights);
        assertThat(dir.resolve("model.safetensors.part")).doesNotExist();
    }

    @Test
    void should_replace_a_partial_download_when_the_server_ignores_ranges() throws IOException {
        // given
        hub.ignoreRanges = true;
        Path dir = downloader().snapshotDir(REPO, "main");
        Files.createDirectories(dir);
        Files.write(dir.resolve("model.safetensors.part"), new byte[5000]);

        // when
        downloader().snapshot(REPO, "main", FILES);

        // then
        assertThat(Files.readAllBytes(dir.resolve("model.safetensors"))).isEqualTo(weights);
    }

    @Test
    void should_reject_a_download_whose_sha256_differs_and_leave_nothing_behind() {
        // given
        hub.corrupt = true;

        // when / then
        assertThatThrownBy(() -> downloader().snapshot(REPO, "main", FILES))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("sha256 of downloaded model.safetensors")
                .hasMessageContaining("expected " + sha256(weights));
        Path dir = downloader().snapshotDir(REPO, "main");
        assertThat(dir.resolve("model.safetensors")).doesNotExist();
        assertThat(dir.resolve("model.safetensors.part")).doesNotExist();
    }

    @Test
    void should_check_a_sha256_the_caller_gives_for_a_small_file() {
        // given
        List<RepoFile> files = List.of(new RepoFile("config.json", true, "0".repeat(64)));

        // when / then
        assertThatThrownBy(() -> downloader().snapshot(REPO, "main", files))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("sha256 of downloaded config.json");
    }

    @Test
    void should_fail_with_the_status_when_a_required_file_is_missing() {
        List<RepoFile> files = List.of(RepoFile.required("nope.bin"));
        assertThatThrownBy(() -> downloader().snapshot(REPO, "main", files))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("/hmn-test/tiny/resolve/main/nope.bin answered HTTP 404")
                .hasMessageContaining("check the repository name and revision");
    }

    @Test
    void should_send_the_token_to_the_hub_only() throws IOException {
        // when
        HubDownloader.builder()
                .endpoint(hub.uri())
                .cacheDir(cache)
                .progress(false)
                .fromEnvironment(Map.of("HF_TOKEN", "secret"))
                .build()
                .snapshot(REPO, "main", FILES);

        // then
        assertThat(hub.authorizations).isNotEmpty().allMatch("Bearer secret"::equals);
    }

    @Test
    void should_say_which_address_cannot_be_reached() throws IOException {
        // given: a port nothing listens on
        int port;
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        HubDownloader offline = HubDownloader.builder()
                .endpoint(java.net.URI.create("http://127.0.0.1:" + port))
                .cacheDir(cache)
                .progress(false)
                .build();

        // when / then
        assertThatThrownBy(() -> offline.snapshot(REPO, "main", FILES))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot reach http://127.0.0.1:" + port
                        + "/hmn-test/tiny/resolve/main/config.json: ConnectException")
                .hasMessageEndingWith("(check the network, or set HF_ENDPOINT to a mirror)");
    }

    @Test
    void should_reject_a_repository_name_that_is_not_owner_slash_name() {
        assertThatThrownBy(() -> downloader().snapshot("../etc", "main", FILES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("repository must look like owner/name, got ../etc");
    }

    static String sha256(byte[] data) {
        return FakeHub.sha256(data);
    }
}
