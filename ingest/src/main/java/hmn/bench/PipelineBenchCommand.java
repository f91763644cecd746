package hmn.bench;

import hmn.cli.shared.ExitCodes;
import hmn.core.BadInputException;
import hmn.demo.SampleSet;
import hmn.demo.SceneGenerator;
import hmn.format.CaptionRow;
import hmn.format.CaptionsFile;
import hmn.io.FileTrees;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hmn bench pipeline}: the whole {@code ingest} on a generated collection (scenes drawn by
 * {@link SceneGenerator}, a generated caption set, a local stub LLM answering every label call), run as a child
 * process so that its peak memory is its own: the time of each stage, its share, the peak resident memory, and the
 * slowest stage against the figure of its own benchmark.
 */
@Command(
        name = "pipeline",
        mixinStandardHelpOptions = true,
        description = "Times the whole ingest on a generated collection (default 25,000 images) with a local stub LLM:"
                + " each stage's time and share, peak memory, and the slowest stage.")
public final class PipelineBenchCommand implements Callable<Integer> {
    /** The command line's main class, run in the child process (given by the command line, which sits above). */
    private final String mainClass;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--images", defaultValue = "25000", description = "Images (default: ${DEFAULT-VALUE}).")
    int images;

    public PipelineBenchCommand(String mainClass) {
        this.mainClass = mainClass;
    }

    @Option(
            names = "--work",
            defaultValue = "hmn-data/bench-pipeline",
            description = "Directory for the generated"
                    + " images (kept between runs), the store and its work directory (default: ${DEFAULT-VALUE}).")
    Path work;

    @Option(
            names = "--heap",
            defaultValue = "4g",
            description = "The ingest's maximum heap (default:" + " ${DEFAULT-VALUE}).")
    String heap;

    @Option(
            names = "--llm-latency-ms",
            defaultValue = "50",
            description = "The stub LLM's delay per answer" + " (default: ${DEFAULT-VALUE}).")
    int latencyMillis;

    @Option(names = "--resume", description = "Keep the previous run's work directory (measures a resumed run).")
    boolean resume;

    /** The figure each stage has in its own benchmark, to compare the slowest stage with. */
    static final Map<String, String> OWN_FIGURES = Map.of(
            "activations",
                    "the forward alone, side by side with PyTorch eager and against the machine's"
                            + " matrix-multiply bound: bench/activations.sh (ResNet18 on 2 cores: 33-40 images/s)",
            "embeddings", "all-MiniLM-L6-v2 at least 320 captions/s: ./hmn bench language --skip-llm",
            "partitions", "FINCH on 25,000 points within 2 s: ./hmn bench finch",
            "graph", "import plus materialisation of 25,000 images within 60 s: ./hmn bench graph",
            "labels", "labelling at concurrency 8 at least 7x one at a time: ./hmn bench language");

    @Override
    public Integer call() throws Exception {
        if (images < 12) {
            throw new BadInputException("--images must be at least 12 (one scene of each kind), got " + images);
        }
        PrintWriter out = spec.commandLine().getOut();
        Path imagesDir = work.resolve("images");
        Path captions = work.resolve("captions.csv");
        Path db = work.resolve("db");
        generate(out, imagesDir, captions);
        if (!resume) {
            FileTrees.delete(work.resolve("db.work"));
        }
        AtomicLong calls = new AtomicLong();
        try (LocalLlmServer llm = LocalLlmServer.start(call -> {
            calls.incrementAndGet();
            return LocalLlmServer.chat(call, stubLabel(call.prompt())).delayed(Duration.ofMillis(latencyMillis));
        })) {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + heap,
                    "-Dai.djl.offline=true",
                    "-cp",
                    System.getProperty("java.class.path"),
                    mainClass,
                    "ingest",
                    imagesDir.toString(),
                    "--db",
                    db.toString(),
                    "--captions",
                    captions.toString(),
                    "--random-weights",
                    "7",
                    "--layers",
                    "layer1,layer2,layer3,layer4",
                    "--llm",
                    "openai:stub",
                    "--llm-base-url",
                    llm.openAiBaseUrl(),
                    "--llm-key",
                    "stub",
                    "--llm-concurrency",
                    "8"));
            out.printf(
                    Locale.ROOT,
                    "bench pipeline: %,d images, %d cores, ingest heap %s, stub LLM %d ms per answer;" + " load %s%n",
                    images,
                    Runtime.getRuntime().availableProcessors(),
                    heap,
                    latencyMillis,
                    GraphBenchCommand.loadAverage());
            out.flush();
            Run run = runChild(command, out);
            report(out, run, calls.get());
            return run.exit == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }

    /** A label the stub LLM gives: the first caption quoted in the prompt, as one sentence. */
    static String stubLabel(String prompt) {
        Matcher m = Pattern.compile("(?m)^- (.+)$").matcher(prompt == null ? "" : prompt);
        String text = m.find() ? m.group(1).strip() : "a generated scene";
        return Character.toUpperCase(text.charAt(0)) + text.substring(1).replaceAll("[.\"]", "") + ".";
    }

    /** Draws the scenes (in parallel) and a generated caption set, unless a previous run left them complete. */
    private void generate(PrintWriter out, Path imagesDir, Path captions) throws IOException {
        Path marker = work.resolve("generated-" + images);
        if (Files.isRegularFile(marker) && Files.isRegularFile(captions)) {
            out.println("reusing the generated collection in " + imagesDir);
            return;
        }
        FileTrees.delete(imagesDir);
        Files.createDirectories(imagesDir);
        SceneGenerator generator = new SceneGenerator(SampleSet.WIDTH, SampleSet.HEIGHT);
        int kinds = generator.kindNames().size();
        String[] names = new String[images];
        long t0 = System.nanoTime();
        try (ProgressBar bar = hmn.progress.ProgressBars.of("draw scenes", images)) {
            AtomicInteger failures = new AtomicInteger();
            IntStream.range(0, images).parallel().forEach(i -> {
                SceneGenerator.Scene scene = generator.scene(i % kinds, i / kinds, 11);
                names[i] = scene.name();
                try {
                    SampleSet.writeJpeg(scene, imagesDir.resolve(scene.name()));
                } catch (IOException e) {
                    failures.incrementAndGet();
                }
                bar.step();
            });
            if (failures.get() > 0) {
                throw new IOException(failures.get() + " scenes could not be written to " + imagesDir);
            }
        }
        List<String> texts = LanguageBench.captions(images, 13);
        List<CaptionRow> rows = new ArrayList<>(images);
        for (int i = 0; i < images; i++) {
            rows.add(new CaptionRow(names[i], texts.get(i)));
        }
        CaptionsFile.write(captions, rows);
        Files.writeString(marker, "");
        out.printf(
                Locale.ROOT,
                "generated %,d scenes and captions in %.1f s (not part of the run)%n",
                images,
                (System.nanoTime() - t0) / 1e9);
        out.flush();
    }

    private record Run(int exit, double seconds, long peakRssKb, List<String> lines) {}

    /** Runs the ingest, echoing its output, sampling its resident memory every 100 ms. */
    private static Run runChild(List<String> command, PrintWriter out) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        AtomicLong peak = new AtomicLong();
        Thread sampler = new Thread(
                () -> {
                    Path status = Path.of("/proc", Long.toString(p.pid()), "status");
                    while (p.isAlive()) {
                        try {
                            for (String line : Files.readAllLines(status)) {
                                if (line.startsWith("VmHWM:")) {
                                    peak.accumulateAndGet(Long.parseLong(line.replaceAll("\\D", "")), Math::max);
                                }
                            }
                            Thread.sleep(100);
                        } catch (IOException | RuntimeException e) {
                            return; // the process ended
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "hmn-rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = r.read()) >= 0) {
                if (c == '\n') {
                    lines.add(line.toString());
                    out.println(line);
                    out.flush();
                    line.setLength(0);
                } else if (c == '\r') {
                    System.err.print("\r" + line); // a progress bar redrawing itself
                    line.setLength(0);
                } else {
                    line.append((char) c);
                }
            }
        }
        int exit = p.waitFor();
        sampler.join(1000);
        return new Run(exit, (System.nanoTime() - t0) / 1e9, peak.get(), lines);
    }

    private static final Pattern STAGE = Pattern.compile("^\\s+(\\S+)\\s+(computed|reused|imported)\\s+([0-9.]+) s");
    private static final Pattern GRAPH = Pattern.compile("^\\s+time: read\\+check ([0-9.]+) s, label ([0-9.]+) s,"
            + " write ([0-9.]+) s, schema ([0-9.]+) s, materialise ([0-9.]+) s, total ([0-9.]+) s");

    private void report(PrintWriter out, Run run, long llmCalls) {
        Map<String, Double> stages = new LinkedHashMap<>();
        for (String line : run.lines) {
            Matcher m = STAGE.matcher(line);
            if (m.find()) {
                stages.put(m.group(1), Double.parseDouble(m.group(3)));
            }
            Matcher g = GRAPH.matcher(line);
            if (g.find()) {
                stages.put("labels", Double.parseDouble(g.group(2)));
                stages.put("graph", Double.parseDouble(g.group(6)) - Double.parseDouble(g.group(2)));
            }
        }
        out.println();
        out.printf(
                Locale.ROOT,
                "PIPELINE on %,d images: %.1f s wall (JVM start and reading included), exit %d,"
                        + " peak resident memory %,d MB, %,d stub LLM calls; load %s%n",
                images,
                run.seconds,
                run.exit,
                run.peakRssKb >> 10,
                llmCalls,
                GraphBenchCommand.loadAverage());
        double accounted =
                stages.values().stream().mapToDouble(Double::doubleValue).sum();
        String slowest = null;
        for (Map.Entry<String, Double> e : stages.entrySet()) {
            out.printf(
                    Locale.ROOT,
                    "  %-12s %8.1f s  %5.1f%%%n",
                    e.getKey(),
                    e.getValue(),
                    100 * e.getValue() / run.seconds);
            if (slowest == null || e.getValue() > stages.get(slowest)) {
                slowest = e.getKey();
            }
        }
        out.printf(
                Locale.ROOT,
                "  %-12s %8.1f s  %5.1f%%%n",
                "other",
                run.seconds - accounted,
                100 * (run.seconds - accounted) / run.seconds);
        if (slowest != null) {
            out.printf(
                    Locale.ROOT,
                    "slowest stage: %s, %.1f s (%.0f%% of the run)",
                    slowest,
                    stages.get(slowest),
                    100 * stages.get(slowest) / run.seconds);
            if (slowest.equals("activations")) {
                out.printf(Locale.ROOT, ", %.1f images/s", images / stages.get(slowest));
            } else if (slowest.equals("embeddings")) {
                out.printf(Locale.ROOT, ", %.0f captions/s", images / stages.get(slowest));
            }
            out.println();
            out.println("  its own benchmark: " + OWN_FIGURES.getOrDefault(slowest, "none"));
        }
        out.flush();
    }
}
