package hmn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 that speaks the wire formats hmn's providers use: OpenAI chat completions
 * ({@code POST /v1/chat/completions}), OpenAI embeddings ({@code POST /v1/embeddings}) and Ollama chat
 * ({@code POST /api/chat}). What it answers is up to a {@link Responder}, so it can be slow, fail or misbehave. The
 * benchmark runs the LLM stage against it; the tests use it to exercise the real LangChain4j clients.
 */
public final class LocalLlmServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final Responder responder;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger count = new AtomicInteger();

    /** One request as received. */
    public record Call(int number, String path, String body, Map<String, List<String>> headers, long nanos) {
        /** The text of the last message (chat) or the inputs (embeddings), for responders. */
        public String prompt() {
            try {
                JsonNode root = JSON.readTree(body);
                JsonNode messages = root.get("messages");
                if (messages != null && messages.size() > 0) {
                    JsonNode content = messages.get(messages.size() - 1).get("content");
                    if (content == null) {
                        return "";
                    }
                    if (content.isTextual()) {
                        return content.asText();
                    }
                    StringBuilder sb = new StringBuilder();
                    for (JsonNode part : content) {
                        if (part.has("text")) {
                            sb.append(part.get("text").asText());
                        }
                    }
                    return sb.toString();
                }
                return root.path("input").toString();
            } catch (IOException e) {
                return body;
            }
        }

        public boolean ollama() {
            return path.startsWith("/api/");
        }

        /**
         * The first image of the first message, decoded: an OpenAI {@code image_url} data URL or an Ollama
         * {@code images} entry; null when the request carries none.
         */
        public java.awt.image.BufferedImage image() throws IOException {
            JsonNode message = JSON.readTree(body).path("messages").path(0);
            String base64 = null;
            if (message.has("images")) {
                base64 = message.get("images").get(0).asText();
            } else {
                for (JsonNode part : message.path("content")) {
                    if (part.has("image_url")) {
                        String url = part.get("image_url").get("url").asText();
                        base64 = url.substring(url.indexOf(',') + 1);
                        break;
                    }
                }
            }
            return base64 == null
                    ? null
                    : javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(
                            java.util.Base64.getDecoder().decode(base64)));
        }
    }

    /** An answer: status, headers, body and how long to wait before sending it. */
    public record Reply(int status, Map<String, String> headers, String body, Duration delay) {
        public Reply delayed(Duration by) {
            return new Reply(status, headers, body, by);
        }

        public static Reply status(int status, String body) {
            return new Reply(status, Map.of(), body, Duration.ZERO);
        }

        public static Reply status(int status, Map<String, String> headers, String body) {
            return new Reply(status, headers, body, Duration.ZERO);
        }
    }

    @FunctionalInterface
    public interface Responder {
        Reply reply(Call call) throws Exception;
    }

    private LocalLlmServer(Responder responder) throws IOException {
        this.responder = responder;
        // The JDK's server writes a response's headers and body separately; with Nagle's algorithm on, the body then
        // waits for the client's delayed ACK, about 40 ms per call on Linux, far from a real provider. Read once, when
        // the JDK's server first loads; a value the user set is kept.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "local-llm-server");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static LocalLlmServer start(Responder responder) throws IOException {
        return new LocalLlmServer(responder);
    }

    /** {@code http://127.0.0.1:PORT}: Ollama's base URL. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT/v1}: the OpenAI-compatible base URL. */
    public String openAiBaseUrl() {
        return baseUrl() + "/v1";
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** A successful chat answer with this content, in the format of the call's API. */
    public static Reply chat(Call call, String content) {
        ObjectNode root = JSON.createObjectNode();
        if (call.ollama()) {
            root.put("model", "local");
            root.put("created_at", "2026-01-01T00:00:00Z");
            ObjectNode message = root.putObject("message");
            message.put("role", "assistant");
            message.put("content", content);
            root.put("done", true);
            root.put("done_reason", "stop");
            root.put("prompt_eval_count", 10);
            root.put("eval_count", 5);
        } else {
            root.put("id", "chatcmpl-" + call.number());
            root.put("object", "chat.completion");
            root.put("created", 1767225600L);
            root.put("model", "local");
            ObjectNode choice = root.putArray("choices").addObject();
            choice.put("index", 0);
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            message.put("content", content);
            choice.put("finish_reason", "stop");
            ObjectNode usage = root.putObject("usage");
            usage.put("prompt_tokens", 10);
            usage.put("completion_tokens", 5);
            usage.put("total_tokens", 15);
        }
        return new Reply(200, Map.of("Content-Type", "application/json"), root.toString(), Duration.ZERO);
    }

    /** A successful OpenAI embeddings answer: one vector per input. */
    public static Reply embeddings(List<float[]> vectors) {
        ObjectNode root = JSON.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (int i = 0; i < vectors.size(); i++) {
            ObjectNode item = data.addObject();
            item.put("object", "embedding");
            item.put("index", i);
            ArrayNode values = item.putArray("embedding");
            for (float v : vectors.get(i)) {
                values.add(v);
            }
        }
        root.put("model", "local");
        ObjectNode usage = root.putObject("usage");
        usage.put("prompt_tokens", 1);
        usage.put("total_tokens", 1);
        return new Reply(200, Map.of("Content-Type", "application/json"), root.toString(), Duration.ZERO);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Call call = new Call(
                    count.incrementAndGet(),
                    exchange.getRequestURI().getPath(),
                    body,
                    Map.copyOf(exchange.getRequestHeaders()),
                    System.nanoTime());
            calls.add(call);
            Reply reply;
            try {
                reply = responder.reply(call);
            } catch (Exception e) {
                reply = Reply.status(
                        500,
                        "{\"error\":{\"message\":\"responder failed: "
                                + e.getClass().getSimpleName() + "\"}}");
            }
            if (!reply.delay().isZero()) {
                try {
                    Thread.sleep(reply.delay().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            if (!reply.headers().containsKey("Content-Type")) {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
            }
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (IOException clientGone) {
            // the client timed out and closed the connection: nothing to answer
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
