package hmn.bench;

import ai.djl.pytorch.jni.JniUtils;
import hmn.captions.blip.BlipCaptioner;
import hmn.captions.blip.TinyBlip;
import hmn.core.BadInputException;
import hmn.runtime.Engine;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hmn bench blip}: captions N synthetic images and prints images per second. */
@Command(
        name = "blip",
        mixinStandardHelpOptions = true,
        description = {
            "Captions N synthetic 320x240 images with BLIP and prints images/s.",
            "Uses a tiny generated checkpoint unless --model-dir or --repo names real weights."
        })
public final class BlipBenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model-dir", description = "Local BLIP checkpoint directory (default: the tiny test model).")
    Path modelDir;

    @Option(
            names = "--repo",
            description = "Hugging Face repository to fetch into the cache, e.g. " + BlipCaptioner.DEFAULT_REPO + ".")
    String repo;

    @Option(
            names = "--random-base",
            description = "Time a checkpoint of blip-image-captioning-base's sizes with "
                    + "random weights (written to a temporary directory, about 1 GB) instead of the tiny one.")
    boolean randomBase;

    @Option(names = "--images", defaultValue = "64", description = "Images to caption (default ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--batch", defaultValue = "8", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--beams", defaultValue = "1", description = "Beam width, 1 = greedy (default ${DEFAULT-VALUE}).")
    int beams;

    @Option(
            names = "--threads",
            defaultValue = "0",
            description = "PyTorch intra-op threads (default 0: PyTorch's choice).")
    int threads;

    @Option(
            names = "--warmup",
            defaultValue = "1",
            description = "Warm-up batches not timed (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--engine",
            defaultValue = "both",
            description = "What runs the image encoder: onnxruntime, "
                    + "pytorch, or both, one after the other on the same images (default ${DEFAULT-VALUE}).")
    String engine;

    @Override
    public Integer call() throws IOException {
        if (images <= 0 || batch <= 0 || beams <= 0 || warmup < 0 || threads < 0) {
            throw new BadInputException(
                    "--images, --batch and --beams must be positive, --warmup and --threads " + "not negative");
        }
        PrintWriter out = spec.commandLine().getOut();
        Path tinyDir = null;
        BlipCaptioner.Builder builder =
                BlipCaptioner.builder().batchSize(batch).beams(beams).threads(threads);
        String what;
        if (modelDir != null) {
            builder.modelDir(modelDir);
            what = modelDir.toString();
        } else if (repo != null) {
            builder.repo(repo);
            what = repo;
        } else {
            tinyDir = Files.createTempDirectory("hmn-bench-blip");
            TinyBlip.Sizes sizes = randomBase ? TinyBlip.Sizes.BASE : TinyBlip.Sizes.TINY;
            builder.modelDir(TinyBlip.write(tinyDir, 42, sizes, (name, values) -> {}));
            what = (randomBase ? "random base-sized" : "tiny") + " (hidden " + sizes.hidden() + ", " + sizes.layers()
                    + " layers, " + sizes.image() + "px)";
        }
        List<BufferedImage> all = synthetic(images, 1);
        List<Engine> engines = engine.strip().equalsIgnoreCase("both")
                ? List.of(Engine.ONNXRUNTIME, Engine.PYTORCH)
                : List.of(Engine.parse(engine));
        try {
            Map<Engine, Double> rates = new EnumMap<>(Engine.class);
            Map<Engine, List<String>> captions = new EnumMap<>(Engine.class);
            for (Engine e : engines) {
                try (BlipCaptioner captioner = builder.engine(e).build()) {
                    for (int i = 0; i < warmup; i++) {
                        captioner.caption(synthetic(batch, 100 + i));
                    }
                    long start = System.nanoTime();
                    List<String> made = new ArrayList<>();
                    try (ProgressBar bar =
                            hmn.progress.ProgressBars.of("captioning (" + e.id() + ")", images, "img", 1, 0)) {
                        for (int from = 0; from < images; from += batch) {
                            List<BufferedImage> chunk = all.subList(from, Math.min(images, from + batch));
                            made.addAll(captioner.caption(chunk));
                            bar.stepBy(chunk.size());
                        }
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    rates.put(e, images / seconds);
                    captions.put(e, made);
                    out.printf(
                            Locale.ROOT,
                            "blip %s, image encoder on %s: %d images, batch %d, %s, threads %d: "
                                    + "%.2f images/s (%.1f ms/image); load average %.2f on %d cores%n",
                            what,
                            e.id(),
                            images,
                            batch,
                            beams == 1 ? "greedy" : beams + " beams",
                            JniUtils.getNumThreads(),
                            images / seconds,
                            1000 * seconds / images,
                            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                            Runtime.getRuntime().availableProcessors());
                    BlipCaptioner.Timings t = captioner.timings();
                    out.printf(
                            Locale.ROOT,
                            "  per image, warm-up included: image encoder %.0f ms, text decoder %.0f" + " ms%n",
                            1000 * t.encodeSeconds() / t.images(),
                            1000 * t.decodeSeconds() / t.images());
                    out.println("first caption: " + made.get(0));
                }
            }
            if (engines.size() == 2) {
                List<String> onnx = captions.get(Engine.ONNXRUNTIME);
                List<String> torch = captions.get(Engine.PYTORCH);
                long same = IntStream.range(0, images)
                        .filter(i -> onnx.get(i).equals(torch.get(i)))
                        .count();
                out.printf(
                        Locale.ROOT,
                        "onnxruntime / pytorch: %.2fx; %d of %d captions identical%n",
                        rates.get(Engine.ONNXRUNTIME) / rates.get(Engine.PYTORCH),
                        same,
                        images);
            }
        } finally {
            if (tinyDir != null) {
                try (var files = Files.walk(tinyDir)) {
                    files.sorted(java.util.Comparator.reverseOrder())
                            .forEach(p -> p.toFile().delete());
                }
            }
        }
        return 0;
    }

    /** Photo-sized images with random shapes, the same for the same seed. */
    static List<BufferedImage> synthetic(int n, long seed) {
        Random random = new Random(seed);
        List<BufferedImage> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            BufferedImage image = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(new Color(random.nextInt(0xffffff)));
            g.fillRect(0, 0, 320, 240);
            for (int s = 0; s < 4; s++) {
                g.setColor(new Color(random.nextInt(0xffffff)));
                g.fillOval(random.nextInt(300), random.nextInt(220), 20 + random.nextInt(120), 20 + random.nextInt(90));
            }
            g.dispose();
            out.add(image);
        }
        return out;
    }
}
