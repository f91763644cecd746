package hmn.captions.blip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hmn.captions.Captioner;
import hmn.core.BadInputException;
import hmn.download.HubDownloader;
import hmn.download.HubDownloader.RepoFile;
import hmn.runtime.Engine;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Captions images with BLIP ({@code BlipForConditionalGeneration}) in-process, no Python: the image encoder on ONNX
 * Runtime (default) or PyTorch, the text decoder on DJL's PyTorch engine.
 * The checkpoint is a local directory ({@code config.json}, {@code model.safetensors}, {@code tokenizer.json} or
 * {@code vocab.txt}, optionally {@code preprocessor_config.json}) or a Hugging Face repository fetched into a cache
 * on first use. Decoding follows the checkpoint's config like Hugging Face's {@code generate}: greedy unless
 * {@code num_beams > 1}, at most {@code max_length} tokens including the [DEC] start token and the prompt.
 */
public final class BlipCaptioner implements Captioner {
    public static final String DEFAULT_REPO = "Salesforce/blip-image-captioning-base";
    /** What a checkpoint directory holds; one of the two tokenizer files is needed. */
    public static final List<RepoFile> FILES = List.of(
            RepoFile.required("config.json"),
            RepoFile.required("model.safetensors"),
            RepoFile.optional("tokenizer.json"),
            RepoFile.optional("vocab.txt"),
            RepoFile.optional("preprocessor_config.json"));

    private final String name;
    private final BlipModel model;
    private final CaptionSearch search;
    private final WordPieceTokenizer tokenizer;
    private final BlipImageProcessor processor;
    private final List<Integer> prefix;
    private final int maxTokens;
    private final int beams;
    private final int batchSize;
    /** The image encoder on ONNX Runtime; null when PyTorch runs it. */
    private final OnnxVisionEncoder vision;

    private long encodeNanos;
    private long decodeNanos;
    private long imagesCaptioned;

    private BlipCaptioner(Builder b, Path dir) {
        BlipConfig config = BlipConfig.read(dir.resolve("config.json"));
        this.tokenizer = WordPieceTokenizer.load(dir)
                .withSpecialIds(
                        config.text().bosTokenId(),
                        config.text().sepTokenId(),
                        config.text().padTokenId());
        this.processor = processor(dir, config);
        List<Integer> p = new ArrayList<>();
        p.add(config.text().bosTokenId());
        if (b.prompt != null && !b.prompt.isBlank()) {
            p.addAll(tokenizer.encode(b.prompt));
        }
        this.prefix = List.copyOf(p);
        int fromConfig = config.text().maxLength() - prefix.size();
        int defaultMaxTokens = Math.max(1, fromConfig);
        this.maxTokens = b.maxTokens > 0 ? b.maxTokens : defaultMaxTokens;
        if (prefix.size() + maxTokens > config.text().maxPositions()) {
            throw new BadInputException("prompt plus maxTokens (" + (prefix.size() + maxTokens)
                    + " tokens) exceeds the model's max_position_embeddings "
                    + config.text().maxPositions());
        }
        int defaultBeams = Math.max(1, config.text().numBeams());
        this.beams = b.beams > 0 ? b.beams : defaultBeams;
        this.batchSize = b.batchSize;
        this.name = "blip:"
                + (b.repo != null ? b.repo + ("main".equals(b.revision) ? "" : "@" + b.revision) : dir.getFileName())
                + decodingSettings(b.prompt, defaultBeams, defaultMaxTokens);
        Path weights = dir.resolve("model.safetensors");
        if (!Files.isRegularFile(weights)) {
            throw new BadInputException(
                    "no model.safetensors in " + dir + " (download it from the checkpoint's Hugging Face repository)");
        }
        this.model = BlipModel.load(weights, config);
        this.search = new CaptionSearch(model);
        try {
            this.vision = b.engine == Engine.ONNXRUNTIME ? new OnnxVisionEncoder(model, b.threads) : null;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * The decoding settings that differ from the checkpoint's own (e.g. " beams=3 prompt='a photography of'"), so
     * that the name, which keys the caption cache and is stored as provenance, tells differently made captions apart;
     * empty with the checkpoint's defaults.
     */
    private String decodingSettings(String prompt, int defaultBeams, int defaultMaxTokens) {
        StringBuilder s = new StringBuilder();
        if (beams != defaultBeams) {
            s.append(" beams=").append(beams);
        }
        if (maxTokens != defaultMaxTokens) {
            s.append(" max_tokens=").append(maxTokens);
        }
        if (prefix.size() > 1) {
            s.append(" prompt='").append(prompt.strip()).append('\'');
        }
        return s.toString();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public List<String> caption(List<BufferedImage> images) {
        List<String> out = new ArrayList<>(images.size());
        for (int from = 0; from < images.size(); from += batchSize) {
            out.addAll(captionBatch(images.subList(from, Math.min(images.size(), from + batchSize))));
        }
        return out;
    }

    private List<String> captionBatch(List<BufferedImage> images) {
        List<List<Integer>> generated = generate(images);
        List<String> out = new ArrayList<>(generated.size());
        for (List<Integer> tokens : generated) {
            List<Integer> all = new ArrayList<>(prefix);
            all.addAll(tokens);
            out.add(tokenizer.decode(all));
        }
        return out;
    }

    /** The generated token ids per image (prefix and [SEP] excluded). */
    List<List<Integer>> generate(List<BufferedImage> images) {
        JniUtils.setGradMode(false);
        int size = processor.size();
        int plane = 3 * size * size;
        float[] pixels = new float[images.size() * plane];
        IntStream.range(0, images.size())
                .parallel()
                .forEach(i -> System.arraycopy(processor.process(images.get(i)), 0, pixels, i * plane, plane));
        try (NDManager batch = model.manager().newSubManager()) {
            long start = System.nanoTime();
            NDArray embeds = vision != null
                    ? vision.encode(pixels, images.size(), batch)
                    : model.encodeImages(batch.create(pixels, new Shape(images.size(), 3, size, size)));
            long encoded = System.nanoTime();
            List<List<Integer>> tokens = beams == 1
                    ? search.greedy(embeds, prefix, maxTokens, batch)
                    : search.beam(embeds, prefix, maxTokens, beams, batch);
            encodeNanos += encoded - start;
            decodeNanos += System.nanoTime() - encoded;
            imagesCaptioned += images.size();
            return tokens;
        }
    }

    /** Where captioning time went so far: pixels to image embeddings, and embeddings to tokens. */
    public record Timings(long images, double encodeSeconds, double decodeSeconds) {}

    /** The time spent so far in the image encoder and the text decoder (preprocessing and tokenizing excluded). */
    public Timings timings() {
        return new Timings(imagesCaptioned, encodeNanos / 1e9, decodeNanos / 1e9);
    }

    /** Sets PyTorch's intra-op thread count for the process; returns the previous one. */
    public static int setThreads(int threads) {
        ai.djl.engine.Engine.getEngine("PyTorch");
        int previous = JniUtils.getNumThreads();
        JniUtils.setNumThreads(threads);
        return previous;
    }

    WordPieceTokenizer tokenizer() {
        return tokenizer;
    }

    BlipConfig config() {
        return model.config();
    }

    int maxTokens() {
        return maxTokens;
    }

    @Override
    public String model() {
        return name;
    }

    @Override
    public int preferredBatchSize() {
        return batchSize;
    }

    /** What runs the image encoder; the text decoder runs on PyTorch. */
    public Engine engine() {
        return vision != null ? Engine.ONNXRUNTIME : Engine.PYTORCH;
    }

    @Override
    public void close() {
        if (vision != null) {
            vision.close();
        }
        model.close();
    }

    private static BlipImageProcessor processor(Path dir, BlipConfig config) {
        Path file = dir.resolve("preprocessor_config.json");
        float[] mean = BlipImageProcessor.MEAN;
        float[] std = BlipImageProcessor.STD;
        if (Files.isRegularFile(file)) {
            try {
                JsonNode root = new ObjectMapper().readTree(file.toFile());
                mean = floats(root.path("image_mean"), mean, file);
                std = floats(root.path("image_std"), std, file);
            } catch (IOException e) {
                throw new BadInputException("cannot read " + file + ": " + e.getMessage());
            }
        }
        return new BlipImageProcessor(config.vision().imageSize(), mean, std);
    }

    private static float[] floats(JsonNode node, float[] fallback, Path file) {
        if (node.isMissingNode()) {
            return fallback;
        }
        if (!node.isArray() || node.size() != 3) {
            throw new BadInputException(file + ": image_mean and image_std must be lists of 3 numbers");
        }
        return new float[] {
            (float) node.get(0).asDouble(),
            (float) node.get(1).asDouble(),
            (float) node.get(2).asDouble()
        };
    }

    /** Configures where the checkpoint comes from and how to decode. */
    public static final class Builder {
        private Path modelDir;
        private Path cacheDir;
        private String repo;
        private String revision = "main";
        private URI endpoint;
        private String token;
        private boolean progress = true;
        private int maxTokens;
        private int beams;
        private int batchSize = 8;
        private String prompt;
        private int threads;
        private Engine engine = Engine.ONNXRUNTIME;

        private Builder() {}

        /** A local checkpoint directory; nothing is downloaded. */
        public Builder modelDir(Path modelDir) {
            this.modelDir = modelDir;
            return this;
        }

        /** Where downloaded checkpoints are kept (default $HMN_CACHE/huggingface or ~/.cache/hmn/huggingface). */
        public Builder cacheDir(Path cacheDir) {
            this.cacheDir = cacheDir;
            return this;
        }

        /** The Hugging Face repository, default {@value BlipCaptioner#DEFAULT_REPO}. */
        public Builder repo(String repo) {
            this.repo = repo;
            return this;
        }

        public Builder revision(String revision) {
            this.revision = revision;
            return this;
        }

        /** The hub (default https://huggingface.co, or $HF_ENDPOINT). */
        public Builder endpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** An access token (default $HF_TOKEN). */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** Whether downloads show a progress bar on stderr (default true). */
        public Builder progress(boolean progress) {
            this.progress = progress;
            return this;
        }

        /** New tokens at most, [SEP] included (default: the config's max_length minus [DEC] and the prompt). */
        public Builder maxTokens(int maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        /** Beam width; 1 is greedy (default: the config's num_beams, 1 for Salesforce's checkpoints). */
        public Builder beams(int beams) {
            this.beams = beams;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Text the captions start with, e.g. "a photography of" (default none). */
        public Builder prompt(String prompt) {
            this.prompt = prompt;
            return this;
        }

        /**
         * PyTorch's intra-op threads for the whole process (default 0: leave PyTorch's choice, one per core). On a
         * machine shared with other busy processes, 1 is often much faster than spinning threads that wait on each
         * other.
         */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /**
         * What runs the image encoder, about two thirds of the work on PyTorch: ONNX Runtime (default) on a graph
         * built from the weights, or PyTorch. The text decoder runs on PyTorch either way.
         */
        public Builder engine(Engine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        public BlipCaptioner build() {
            if (threads < 0) {
                throw new BadInputException("BLIP threads must not be negative, got " + threads);
            }
            if (threads > 0) {
                setThreads(threads);
            }
            if (maxTokens < 0) {
                throw new BadInputException("BLIP maxTokens must be positive, got " + maxTokens);
            }
            if (beams < 0) {
                throw new BadInputException("BLIP beams must be at least 1, got " + beams);
            }
            if (batchSize <= 0) {
                throw new BadInputException("BLIP batch size must be positive, got " + batchSize);
            }
            if (modelDir != null) {
                if (!Files.isDirectory(modelDir)) {
                    throw new BadInputException("BLIP model directory " + modelDir + " does not exist");
                }
                return new BlipCaptioner(this, modelDir);
            }
            if (repo == null) {
                repo = DEFAULT_REPO;
            }
            Map<String, String> env = System.getenv();
            HubDownloader.Builder d = HubDownloader.builder()
                    .fromEnvironment(env)
                    .cacheDir(cacheDir != null ? cacheDir : HubDownloader.defaultCacheDir(env))
                    .progress(progress);
            if (endpoint != null) {
                d.endpoint(endpoint);
            }
            if (token != null) {
                d.token(token);
            }
            Path dir;
            try {
                dir = d.build().snapshot(repo, revision, FILES);
            } catch (IllegalArgumentException e) {
                throw new BadInputException("BLIP repository: " + e.getMessage());
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot fetch BLIP checkpoint " + repo + "@" + revision
                                + " (a local checkpoint directory works offline): " + e.getMessage(),
                        e);
            }
            return new BlipCaptioner(this, dir);
        }
    }
}
