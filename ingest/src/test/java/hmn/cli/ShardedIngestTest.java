package hmn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import hmn.bench.LocalLlmServer;
import hmn.demo.SampleSet;
import hmn.server.Store;
import java.awt.image.BufferedImage;
import java.lang.reflect.Array;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ingest --shard I/N}: shards computed side by side into one work directory, then a final run without
 * {@code --shard}, give the same graph as one unsharded run, with no image run through the model or captioned twice.
 * Captions come from a real HTTP server on 127.0.0.1 speaking the OpenAI API (it describes each image's colours).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShardedIngestTest {
    @TempDir
    static Path tmp;

    private LocalLlmServer server;
    private Path images;

    @BeforeAll
    void start() throws Exception {
        images = tmp.resolve("images");
        SampleSet.write(images, 1, 11); // 12 scenes of 12 kinds
        server = LocalLlmServer.start(ShardedIngestTest::describe);
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A caption from the image's mean colour and brightness: deterministic for the same pixels. */
    private static LocalLlmServer.Reply describe(LocalLlmServer.Call call) throws Exception {
        BufferedImage img = call.image();
        long[] sum = new long[3];
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                sum[0] += (rgb >> 16) & 0xff;
                sum[1] += (rgb >> 8) & 0xff;
                sum[2] += rgb & 0xff;
            }
        }
        long n = (long) img.getWidth() * img.getHeight();
        String[] names = {"red", "green", "blue"};
        int top = sum[0] >= sum[1] && sum[0] >= sum[2] ? 0 : sum[1] >= sum[2] ? 1 : 2;
        String light = (sum[0] + sum[1] + sum[2]) / (3 * n) > 110 ? "bright" : "dark";
        String second = names[(top + 1 + (int) (sum[(top + 1) % 3] < sum[(top + 2) % 3] ? 1 : 0)) % 3];
        return LocalLlmServer.chat(call, "A " + light + " " + names[top] + " scene with " + second + " details.");
    }

    private CliRun ingest(Path db, Path work, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "ingest",
                images.toString(),
                "--db",
                db.toString(),
                "--work",
                work.toString(),
                "--random-weights",
                "7",
                "--captioner",
                "openai:vision",
                "--llm-base-url",
                server.openAiBaseUrl(),
                "--llm-key",
                "k",
                "--cache-dir",
                tmp.resolve("cache").toString(),
                "--no-progress"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(new String[0]));
    }

    @Test
    void should_build_the_same_graph_from_shards_as_from_one_run_without_computing_anything_twice() throws Exception {
        // given one unsharded run
        CliRun whole = ingest(tmp.resolve("whole"), tmp.resolve("whole.work"));
        assertThat(whole.code()).as(whole.err() + whole.out()).isZero();
        int wholeCalls = server.calls().size();
        assertThat(wholeCalls).as("caption requests of the unsharded run").isEqualTo(12);

        // when two shards run at the same time into one work directory
        Path work = tmp.resolve("sharded.work");
        Path db = tmp.resolve("sharded");
        CompletableFuture<CliRun> first = CompletableFuture.supplyAsync(() -> ingest(db, work, "--shard", "1/2"));
        CliRun second = ingest(db, work, "--shard", "2/2");
        List<CliRun> shards = List.of(first.get(5, TimeUnit.MINUTES), second);
        List<String> imagesInShards = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            CliRun shard = shards.get(i);
            assertThat(shard.code()).as(shard.err() + shard.out()).isZero();
            assertThat(shard.out()).contains("shard " + (i + 1) + "/2 done: ").doesNotContain("partitions", "ingested");
            Path dir = work.resolve("shards").resolve((i + 1) + "-of-2");
            assertThat(dir.resolve("shard-done.json")).isRegularFile();
            List<String> mine = Files.readAllLines(dir.resolve("activations/images.txt"));
            assertThat(mine).as("shard %d/2 has a share", i + 1).isNotEmpty();
            imagesInShards.addAll(mine);
        }
        assertThat(imagesInShards)
                .as("every image in exactly one shard")
                .hasSize(12)
                .doesNotHaveDuplicates();
        assertThat(server.calls().size() - wholeCalls)
                .as("caption requests of the shards")
                .isEqualTo(12);
        assertThat(db).as("a shard run writes no graph").doesNotExist();
        // and the final run reuses them
        CliRun last = ingest(db, work);

        // then
        assertThat(last.code()).as(last.err() + last.out()).isZero();
        assertThat(server.calls().size() - wholeCalls)
                .as("no image captioned again")
                .isEqualTo(12);
        assertThat(last.out())
                .contains(
                        "0 new, 12 from an earlier run or 2 shard(s)",
                        "0 captioned by openai:vision/caption-v1, 12 cached");
        List<String> graph = dump(db);
        assertThat(graph).as("nodes and relationships").hasSizeGreaterThan(500);
        List<String> expected = dump(tmp.resolve("whole"));
        assertThat(graph).containsExactlyElementsOf(expected);

        // and the same work written to a Neo4j server that the test starts
        int bolt;
        try (ServerSocket socket = new ServerSocket(0)) {
            bolt = socket.getLocalPort();
        }
        try (Store neo4j = Store.open(tmp.resolve("server"), bolt, null)) {
            CliRun toServer = ingest(db, work, "--neo4j", "bolt://127.0.0.1:" + bolt);
            assertThat(toServer.code()).as(toServer.err() + toServer.out()).isZero();
            assertThat(toServer.out()).contains("activations  reused", "partitions   reused");
            assertThat(dump(neo4j)).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void should_refuse_bad_shard_values_with_one_line() {
        Path db = tmp.resolve("bad");
        Path work = tmp.resolve("bad.work");
        for (String bad : List.of("0/3", "4/3", "1/0", "two/3", "3")) {
            CliRun run = ingest(db, work, "--shard", bad);
            assertThat(run.code()).as(bad).isEqualTo(2);
            assertThat(run.errLines()).as(bad).hasSize(1);
            assertThat(run.errLines().get(0))
                    .startsWith("hmn: --shard must be I/N with 1 <= I <= N (e.g. --shard"
                            + " 2/3 on the second of three machines), got ");
        }
        CliRun server = ingest(db, work, "--shard", "1/2", "--neo4j", "bolt://127.0.0.1:1");
        assertThat(server.code()).isEqualTo(2);
        assertThat(server.errLines())
                .containsExactly("hmn: --shard 1/2 computes only activations and captions and"
                        + " writes no graph; give --neo4j to the final run without --shard");
        assertThat(work.resolve("shards")).doesNotExist();
    }

    @Test
    void should_refuse_to_build_the_graph_while_a_shard_has_not_finished() throws Exception {
        // given a shard directory without its completion mark (still running, failed or killed)
        Path work = tmp.resolve("unfinished.work");
        Path shard = Files.createDirectories(work.resolve("shards/2-of-2"));
        // when
        CliRun run = ingest(tmp.resolve("unfinished"), work);
        // then
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.errLines())
                .containsExactly("hmn: shard 2/2 has not finished (" + shard + " has no"
                        + " shard-done.json); run it again with --shard 2/2, or delete " + shard
                        + " to compute its images in this run");
        assertThat(tmp.resolve("unfinished")).doesNotExist();
    }

    @Test
    void should_refuse_a_shard_that_another_process_is_running() throws Exception {
        // given shard 1/2 locked, as its running process holds it
        Path work = tmp.resolve("locked.work");
        Path lockFile = Files.createDirectories(work.resolve("shards/1-of-2")).resolve("shard.lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            // when the same shard is started again, or the final run
            CliRun again = ingest(tmp.resolve("locked"), work, "--shard", "1/2");
            CliRun last = ingest(tmp.resolve("locked"), work);
            // then
            assertThat(again.code()).isEqualTo(2);
            assertThat(again.errLines())
                    .containsExactly("hmn: shard 1/2 is already running (" + lockFile
                            + " is locked by another process); wait for it to finish");
            assertThat(last.code()).isEqualTo(2);
            assertThat(last.errLines())
                    .containsExactly("hmn: shard 1/2 is still running (" + lockFile + " is"
                            + " locked); run the final ingest once every shard has finished");
        }
        assertThat(work.resolve("shards/1-of-2/activations")).doesNotExist();
        assertThat(tmp.resolve("locked")).doesNotExist();
    }

    /**
     * Every node (labels and properties) and relationship (type, ends and properties) as sorted lines; the
     * generation and creation time, which differ between any two builds, left out.
     */
    private static List<String> dump(Path db) {
        try (Store store = Store.open(db)) {
            return dump(store);
        }
    }

    private static List<String> dump(Store store) {
        {
            List<String> lines = new ArrayList<>();
            store.db()
                    .executeTransactionally(
                            "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props", Map.of(), r -> {
                                r.forEachRemaining(row -> lines.add(
                                        "node " + row.get("labels") + " " + canonical((Map<?, ?>) row.get("props"))));
                                return null;
                            });
            store.db()
                    .executeTransactionally(
                            "MATCH (a)-[r]->(b) RETURN type(r) AS type, properties(r) AS props,"
                                    + " labels(a) + [coalesce(a.id, a.name, toString(a.number), 'meta')] AS a,"
                                    + " labels(b) + [coalesce(b.id, b.name, toString(b.number), 'meta')] AS b",
                            Map.of(),
                            r -> {
                                r.forEachRemaining(row -> lines.add("rel " + row.get("a") + " -" + row.get("type")
                                        + "-> " + row.get("b") + " " + canonical((Map<?, ?>) row.get("props"))));
                                return null;
                            });
            lines.sort(null);
            return lines;
        }
    }

    private static String canonical(Map<?, ?> props) {
        Map<String, String> sorted = new TreeMap<>();
        props.forEach((k, v) -> {
            if (!k.equals("generation") && !k.equals("createdAt")) {
                sorted.put((String) k, value(v));
            }
        });
        return sorted.toString();
    }

    /** A property value; floats copied over Bolt arrive on a server as doubles, so numbers compare as float32. */
    private static String value(Object v) {
        if (v != null && v.getClass().isArray()) {
            List<String> items = new ArrayList<>();
            for (int i = 0; i < Array.getLength(v); i++) {
                Object item = Array.get(v, i);
                items.add(item instanceof Double d ? String.valueOf(d.floatValue()) : String.valueOf(item));
            }
            return items.toString();
        }
        return v instanceof Double d ? String.valueOf(d.floatValue()) : String.valueOf(v);
    }
}
