package hmn.bench;

import hmn.io.FileTrees;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hmn bench language}: caption-embedding throughput of both MiniLM variants, and the LLM labelling stage
 * against a local server with a fixed latency (concurrent against one-at-a-time, then a cached re-run).
 */
@Command(
        name = "language",
        mixinStandardHelpOptions = true,
        description = "Benchmarks caption embeddings (MiniLM fp32 and quantized) and LLM labelling against a local"
                + " server that answers after a fixed latency.")
public final class BenchLanguageCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--captions",
            defaultValue = "25000",
            description = "Captions to embed (default: ${DEFAULT-VALUE}).")
    int captions;

    @Option(
            names = "--clusters",
            defaultValue = "5000",
            description = "Level-1 clusters to label concurrently (default: ${DEFAULT-VALUE}).")
    int clusters;

    @Option(
            names = "--sequential-clusters",
            defaultValue = "5000",
            description = "Clusters to label one at a time, for the speed-up (default: ${DEFAULT-VALUE}; fewer"
                    + " is quicker, and the speed-up is then per cluster).")
    int sequentialClusters;

    @Option(names = "--concurrency", defaultValue = "8", description = "Concurrent calls (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(
            names = "--latency-ms",
            defaultValue = "200",
            description = "The local server's answer time, in ms (default: ${DEFAULT-VALUE}).")
    int latencyMs;

    @Option(names = "--skip-embeddings", description = "Only the LLM stage.")
    boolean skipEmbeddings;

    @Option(
            names = "--minilm",
            defaultValue = "both",
            description = "MiniLM variants to measure: float, int8 or both (default: ${DEFAULT-VALUE}).")
    String variants;

    @Option(
            names = "--peer-captions",
            defaultValue = "2000",
            paramLabel = "N",
            description = "Captions that LangChain4j's own MiniLM (the peer) embeds in the same run; 0 skips it"
                    + " (default: ${DEFAULT-VALUE}).")
    int peerCaptions;

    @Option(names = "--skip-llm", description = "Only the embeddings.")
    boolean skipLlm;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                "load average before: %s, %d processors%n",
                loadAverage(), Runtime.getRuntime().availableProcessors());
        LanguageBench bench = new LanguageBench(out);
        if (!skipEmbeddings) {
            List<String> sentences = LanguageBench.captions(captions, 42);
            if (!List.of("float", "int8", "both").contains(variants)) {
                throw new hmn.core.BadInputException("--minilm must be float, int8 or both, got '" + variants + "'");
            }
            List<String> peerSentences = sentences.subList(0, Math.min(Math.max(peerCaptions, 0), sentences.size()));
            for (boolean quantized :
                    "both".equals(variants) ? List.of(false, true) : List.of("int8".equals(variants))) {
                double rate = bench.embeddings(quantized, sentences, false);
                double stage = bench.embeddings(quantized, sentences, true);
                String peer = peerSentences.isEmpty()
                        ? ""
                        : String.format(
                                java.util.Locale.ROOT,
                                ", %.1fx LangChain4j's model",
                                rate / bench.peerEmbeddings(quantized, peerSentences));
                out.printf(
                        java.util.Locale.ROOT,
                        "embeddings: %s %.0f/s embedding every caption (target >= %d)%s;"
                                + " %.0f/s as the embedding stage runs (each distinct caption once)%n",
                        quantized ? "all-minilm-l6-v2-q" : "all-minilm-l6-v2",
                        rate,
                        quantized ? 800 : 320,
                        peer,
                        stage);
            }
        }
        if (!skipLlm) {
            Path tmp = Files.createTempDirectory("hmn-bench-llm");
            try (LocalLlmServer server = LanguageBench.slowServer(Duration.ofMillis(latencyMs))) {
                bench.llm(
                        "warm-up (not counted)",
                        server,
                        Math.min(200, clusters),
                        concurrency,
                        tmp.resolve("warm-up.jsonl"));
                LanguageBench.LlmRun concurrent =
                        bench.llm("concurrent, empty cache", server, clusters, concurrency, tmp.resolve("a.jsonl"));
                LanguageBench.LlmRun cached =
                        bench.llm("concurrent, second run", server, clusters, concurrency, tmp.resolve("a.jsonl"));
                LanguageBench.LlmRun sequential =
                        bench.llm("one at a time, empty cache", server, sequentialClusters, 1, tmp.resolve("b.jsonl"));
                out.printf(
                        "llm: speed-up of concurrency %d over one at a time: %.1fx (target >= 7x); second run from"
                                + " the cache: %.2f s, %d calls (target: seconds, 0 calls)%n",
                        concurrency,
                        sequential.perCluster() / concurrent.perCluster(),
                        cached.seconds(),
                        cached.calls());
            } finally {
                FileTrees.delete(tmp);
            }
        }
        out.printf("load average after: %s%n", loadAverage());
        return 0;
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
