package hmn.runtime.weights;

import hmn.core.BadInputException;
import hmn.runtime.ModelCatalogue;
import hmn.runtime.ModelSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;

/**
 * Where a model's weights come from, and their provenance for the graph: the catalogue's published weights (fetched
 * on first use into a cache, with a progress bar and a sha256 check), a local file ({@code --weights}), or the seeded
 * formula ({@code --random-weights}, untrained, marked as such).
 */
public final class WeightsSource {
    /** The url prefix of weights that ship in models/. */
    static final String BUNDLED = "bundled:";

    private final Path cacheDir;
    private final HttpClient http;
    private final boolean progress;

    private WeightsSource(Builder b) {
        this.cacheDir = b.cacheDir;
        this.http = b.http != null
                ? b.http
                : HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(15))
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .build();
        this.progress = b.progress;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The weights with their provenance string. */
    public record Loaded(Map<String, Tensor> tensors, String provenance) {}

    public static final class Builder {
        private Path cacheDir = defaultCacheDir();
        private HttpClient http;
        private boolean progress = true;

        public Builder cacheDir(Path dir) {
            this.cacheDir = dir;
            return this;
        }

        public Builder httpClient(HttpClient client) {
            this.http = client;
            return this;
        }

        public Builder progress(boolean show) {
            this.progress = show;
            return this;
        }

        public WeightsSource build() {
            if (cacheDir == null) {
                throw new IllegalArgumentException("cacheDir is required");
            }
            return new WeightsSource(this);
        }
    }

    /** {@code $HMN_CACHE/models}, else {@code ~/.cache/hmn/models}. */
    public static Path defaultCacheDir() {
        String env = System.getenv("HMN_CACHE");
        Path root = env != null && !env.isBlank()
                ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "hmn");
        return root.resolve("models");
    }

    public static Loaded random(ResNetArchitecture arch, long seed) {
        return new Loaded(
                SeededWeights.generate(arch.parameterShapes(), seed),
                "random:seed=" + seed + " (untrained, hmn seeded formula)");
    }

    /** Reads a local weights file: safetensors, or a PyTorch zip checkpoint (.pth/.pt). */
    public static Loaded file(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(
                    "--weights " + file + ": no such file; give the path of a .safetensors or .pth" + " state dict");
        }
        String digest = sha256(file);
        return new Loaded(readTensors(file), "file:" + file.getFileName() + " sha256=" + digest);
    }

    /** The catalogue's published weights, from the cache or downloaded into it. */
    public Loaded published(ModelSpec spec) {
        ModelSpec.Weights w = spec.weights();
        if (w == null || w.url() == null) {
            throw new BadInputException("model " + spec.name() + " has no published weights in the catalogue; pass"
                    + " --weights FILE or --random-weights SEED");
        }
        if (w.url().startsWith(BUNDLED)) {
            return bundled(spec, w);
        }
        String fileName = w.url().substring(w.url().lastIndexOf('/') + 1);
        Path cached = cacheDir.resolve(fileName);
        if (!Files.isRegularFile(cached) || !matches(sha256(cached), w.sha256())) {
            download(spec, w, cached);
        }
        String digest = sha256(cached);
        return new Loaded(
                readTensors(cached),
                "torchvision:" + spec.name() + " " + w.name() + " " + w.url() + " sha256=" + digest);
    }

    /**
     * Weights that ship with hmn ({@code bundled:PATH}, under {@code models/} on the classpath): read in place when
     * the classpath holds them as a file, else copied once into the cache. A checksum that differs from the
     * catalogue's is bad input: the weights are not the ones the entry describes.
     */
    private Loaded bundled(ModelSpec spec, ModelSpec.Weights w) {
        String resource = ModelCatalogue.ROOT + w.url().substring(BUNDLED.length());
        java.net.URL url = WeightsSource.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new BadInputException("model " + spec.name() + ": its bundled weights " + resource + " are missing"
                    + " from this installation; rebuild hmn from a full checkout (models/ holds them)");
        }
        Path file;
        try {
            if ("file".equals(url.getProtocol())) {
                file = Path.of(url.toURI());
            } else {
                file = cacheDir.resolve(Path.of(resource).getFileName().toString());
                if (!Files.isRegularFile(file) || !matches(sha256(file), w.sha256())) {
                    Files.createDirectories(cacheDir);
                    Path part = file.resolveSibling(file.getFileName() + ".part");
                    try (InputStream in = url.openStream()) {
                        Files.copy(in, part, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                    Files.move(
                            part,
                            file,
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
            }
        } catch (IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot read the bundled weights " + url + ": " + e.getMessage(), e);
        }
        String digest = sha256(file);
        if (!matches(digest, w.sha256())) {
            throw new BadInputException("model " + spec.name() + ": the bundled weights " + file + " have sha256 "
                    + digest + ", the catalogue entry expects " + w.sha256() + "; restore the file from the"
                    + " repository or retrain it with models/tools/train_scenes.sh and update the entry");
        }
        return new Loaded(readTensors(file), "hmn:" + spec.name() + " " + w.name() + " sha256=" + digest);
    }

    private void download(ModelSpec spec, ModelSpec.Weights w, Path target) {
        Path part = target.resolveSibling(target.getFileName() + ".part");
        String fix = "download " + w.url() + " yourself and pass --weights FILE (or put it at " + target
                + "), or use --random-weights SEED for untrained weights";
        try {
            Files.createDirectories(cacheDir);
            HttpResponse<InputStream> response = http.send(
                    HttpRequest.newBuilder(URI.create(w.url()))
                            .timeout(Duration.ofMinutes(30))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                response.body().close();
                throw new BadInputException("weights for " + spec.name() + " are not cached and " + w.url()
                        + " answered HTTP " + response.statusCode() + "; " + fix);
            }
            long length = response.headers().firstValueAsLong("content-length").orElse(-1);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (InputStream in = response.body();
                    OutputStream out = Files.newOutputStream(part);
                    ProgressBar bar = progress
                            ? hmn.progress.ProgressBars.of("weights " + spec.name(), length, " MB", 1 << 20, 0)
                            : null) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                    sha.update(buf, 0, n);
                    if (bar != null) {
                        bar.stepBy(n);
                    }
                }
            }
            String digest = HexFormat.of().formatHex(sha.digest());
            if (!matches(digest, w.sha256())) {
                Files.deleteIfExists(part);
                throw new BadInputException("weights downloaded from " + w.url() + " have sha256 " + digest
                        + ", expected " + w.sha256() + "; the download is corrupt or the file changed: try again, or "
                        + fix);
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(part);
            throw new BadInputException(
                    "weights for " + spec.name() + " are not cached and cannot be downloaded from "
                            + w.url() + " ("
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                            + "); " + fix,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            deleteQuietly(part);
            throw new IllegalStateException("interrupted while downloading " + w.url(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A full sha256 must equal; a shorter one (torchvision's hash prefix, at least 8 hex digits) must begin it. */
    static boolean matches(String digest, String expected) {
        if (expected == null || expected.length() < 8) {
            throw new IllegalArgumentException("catalogue sha256 must hold at least 8 hex digits, got " + expected);
        }
        return digest.startsWith(expected.toLowerCase(Locale.ROOT));
    }

    static Map<String, Tensor> readTensors(Path file) {
        try {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".safetensors")) {
                return SafeTensors.read(file);
            }
            if (name.endsWith(".pth") || name.endsWith(".pt") || name.endsWith(".bin") || name.endsWith(".ckpt")) {
                return TorchCheckpoint.read(file);
            }
            throw new BadInputException(
                    file + ": unknown weights format; use a .safetensors file or a PyTorch .pth" + " state dict");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read weights (" + e.getMessage() + ")", e);
        }
    }

    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
