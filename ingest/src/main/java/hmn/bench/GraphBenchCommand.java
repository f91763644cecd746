package hmn.bench;

import hmn.artifacts.SyntheticCollection;
import hmn.cli.shared.ExitCodes;
import hmn.cli.shared.ImportSummary;
import hmn.core.BadInputException;
import hmn.graph.GraphImport;
import hmn.graph.ImportOptions;
import hmn.labels.ExtractiveLabeller;
import hmn.server.Store;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Session;
import org.neo4j.graphdb.Transaction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hmn bench graph}: the import and query benchmark on a generated collection shaped like the paper's (25,000
 * images; ResNet18's layer1..layer4; a 6-level nested hierarchy with 5,000 level-1 clusters).
 */
@Command(
        name = "graph",
        mixinStandardHelpOptions = true,
        description = {
            "Generates a paper-shaped collection, times import plus materialisation, the procedures' latencies"
                    + " (in process), and concurrent Bolt clients calling procedures.",
            "Run it with the heap you want measured, e.g. HMN_JAVA_OPTS=-Xmx2g ./hmn bench graph"
        })
public final class GraphBenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--images", defaultValue = "25000", description = "Images (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(
            names = "--clusters",
            split = ",",
            defaultValue = "5000,1000,200,40,8,2",
            description = "Clusters per" + " level from level 1 up (default: ${DEFAULT-VALUE}).")
    int[] clusters;

    @Option(
            names = "--work",
            defaultValue = "hmn-data/bench-graph",
            description = "Work directory for the" + " generated collection and the store (default: ${DEFAULT-VALUE}).")
    Path work;

    @Option(
            names = "--samples",
            defaultValue = "200",
            description = "Calls per latency figure (default:" + " ${DEFAULT-VALUE}).")
    int samples;

    @Option(
            names = "--clients",
            defaultValue = "16",
            description = "Concurrent Bolt clients (default:" + " ${DEFAULT-VALUE}).")
    int clients;

    @Option(
            names = "--seconds",
            defaultValue = "60",
            description = "Duration of the concurrent run (default:" + " ${DEFAULT-VALUE}; 0 skips it).")
    int seconds;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the generated collection.")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (images < 1 || clusters.length == 0 || clusters[0] > images) {
            throw new BadInputException(
                    "--images must be at least the level-1 cluster count " + clusters[0] + ", got " + images);
        }
        PrintWriter out = spec.commandLine().getOut();
        Runtime rt = Runtime.getRuntime();
        out.printf(
                Locale.ROOT,
                "bench graph: %,d images, clusters per level %s, layers layer1..layer4 (64/128/256/512);"
                        + " max heap %,d MB, %d cores%n",
                images,
                Arrays.toString(clusters),
                rt.maxMemory() >> 20,
                rt.availableProcessors());
        Path data = work.resolve("data");
        Path db = work.resolve("db");
        SyntheticCollection.clear(data, "--work");
        long g0 = System.nanoTime();
        Map<String, Integer> layers = new LinkedHashMap<>();
        layers.put("layer1", 64);
        layers.put("layer2", 128);
        layers.put("layer3", 256);
        layers.put("layer4", 512);
        SyntheticCollection.Files files = SyntheticCollection.builder()
                .images(images)
                .clustersPerLevel(clusters)
                .layers(layers)
                .seed(seed)
                .writeImages(false)
                .build()
                .writeTo(data);
        out.printf(
                Locale.ROOT,
                "generated the collection in %.1f s (not part of the import)%n",
                (System.nanoTime() - g0) / 1e9);
        out.flush();

        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        GraphImport.Result result = GraphImport.run(
                new GraphImport.Inputs(
                        files.images(), files.captions(), files.partitions(), files.activations(), List.of(), null),
                ImportOptions.defaults(),
                ExtractiveLabeller.builder().build(),
                db);
        double importSeconds = (System.nanoTime() - t0) / 1e9;
        double importCpu = (processCpuNanos() - cpu0) / 1e9;
        ImportSummary.print(out, result);
        out.printf(
                Locale.ROOT,
                "IMPORT + MATERIALISATION: %.1f s wall (target: 60 s)%s, of which materialise %.1f s;"
                        + " process CPU time %.1f s (all threads, GC included)%n",
                importSeconds,
                importSeconds <= 60 ? "" : " NOT MET",
                result.summary().materializeMillis() / 1e3,
                importCpu);
        out.println("  load while importing: " + loadAverage() + " (load average over the last minute)");
        out.flush();

        int bolt = freePort();
        try (Store store = Store.open(db, bolt, null)) {
            out.println("load before the latency runs: " + loadAverage());
            latencies(out, store);
            if (seconds > 0) {
                concurrent(out, bolt);
            }
        }
        return ExitCodes.OK;
    }

    private static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    static String loadAverage() {
        return String.format(
                Locale.ROOT,
                "%.2f",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void latencies(PrintWriter out, Store store) {
        List<String> level1 = new ArrayList<>();
        String top;
        try (Transaction tx = store.db().beginTx()) {
            tx.execute("MATCH (c:Cluster {level: 1}) RETURN c.id AS id ORDER BY id")
                    .forEachRemaining(r -> level1.add((String) r.get("id")));
            top = (String) tx.execute("MATCH (c:Cluster) WITH c ORDER BY c.level DESC LIMIT 1 RETURN c.id AS id")
                    .next()
                    .get("id");
        }
        SplittableRandom random = new SplittableRandom(seed);
        String shared = "CALL hmn.cluster.sharedNeurons($c, {}) YIELD layer, neuron, support RETURN count(*) AS n";
        String concepts = "CALL hmn.neuron.concepts('layer4', $n, {}) YIELD cluster RETURN count(*) AS n";
        double cold = once(store, shared, Map.of("c", level1.get(0)));
        out.printf(Locale.ROOT, "first procedure call (cold caches): %.1f ms%n", cold);
        double[] l1 = new double[samples];
        for (int i = 0; i < samples; i++) {
            l1[i] = once(store, shared, Map.of("c", level1.get(random.nextInt(level1.size()))));
        }
        report(out, "hmn.cluster.sharedNeurons, level-1 cluster", l1, 2);
        double topCold = once(store, shared, Map.of("c", top));
        double[] t = new double[Math.max(5, samples / 10)];
        for (int i = 0; i < t.length; i++) {
            t[i] = once(store, shared, Map.of("c", top));
        }
        out.printf(
                Locale.ROOT,
                "hmn.cluster.sharedNeurons, top cluster %s (all %,d images): first %.2f ms%n",
                top,
                images,
                topCold);
        report(out, "hmn.cluster.sharedNeurons, top cluster " + top, t, 200);
        double[] c = new double[samples];
        for (int i = 0; i < samples; i++) {
            c[i] = once(store, concepts, Map.of("n", random.nextInt(512)));
        }
        report(out, "hmn.neuron.concepts (layer4)", c, 5);
        out.flush();
    }

    private static double once(Store store, String query, Map<String, Object> params) {
        long s = System.nanoTime();
        try (Transaction tx = store.db().beginTx();
                var r = tx.execute(query, params)) {
            r.forEachRemaining(row -> {});
        }
        return (System.nanoTime() - s) / 1e6;
    }

    private static void report(PrintWriter out, String what, double[] ms, double target) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        out.printf(
                Locale.ROOT,
                "%s: median %.2f ms, p99 %.2f ms, max %.2f ms over %d calls (target: median under" + " %s ms)%s%n",
                what,
                median,
                percentile(sorted, 0.99),
                sorted[sorted.length - 1],
                sorted.length,
                target == (long) target ? String.valueOf((long) target) : String.valueOf(target),
                median < target ? "" : "  NOT MET");
    }

    private static double percentile(double[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private void concurrent(PrintWriter out, int bolt) throws Exception {
        List<String> level1 = new ArrayList<>();
        List<String> children = new ArrayList<>();
        Config config = Config.builder()
                .withMaxConnectionPoolSize(clients + 4)
                .withoutEncryption()
                .build();
        try (Driver driver = GraphDatabase.driver("bolt://127.0.0.1:" + bolt, AuthTokens.none(), config)) {
            try (Session s = driver.session()) {
                s.run("MATCH (c:Cluster {level: 1}) RETURN c.id AS id")
                        .forEachRemaining(r -> level1.add(r.get("id").asString()));
                s.run("MATCH (c:Cluster)-[:DIFFERS_BY]->() RETURN c.id AS id")
                        .forEachRemaining(r -> children.add(r.get("id").asString()));
            }
            String[] queries = {
                "CALL hmn.cluster.sharedNeurons($c, {}) YIELD layer, neuron, support RETURN count(*) AS n",
                "CALL hmn.neuron.concepts('layer4', $n, {}) YIELD cluster RETURN count(*) AS n",
                "CALL hmn.cluster.differenceNeurons($d, {}) YIELD neuron RETURN count(*) AS n",
            };
            AtomicLong errors = new AtomicLong();
            List<String> firstErrors = java.util.Collections.synchronizedList(new ArrayList<>());
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<double[]>> futures = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                int client = t;
                futures.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(seed + client);
                    double[] lat = new double[1 << 12];
                    int n = 0;
                    try (Session session = driver.session()) {
                        while (System.nanoTime() < end) {
                            int q = random.nextInt(queries.length);
                            Map<String, Object> params = Map.of(
                                    "c",
                                    level1.get(random.nextInt(level1.size())),
                                    "n",
                                    random.nextInt(512),
                                    "d",
                                    children.get(random.nextInt(children.size())));
                            long s = System.nanoTime();
                            try {
                                session.run(queries[q], params).consume();
                            } catch (RuntimeException e) {
                                errors.incrementAndGet();
                                if (firstErrors.size() < 3) {
                                    firstErrors.add(e.toString());
                                }
                            }
                            if (n == lat.length) {
                                lat = Arrays.copyOf(lat, n * 2);
                            }
                            lat[n++] = (System.nanoTime() - s) / 1e6;
                        }
                    }
                    return Arrays.copyOf(lat, n);
                }));
            }
            List<double[]> all = new ArrayList<>();
            for (Future<double[]> f : futures) {
                all.add(f.get());
            }
            pool.shutdown();
            int total = all.stream().mapToInt(a -> a.length).sum();
            double[] merged = new double[total];
            int at = 0;
            for (double[] a : all) {
                System.arraycopy(a, 0, merged, at, a.length);
                at += a.length;
            }
            Arrays.sort(merged);
            out.printf(
                    Locale.ROOT,
                    "%d concurrent Bolt clients for %d s (sharedNeurons / concepts /"
                            + " differenceNeurons mixed): %,d calls, %,.0f calls/s, errors %d, p50 %.2f ms, p99 %.2f"
                            + " ms, max %.2f ms%n",
                    clients,
                    seconds,
                    total,
                    total / (double) seconds,
                    errors.get(),
                    merged.length == 0 ? 0 : merged[merged.length / 2],
                    percentile(merged, 0.99),
                    merged.length == 0 ? 0 : merged[merged.length - 1]);
            for (String e : firstErrors) {
                out.println("  error: " + e);
            }
        }
        out.flush();
    }
}
