package hmn.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmn.bench.LocalLlmServer;
import hmn.bench.LocalLlmServer.Reply;
import hmn.core.BadInputException;
import hmn.language.cache.JsonlCache;
import hmn.language.llm.ChatModels;
import hmn.language.llm.LlmSpec;
import hmn.language.llm.LlmUnavailableException;
import hmn.language.llm.RetryPolicy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The LLM labeller through LangChain4j's real OpenAI client against a real local server. */
class LlmLabellerTest {
    static final Labeller FIRST_CAPTION = requests -> requests.stream()
            .map(r -> new Label(r.captions().get(0), "first-caption", "first-caption", "none", true))
            .toList();
    static final LabelRequest BEACH = LabelRequest.representative(
            "L1-0", List.of("a dog running on a beach", "two dogs on the sand", "a dog running on a beach"));

    @TempDir
    Path dir;

    LocalLlmServer server;
    final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    LlmLabeller.Builder labeller(String provider, String key, Duration timeout) {
        String url = provider.equals("ollama") ? server.baseUrl() : server.openAiBaseUrl();
        LlmSpec spec = new LlmSpec(provider, "test-model", url, key);
        return LlmLabeller.builder()
                .chatModel(ChatModels.create(spec, timeout))
                .model(spec.describe())
                .fallback(FIRST_CAPTION)
                .retryPolicy(RetryPolicy.of(3, Duration.ofMillis(5)))
                .sleeper(sleeps::add);
    }

    LlmLabeller.Builder labeller() {
        return labeller("openai", "sk-test", Duration.ofSeconds(10));
    }

    @Test
    void should_label_a_cluster_through_the_openai_chat_api() throws Exception {
        // given
        server = LocalLlmServer.start(call -> LocalLlmServer.chat(call, "Dogs running on a sandy beach."));
        // when
        List<Label> labels = labeller().build().label(List.of(BEACH));
        // then
        assertThat(labels)
                .containsExactly(new Label(
                        "Dogs running on a sandy beach.", "llm", "openai:test-model", "representative-v1", false));
        LocalLlmServer.Call call = server.calls().get(0);
        assertThat(call.path()).isEqualTo("/v1/chat/completions");
        assertThat(call.body()).containsPattern("\"model\"\\s*:\\s*\"test-model\"");
        assertThat(call.prompt()).contains("- a dog running on a beach (x2)", "- two dogs on the sand");
        assertThat(call.headers().get("Authorization")).containsExactly("Bearer sk-test");
    }

    @Test
    void should_label_through_the_ollama_chat_api() throws Exception {
        // given
        server = LocalLlmServer.start(call -> LocalLlmServer.chat(call, "Dogs on a beach."));
        // when
        List<Label> labels = labeller("ollama", null, Duration.ofSeconds(10))
                .build()
                .label(List.of(BEACH, LabelRequest.difference("L1-0", "Dogs on a beach.", "Animals outdoors.")));
        // then
        assertThat(labels).extracting(Label::text).containsExactly("Dogs on a beach.", "Dogs on a beach.");
        assertThat(labels).extracting(Label::model).containsOnly("ollama:test-model");
        assertThat(labels).extracting(Label::promptVersion).containsExactly("representative-v1", "difference-v1");
        assertThat(server.calls()).extracting(LocalLlmServer.Call::path).containsOnly("/api/chat");
        assertThat(server.calls())
                .anySatisfy(c -> assertThat(c.prompt()).contains("Animals outdoors.", "Dogs on a beach."));
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "ollama"})
    void should_wait_as_long_as_retry_after_says_when_rate_limited(String provider) throws Exception {
        // given
        server = LocalLlmServer.start(call -> call.number() == 1
                ? Reply.status(429, Map.of("Retry-After", "7"), "{\"error\":{\"message\":\"slow down\"}}")
                : LocalLlmServer.chat(call, "Dogs on a beach."));
        // when
        List<Label> labels =
                labeller(provider, "k", Duration.ofSeconds(10)).build().label(List.of(BEACH));
        // then
        assertThat(labels.get(0).offlineDefault()).isFalse();
        assertThat(server.calls()).hasSize(2);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void should_back_off_exponentially_on_server_errors() throws Exception {
        // given
        server = LocalLlmServer.start(call -> call.number() < 3
                ? Reply.status(500, "{\"error\":{\"message\":\"boom\"}}")
                : LocalLlmServer.chat(call, "Dogs on a beach."));
        // when
        List<Label> labels = labeller().build().label(List.of(BEACH));
        // then
        assertThat(labels.get(0).text()).isEqualTo("Dogs on a beach.");
        assertThat(sleeps).containsExactly(Duration.ofMillis(5), Duration.ofMillis(10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "ollama"})
    void should_retry_malformed_json_and_timeouts(String provider) throws Exception {
        // given: a torn JSON body, then an answer after the per-call timeout, then a good one
        server = LocalLlmServer.start(call -> switch (call.number()) {
            case 1 -> Reply.status(200, Map.of("Content-Type", "application/json"), "{\"choices\": [ {\"mess");
            case 2 -> LocalLlmServer.chat(call, "Too late.").delayed(Duration.ofSeconds(3));
            default -> LocalLlmServer.chat(call, "Dogs on a beach.");
        });
        // when
        List<Label> labels =
                labeller(provider, "k", Duration.ofMillis(500)).build().label(List.of(BEACH));
        // then
        assertThat(labels.get(0).text()).isEqualTo("Dogs on a beach.");
        assertThat(server.calls()).hasSize(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "ollama"})
    void should_fall_back_to_the_offline_default_when_every_answer_is_empty(String provider) throws Exception {
        // given
        server = LocalLlmServer.start(call -> LocalLlmServer.chat(call, ""));
        LlmLabeller labeller = labeller(provider, "k", Duration.ofSeconds(10)).build();
        // when
        List<Label> labels = labeller.label(List.of(BEACH));
        // then
        assertThat(labels)
                .containsExactly(new Label("a dog running on a beach", "first-caption", "first-caption", "none", true));
        assertThat(server.calls()).hasSize(3);
        assertThat(labeller.stats().fallbacks()).isEqualTo(1);
    }

    @Test
    void should_retry_answers_with_a_preamble_or_quotes() throws Exception {
        // given
        List<String> answers = List.of("Sure! Here is the caption: dogs.", "\"Dogs on a beach.\"", "Dogs on a beach.");
        server = LocalLlmServer.start(call -> LocalLlmServer.chat(call, answers.get(call.number() - 1)));
        // when
        List<Label> labels = labeller().build().label(List.of(BEACH));
        // then
        assertThat(labels.get(0).text()).isEqualTo("Dogs on a beach.");
        assertThat(server.calls()).hasSize(3);
    }

    @Test
    void should_stop_the_run_when_the_key_is_refused() throws Exception {
        // given
        server = LocalLlmServer.start(call -> Reply.status(401, "{\"error\":{\"message\":\"bad key\"}}"));
        // when / then
        assertThatThrownBy(() -> labeller().build().label(List.of(BEACH, BEACH)))
                .isInstanceOf(BadInputException.class)
                .hasCauseInstanceOf(LlmUnavailableException.class)
                .hasMessageContaining("refused the API key (HTTP 401)");
    }

    @Test
    void should_serve_a_repeated_run_from_the_cache() throws Exception {
        // given
        server = LocalLlmServer.start(call -> LocalLlmServer.chat(call, "Label " + call.number() + "."));
        List<LabelRequest> requests = IntStream.range(0, 5)
                .mapToObj(i -> LabelRequest.representative("L1-" + i, List.of("caption " + i)))
                .toList();
        Path file = dir.resolve("cache/labels.jsonl");
        List<Label> first;
        try (JsonlCache cache = JsonlCache.open(file)) {
            first = labeller().cache(cache).build().label(requests);
        }
        // when
        List<Label> second;
        LlmLabeller again;
        try (JsonlCache cache = JsonlCache.open(file)) {
            again = labeller().cache(cache).build();
            second = again.label(requests);
        }
        // then
        assertThat(second).isEqualTo(first);
        assertThat(server.calls()).hasSize(5);
        assertThat(again.stats().cacheHits()).isEqualTo(5);
        assertThat(again.stats().calls()).isZero();
    }

    @Test
    void should_pay_only_for_the_missing_answers_after_an_interrupted_run() throws Exception {
        // given: a run stopped after 3 answers (the key is revoked mid-run)
        java.util.concurrent.atomic.AtomicBoolean revoked = new java.util.concurrent.atomic.AtomicBoolean();
        server = LocalLlmServer.start(call -> revoked.get() || call.number() > 3
                ? Reply.status(401, "{\"error\":{\"message\":\"revoked\"}}")
                : LocalLlmServer.chat(call, "Label " + call.number() + "."));
        List<LabelRequest> requests = IntStream.range(0, 5)
                .mapToObj(i -> LabelRequest.representative("L1-" + i, List.of("caption " + i)))
                .toList();
        Path file = dir.resolve("labels.jsonl");
        try (JsonlCache cache = JsonlCache.open(file)) {
            assertThatThrownBy(
                            () -> labeller().concurrency(1).cache(cache).build().label(requests))
                    .isInstanceOf(BadInputException.class);
        }
        int paid = server.calls().size();
        // when: the run is repeated against a working server
        server.close();
        server = LocalLlmServer.start(call -> LocalLlmServer.chat(call, "Label again."));
        List<Label> labels;
        try (JsonlCache cache = JsonlCache.open(file)) {
            labels = labeller().concurrency(1).cache(cache).build().label(requests);
        }
        // then: the three answers already paid for come from the cache
        assertThat(paid).isEqualTo(4);
        assertThat(server.calls()).hasSize(2);
        assertThat(labels)
                .extracting(Label::text)
                .containsExactly("Label 1.", "Label 2.", "Label 3.", "Label again.", "Label again.");
    }

    @Test
    void should_never_write_the_api_key_to_the_cache_or_the_log() throws Exception {
        // given
        String key = "sk-test-SECRET-4f9a";
        server = LocalLlmServer.start(call -> call.number() % 2 == 1
                ? Reply.status(503, "{\"error\":{\"message\":\"busy\"}}")
                : LocalLlmServer.chat(call, "Dogs on a beach."));
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        Logger root = Logger.getLogger("");
        Level level = root.getLevel();
        List<String> records = Collections.synchronizedList(new ArrayList<>());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record.getMessage() + " " + record.getThrown());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        capture.setLevel(Level.ALL);
        root.addHandler(capture);
        root.setLevel(Level.ALL);
        Path file = dir.resolve("labels.jsonl");
        try (JsonlCache cache = JsonlCache.open(file)) {
            System.setErr(new PrintStream(logged, true));
            // when
            labeller("openai", key, Duration.ofSeconds(10))
                    .cache(cache)
                    .progress(true)
                    .build()
                    .label(List.of(BEACH, LabelRequest.representative("L1-1", List.of("a cat"))));
        } finally {
            System.setErr(stderr);
            root.removeHandler(capture);
            root.setLevel(level);
        }
        // then
        assertThat(server.calls().get(0).headers().get("Authorization")).containsExactly("Bearer " + key);
        assertThat(Files.readString(file)).isNotEmpty().doesNotContain(key);
        assertThat(logged.toString()).doesNotContain(key);
        assertThat(String.join("\n", records)).doesNotContain(key);
        assertThat(new LlmSpec("openai", "m", "http://x", key).toString()).doesNotContain(key);
    }

    @Test
    void should_run_calls_concurrently_and_keep_the_order_of_requests() throws Exception {
        // given
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        server = LocalLlmServer.start(call -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            String n = call.prompt().replaceAll("(?s).*- caption (\\d+).*", "$1");
            return LocalLlmServer.chat(call, "Cluster " + n + ".");
        });
        List<LabelRequest> requests = IntStream.range(0, 16)
                .mapToObj(i -> LabelRequest.representative("L1-" + i, List.of("caption " + i)))
                .toList();
        // when
        List<Label> labels = labeller().concurrency(4).build().label(requests);
        // then
        assertThat(labels)
                .extracting(Label::text)
                .containsExactlyElementsOf(IntStream.range(0, 16)
                        .mapToObj(i -> "Cluster " + i + ".")
                        .toList());
        assertThat(maxInFlight.get()).isBetween(2, 4);
    }
}
