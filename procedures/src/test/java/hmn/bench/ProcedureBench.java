package hmn.bench;

import hmn.testing.Neo4jForTests;
import hmn.testing.TestGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/**
 * Times the hmn procedures through Bolt on a generated paper-shaped graph (default: 25,000 images; layer1..layer4
 * with 64/128/256/512 channels; 6 nested levels with 5,000 / 1,000 / 200 / 40 / 8 / 1 clusters). Run with
 * {@code bench/procedures.sh [images=25000] [level1=5000] [seconds=60] [clients=16] [calls=200]}.
 */
public final class ProcedureBench {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            options.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        int images = Integer.parseInt(options.getOrDefault("images", "25000"));
        int level1 = Integer.parseInt(options.getOrDefault("level1", "5000"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "60"));
        int clients = Integer.parseInt(options.getOrDefault("clients", "16"));
        int calls = Integer.parseInt(options.getOrDefault("calls", "200"));
        int[] levels = {
            level1,
            Math.max(1, level1 / 5),
            Math.max(1, level1 / 25),
            Math.max(1, level1 / 125),
            Math.max(1, level1 / 625),
            1
        };
        Map<String, Integer> layers = new LinkedHashMap<>();
        layers.put("layer1", 64);
        layers.put("layer2", 128);
        layers.put("layer3", 256);
        layers.put("layer4", 512);

        Path dir = Files.createTempDirectory("hmn-bench");
        log(
                "graph: %d images, layers %s, clusters per level %s; cores %d, heap %d MiB",
                images,
                layers,
                Arrays.toString(levels),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        try (Neo4j neo4j = Neo4jForTests.withProcedures(
                                Neo4jForTests.quickShutdown(Neo4jBuilders.newInProcessBuilder(dir)))
                        .withDisabledServer()
                        .build();
                Driver driver = org.neo4j.driver.GraphDatabase.driver(
                        neo4j.boltURI(),
                        org.neo4j.driver.AuthTokens.none(),
                        org.neo4j.driver.Config.builder()
                                .withLogging(org.neo4j.driver.Logging.none())
                                .withMaxConnectionPoolSize(Math.max(16, clients * 2))
                                .build())) {
            long t = System.nanoTime();
            TestGraph graph = TestGraph.random(42, images, layers, levels);
            log("generated in %d ms", ms(t));
            t = System.nanoTime();
            graph.write(neo4j.defaultDatabaseService(), 1000);
            log("written in %d ms", ms(t));
            graph = null;

            String top = TestGraph.clusterId(levels.length, 0);
            Random random = new Random(1);
            try (Session session = driver.session()) {
                t = System.nanoTime();
                int rows = session.run("CALL hmn.cluster.sharedNeurons('L1-0')")
                        .list()
                        .size();
                log("cold: first sharedNeurons (reads the graph, all layers' groups): %d ms, %d rows", ms(t), rows);
                t = System.nanoTime();
                rows = session.run("CALL hmn.neuron.concepts('layer4', 0)")
                        .list()
                        .size();
                log("cold: first concepts (builds the neuron index): %d ms, %d rows", ms(t), rows);

                time(
                        session,
                        "sharedNeurons, level-1 cluster, all layers",
                        calls,
                        "CALL hmn.cluster.sharedNeurons($cluster)",
                        i -> Map.of("cluster", "L1-" + random.nextInt(level1)));
                time(
                        session,
                        "sharedNeurons, level-1 cluster, layer4",
                        calls,
                        "CALL hmn.cluster.sharedNeurons($cluster, {layer: 'layer4'})",
                        i -> Map.of("cluster", "L1-" + random.nextInt(level1)));
                time(
                        session,
                        "sharedNeurons, top cluster (" + images + " images), all layers",
                        calls,
                        "CALL hmn.cluster.sharedNeurons($cluster)",
                        i -> Map.of("cluster", top));
                time(
                        session,
                        "sharedNeurons, top cluster, mode support",
                        calls,
                        "CALL hmn.cluster.sharedNeurons($cluster, {mode: 'support'})",
                        i -> Map.of("cluster", top));
                time(
                        session,
                        "sharedNeurons, top cluster, new support each call (not memoised), layer4",
                        20,
                        "CALL hmn.cluster.sharedNeurons($cluster, {layer: 'layer4', support: $support})",
                        i -> Map.of("cluster", top, "support", 0.3 + i * 0.01));
                time(
                        session,
                        "sharedNeurons, level-1 cluster, new top each call (new activated sets), layer4",
                        10,
                        "CALL hmn.cluster.sharedNeurons($cluster, {layer: 'layer4', top: $top})",
                        i -> Map.of("cluster", "L1-1", "top", 0.05 + i * 0.001));
                time(
                        session,
                        "differenceNeurons, level-1 cluster",
                        calls,
                        "CALL hmn.cluster.differenceNeurons($cluster)",
                        i -> Map.of("cluster", "L1-" + random.nextInt(level1)));
                time(
                        session,
                        "stats, level-1 cluster, layer4 (every channel)",
                        calls,
                        "CALL hmn.cluster.stats($cluster, {layer: 'layer4'})",
                        i -> Map.of("cluster", "L1-" + random.nextInt(level1)));
                time(
                        session,
                        "stats, top cluster (" + images + " images), layer4",
                        calls,
                        "CALL hmn.cluster.stats($cluster, {layer: 'layer4'})",
                        i -> Map.of("cluster", top));
                time(
                        session,
                        "validity, level-1 cluster, layer4",
                        calls,
                        "CALL hmn.cluster.validity($cluster, {layer: 'layer4'})",
                        i -> Map.of("cluster", "L1-" + random.nextInt(level1)));
                time(
                        session,
                        "validity, top cluster, layer4 (100 bootstrap resamples)",
                        20,
                        "CALL hmn.cluster.validity($cluster, {layer: 'layer4'})",
                        i -> Map.of("cluster", top));
                time(
                        session,
                        "compare, two level-1 clusters",
                        calls,
                        "CALL hmn.cluster.compare($a, $b)",
                        i -> Map.of("a", "L1-" + random.nextInt(level1), "b", "L1-" + random.nextInt(level1)));
                time(
                        session,
                        "concepts, layer4 neuron",
                        calls,
                        "CALL hmn.neuron.concepts('layer4', $neuron)",
                        i -> Map.of("neuron", random.nextInt(512)));
                time(
                        session,
                        "concepts, layer4 neuron, level >= 2 only",
                        calls,
                        "CALL hmn.neuron.concepts('layer4', $neuron) YIELD cluster, level WHERE level >= 2 "
                                + "RETURN cluster",
                        i -> Map.of("neuron", random.nextInt(512)));
                time(
                        session,
                        "topImages, layer4 neuron, k 10",
                        calls,
                        "CALL hmn.neuron.topImages('layer4', $neuron, 10)",
                        i -> Map.of("neuron", random.nextInt(512)));
                GraphDatabaseService embedded = neo4j.defaultDatabaseService();
                timeInProcess(
                        embedded,
                        "in process (no Bolt): sharedNeurons, level-1 cluster, all layers",
                        calls,
                        "CALL hmn.cluster.sharedNeurons($cluster)",
                        i -> Map.of("cluster", "L1-" + random.nextInt(level1)));
                timeInProcess(
                        embedded,
                        "in process (no Bolt): sharedNeurons, top cluster, mode support",
                        calls,
                        "CALL hmn.cluster.sharedNeurons($cluster, {mode: 'support'})",
                        i -> Map.of("cluster", top));
                timeInProcess(
                        embedded,
                        "in process (no Bolt): concepts, layer4 neuron",
                        calls,
                        "CALL hmn.neuron.concepts('layer4', $neuron)",
                        i -> Map.of("neuron", random.nextInt(512)));
                t = System.nanoTime();
                Record m = session.run("CALL hmn.materialize()").single();
                log("materialize (defaults): %d ms wall; %s", ms(t), m.asMap());
                t = System.nanoTime();
                m = session.run("CALL hmn.materialize()").single();
                log("materialize again (replaces the edges): %d ms wall; %s", ms(t), m.asMap());
            }
            concurrent(driver, clients, seconds, level1, top);
        } finally {
            deleteQuietly(dir);
        }
    }

    static void time(
            Session session, String what, int calls, String query, IntFunction<Map<String, Object>> parameters) {
        long[] nanos = new long[calls];
        long rows = 0;
        for (int i = 0; i < calls; i++) {
            Map<String, Object> p = parameters.apply(i);
            long t = System.nanoTime();
            rows += session.run(query, p).list().size();
            nanos[i] = System.nanoTime() - t;
        }
        report(what, nanos, rows);
    }

    static void timeInProcess(
            GraphDatabaseService db,
            String what,
            int calls,
            String query,
            IntFunction<Map<String, Object>> parameters) {
        long[] nanos = new long[calls];
        long rows = 0;
        for (int i = 0; i < calls; i++) {
            Map<String, Object> p = parameters.apply(i);
            long t = System.nanoTime();
            try (Transaction tx = db.beginTx();
                    var result = tx.execute(query, p)) {
                while (result.hasNext()) {
                    result.next();
                    rows++;
                }
            }
            nanos[i] = System.nanoTime() - t;
        }
        report(what, nanos, rows);
    }

    static void report(String what, long[] nanos, long rows) {
        int calls = nanos.length;
        Arrays.sort(nanos);
        log(
                "%-75s median %7.3f ms  p99 %7.3f ms  max %7.3f ms  (%d calls, %.1f rows/call)",
                what,
                nanos[calls / 2] / 1e6,
                nanos[Math.min(calls - 1, (int) Math.ceil(calls * 0.99) - 1)] / 1e6,
                nanos[calls - 1] / 1e6,
                calls,
                rows / (double) calls);
    }

    static void concurrent(Driver driver, int clients, int seconds, int level1, String top) throws Exception {
        log("concurrent: %d Bolt clients for %d s, mixed procedures ...", clients, seconds);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        AtomicLong errors = new AtomicLong();
        List<Future<long[]>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            futures.add(pool.submit(() -> {
                Random random = new Random(client);
                long[] nanos = new long[1 << 16];
                int n = 0;
                try (Session session = driver.session()) {
                    while (System.nanoTime() < end) {
                        int kind = random.nextInt(5);
                        String query =
                                switch (kind) {
                                    case 0 -> "CALL hmn.cluster.sharedNeurons($cluster)";
                                    case 1 -> "CALL hmn.cluster.differenceNeurons($cluster)";
                                    case 2 -> "CALL hmn.neuron.concepts('layer4', $neuron)";
                                    case 3 -> "CALL hmn.neuron.topImages('layer3', $neuron, 10)";
                                    default -> "CALL hmn.cluster.sharedNeurons($cluster, {layer: 'layer4'})";
                                };
                        Map<String, Object> p = Map.of(
                                "cluster",
                                kind == 4 ? top : "L1-" + random.nextInt(level1),
                                "neuron",
                                random.nextInt(kind == 3 ? 256 : 512));
                        long t = System.nanoTime();
                        try {
                            session.run(query, p).list();
                        } catch (RuntimeException e) {
                            if (errors.getAndIncrement() == 0) {
                                log("first error: %s", e);
                            }
                        }
                        if (n == nanos.length) {
                            nanos = Arrays.copyOf(nanos, n * 2);
                        }
                        nanos[n++] = System.nanoTime() - t;
                    }
                }
                return Arrays.copyOf(nanos, n);
            }));
        }
        long[] all = new long[0];
        for (Future<long[]> f : futures) {
            long[] part = f.get();
            long[] merged = Arrays.copyOf(all, all.length + part.length);
            System.arraycopy(part, 0, merged, all.length, part.length);
            all = merged;
        }
        pool.shutdown();
        Arrays.sort(all);
        int n = all.length;
        log(
                "concurrent: %d calls in %d s (%.0f calls/s), errors %d; p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                n,
                seconds,
                n / (double) seconds,
                errors.get(),
                all[n / 2] / 1e6,
                all[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)] / 1e6,
                all[n - 1] / 1e6);
    }

    static long ms(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    static void log(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            // a temporary directory: nothing to do
        }
    }
}
