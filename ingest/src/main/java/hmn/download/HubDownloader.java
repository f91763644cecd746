package hmn.download;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import me.tongfei.progressbar.ProgressBar;

/**
 * Fetches files of a Hugging Face model repository ({@code {endpoint}/{repo}/resolve/{revision}/{file}}) into a
 * cache directory, {@code {cacheDir}/{owner}--{name}/{revision}/{file}}, once.
 *
 * <p>Each file is downloaded to {@code {file}.part}, resumed with an HTTP range request when a part is already
 * there, checked against its sha256 when one is known (given by the caller, or the hub's {@code X-Linked-Etag} /
 * {@code ETag} for large files, which is their sha256), and only then renamed into place. A snapshot that completed
 * is marked, so a second run makes no request at all.
 */
public final class HubDownloader {
    public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final String COMPLETE = ".complete";

    private final URI endpoint;
    private final Path cacheDir;
    private final String token;
    private final HttpClient http;
    private final boolean progress;

    private HubDownloader(Builder b) {
        this.endpoint = b.endpoint;
        this.cacheDir = b.cacheDir;
        this.token = b.token;
        this.http = b.http != null
                ? b.http
                : HttpClient.newBuilder()
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .connectTimeout(Duration.ofSeconds(30))
                        .build();
        this.progress = b.progress;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A file of the repository, and its sha256 when the caller knows it (else null). */
    public record RepoFile(String name, boolean required, String sha256) {
        public RepoFile {
            if (name == null || name.isBlank() || name.startsWith("/") || name.contains("..")) {
                throw new IllegalArgumentException("repository file name must be a relative path, got " + name);
            }
            if (sha256 != null && !SHA256.matcher(sha256).matches()) {
                throw new IllegalArgumentException(
                        "sha256 of " + name + " must be 64 lower-case hex digits, got " + sha256);
            }
        }

        public static RepoFile required(String name) {
            return new RepoFile(name, true, null);
        }

        public static RepoFile optional(String name) {
            return new RepoFile(name, false, null);
        }
    }

    /** The directory a snapshot of {@code repo} at {@code revision} is cached in. */
    public Path snapshotDir(String repo, String revision) {
        return cacheDir.resolve(repo.replace("/", "--")).resolve(revision);
    }

    /**
     * Makes sure every file is in the snapshot directory and returns it. Optional files that the hub does not have
     * (404) are skipped. Nothing is requested when an earlier call completed the same snapshot.
     */
    public Path snapshot(String repo, String revision, List<RepoFile> files) throws IOException {
        validateRepo(repo);
        Path dir = snapshotDir(repo, revision);
        Path marker = dir.resolve(COMPLETE);
        List<String> wanted = files.stream().map(RepoFile::name).sorted().toList();
        if (Files.isRegularFile(marker)
                && Files.readAllLines(marker).equals(wanted)
                && files.stream()
                        .filter(RepoFile::required)
                        .allMatch(f -> Files.isRegularFile(dir.resolve(f.name())))) {
            return dir;
        }
        Files.createDirectories(dir);
        for (RepoFile f : files) {
            if (!Files.isRegularFile(dir.resolve(f.name()))) {
                fetch(repo, revision, f, dir);
            }
        }
        Files.write(marker, wanted);
        return dir;
    }

    private static void validateRepo(String repo) {
        if (repo == null || !repo.matches("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("repository must look like owner/name, got " + repo);
        }
    }

    /** Downloads one file into {@code dir}; returns its path, or empty when optional and absent on the hub. */
    Optional<Path> fetch(String repo, String revision, RepoFile file, Path dir) throws IOException {
        URI uri = endpoint.resolve(
                "/" + repo + "/resolve/" + URLEncoder.encode(revision, StandardCharsets.UTF_8) + "/" + file.name());
        Path target = dir.resolve(file.name());
        Files.createDirectories(target.getParent());
        Path part = target.resolveSibling(target.getFileName() + ".part");

        // Like huggingface_hub: HEAD without following redirects gives the file's sha256 and where to fetch it.
        HttpResponse<Void> head = send(
                request(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        if (head.statusCode() == 404 && !file.required()) {
            return Optional.empty();
        }
        if (head.statusCode() >= 400) {
            throw new IOException("GET " + uri + " answered HTTP " + head.statusCode() + hint(head.statusCode()));
        }
        String sha256 = file.sha256() != null ? file.sha256() : hubSha256(head);
        URI location = uri;
        if (head.statusCode() / 100 == 3) {
            location = uri.resolve(head.headers()
                    .firstValue("Location")
                    .orElseThrow(() -> new IOException("redirect without Location from " + uri)));
        }

        long have = Files.isRegularFile(part) ? Files.size(part) : 0;
        HttpRequest.Builder get = request(location).GET();
        if (have > 0) {
            get.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<InputStream> response = sendFollowing(get, location);
        int status = response.statusCode();
        if (status == 416 && have > 0) {
            // The part is as long as the file or longer: start over.
            response.body().close();
            Files.delete(part);
            return fetch(repo, revision, file, dir);
        }
        boolean append = status == 206 && have > 0;
        if (status != 200 && status != 206) {
            response.body().close();
            throw new IOException("GET " + location + " answered HTTP " + status + hint(status));
        }
        long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (append && status == 206) {
            total = total >= 0 ? total + have : -1;
        }
        copy(response.body(), part, append, append ? have : 0, total, file.name());
        if (sha256 != null) {
            String actual = sha256(part);
            if (!actual.equals(sha256)) {
                Files.deleteIfExists(part);
                throw new IOException("sha256 of downloaded " + file.name() + " from " + uri + " is " + actual
                        + ", expected " + sha256 + "; the partial file was removed, run again to download it anew");
            }
        }
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return Optional.of(target);
    }

    private static String hint(int status) {
        return switch (status) {
            case 401, 403 -> " (the repository may be gated or private: set HF_TOKEN)";
            case 404 -> " (check the repository name and revision)";
            default -> "";
        };
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder r =
                HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).header("User-Agent", "hmn/0.1");
        if (token != null && !token.isBlank() && sameHost(uri)) {
            r.header("Authorization", "Bearer " + token);
        }
        return r;
    }

    private boolean sameHost(URI uri) {
        return endpoint.getHost() != null && endpoint.getHost().equalsIgnoreCase(uri.getHost());
    }

    private HttpResponse<InputStream> sendFollowing(HttpRequest.Builder get, URI start) throws IOException {
        URI at = start;
        HttpRequest req = get.build();
        for (int hops = 0; hops < 10; hops++) {
            HttpResponse<InputStream> r = send(req, HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() / 100 != 3) {
                return r;
            }
            r.body().close();
            URI next = at.resolve(r.headers()
                    .firstValue("Location")
                    .orElseThrow(() -> new IOException("redirect without Location from " + start)));
            HttpRequest.Builder again = request(next).GET();
            req.headers().firstValue("Range").ifPresent(v -> again.header("Range", v));
            req = again.build();
            at = next;
        }
        throw new IOException("too many redirects from " + start);
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new IOException(
                    "cannot reach " + request.uri() + ": " + describe(e)
                            + " (check the network, or set HF_ENDPOINT to a mirror)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + request.uri(), e);
        }
    }

    /** The exception and its root cause, e.g. "ConnectException (UnresolvedAddressException)" for an unknown host. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = e.getClass().getSimpleName() + message(e);
        return root == e ? text : text + " (" + root.getClass().getSimpleName() + message(root) + ")";
    }

    private static String message(Throwable e) {
        return e.getMessage() != null && !e.getMessage().isBlank() ? " " + e.getMessage() : "";
    }

    private static String hubSha256(HttpResponse<?> head) {
        for (String name : List.of("X-Linked-Etag", "ETag")) {
            Optional<String> v = head.headers().firstValue(name);
            if (v.isPresent()) {
                String etag = v.get().replaceFirst("^W/", "").replace("\"", "").toLowerCase(Locale.ROOT);
                if (SHA256.matcher(etag).matches()) {
                    return etag;
                }
            }
        }
        return null;
    }

    private void copy(InputStream body, Path part, boolean append, long start, long total, String name)
            throws IOException {
        try (InputStream in = body;
                OutputStream out = Files.newOutputStream(
                        part,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
                ProgressBar bar = progress ? bar(name, start, total) : null) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                if (bar != null) {
                    bar.stepBy(n);
                }
            }
        }
    }

    private static ProgressBar bar(String name, long start, long total) {
        return hmn.progress.ProgressBars.of(name, total, "MiB", 1 << 20, start);
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    public static final class Builder {
        private URI endpoint = DEFAULT_ENDPOINT;
        private Path cacheDir;
        private String token;
        private HttpClient http;
        private boolean progress = true;

        private Builder() {}

        /** The hub, {@code https://huggingface.co} unless set (or the environment's HF_ENDPOINT). */
        public Builder endpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        public Builder cacheDir(Path cacheDir) {
            this.cacheDir = cacheDir;
            return this;
        }

        /** A Hugging Face access token for gated repositories (else none). */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** The HTTP client; it must not follow redirects itself. */
        public Builder httpClient(HttpClient http) {
            this.http = http;
            return this;
        }

        /** Whether to show a progress bar on stderr per file (default true). */
        public Builder progress(boolean progress) {
            this.progress = progress;
            return this;
        }

        /** Fills endpoint and token from HF_ENDPOINT and HF_TOKEN when they are set. */
        public Builder fromEnvironment(Map<String, String> env) {
            String e = env.get("HF_ENDPOINT");
            if (e != null && !e.isBlank()) {
                endpoint = URI.create(e);
            }
            String t = env.get("HF_TOKEN");
            if (t != null && !t.isBlank()) {
                token = t;
            }
            return this;
        }

        public HubDownloader build() {
            if (cacheDir == null) {
                throw new IllegalArgumentException("cacheDir is required");
            }
            if (endpoint == null || endpoint.getScheme() == null || endpoint.getHost() == null) {
                throw new IllegalArgumentException("endpoint must be an absolute http(s) URI, got " + endpoint);
            }
            return new HubDownloader(this);
        }
    }

    /** Default cache: $HMN_CACHE, else ~/.cache/hmn; models go under its {@code huggingface} folder. */
    public static Path defaultCacheDir(Map<String, String> env) {
        String base = env.get("HMN_CACHE");
        Path root = base != null && !base.isBlank()
                ? Path.of(base)
                : Path.of(System.getProperty("user.home"), ".cache", "hmn");
        return root.resolve("huggingface");
    }
}
