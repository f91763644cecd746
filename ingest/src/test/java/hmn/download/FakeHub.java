package hmn.download;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local server with the hub's URL layout: {@code /{repo}/resolve/{revision}/{file}}. Large ("LFS") files
 * answer with a redirect to {@code /cdn/{sha256}} and carry their sha256 in X-Linked-Etag, as the hub does.
 */
public final class FakeHub implements AutoCloseable {
    final HttpServer server;
    final String repo;
    final Map<String, byte[]> files;
    final List<String> lfs = new CopyOnWriteArrayList<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    final List<String> ranges = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    volatile boolean ignoreRanges;
    volatile boolean corrupt;

    private FakeHub(HttpServer server, String repo, Map<String, byte[]> files) {
        this.server = server;
        this.repo = repo;
        this.files = new ConcurrentHashMap<>(files);
    }

    public static FakeHub start(String repo, Map<String, byte[]> files) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        FakeHub hub = new FakeHub(server, repo, files);
        server.createContext("/", hub::handle);
        server.start();
        return hub;
    }

    /** Serves every regular file of a directory, large ones (over 100 kB) as LFS files. */
    public static FakeHub serving(String repo, Path dir) throws IOException {
        Map<String, byte[]> files = new java.util.HashMap<>();
        List<String> large = new ArrayList<>();
        try (var list = Files.list(dir)) {
            for (Path p : list.toList()) {
                byte[] bytes = Files.readAllBytes(p);
                files.put(p.getFileName().toString(), bytes);
                if (bytes.length > 100_000) {
                    large.add(p.getFileName().toString());
                }
            }
        }
        FakeHub hub = start(repo, files);
        hub.lfs.addAll(large);
        return hub;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<String> requests() {
        return requests;
    }

    private void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        requests.add(method + " " + path);
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth != null) {
            authorizations.add(auth);
        }
        try (ex) {
            String prefix = "/" + repo + "/resolve/main/";
            if (path.startsWith("/cdn/")) {
                String sha = path.substring("/cdn/".length());
                byte[] body = files.entrySet().stream()
                        .filter(e -> sha256(e.getValue()).equals(sha))
                        .map(Map.Entry::getValue)
                        .findFirst()
                        .orElse(null);
                if (body == null) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                serve(ex, corrupt ? corrupted(body) : body);
                return;
            }
            if (!path.startsWith(prefix) || !files.containsKey(path.substring(prefix.length()))) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            String name = path.substring(prefix.length());
            byte[] body = files.get(name);
            if (lfs.contains(name)) {
                ex.getResponseHeaders().add("X-Linked-Etag", "\"" + sha256(body) + "\"");
                ex.getResponseHeaders().add("X-Linked-Size", Integer.toString(body.length));
                ex.getResponseHeaders().add("Location", "/cdn/" + sha256(body));
                ex.sendResponseHeaders(302, -1);
                return;
            }
            ex.getResponseHeaders().add("ETag", "\"" + "1".repeat(40) + "\"");
            if (method.equals("HEAD")) {
                ex.getResponseHeaders().add("Content-Length", Integer.toString(body.length));
                ex.sendResponseHeaders(200, -1);
                return;
            }
            serve(ex, body);
        }
    }

    private void serve(HttpExchange ex, byte[] body) throws IOException {
        String range = ex.getRequestHeaders().getFirst("Range");
        if (range != null) {
            ranges.add(range);
        }
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(200, -1);
            return;
        }
        int from = 0;
        if (range != null && !ignoreRanges && range.startsWith("bytes=") && range.endsWith("-")) {
            from = Integer.parseInt(range.substring(6, range.length() - 1));
            if (from >= body.length) {
                ex.sendResponseHeaders(416, -1);
                return;
            }
            ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
            ex.sendResponseHeaders(206, body.length - from);
        } else {
            ex.sendResponseHeaders(200, body.length);
        }
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body, from, body.length - from);
        }
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] corrupted(byte[] body) {
        byte[] copy = body.clone();
        copy[copy.length / 2] ^= 1;
        return copy;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
