package hmn.serve.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.Response;

/**
 * Serves the Neo4j Browser guide and style sheet from the classpath ({@code hmn/cypher/browser/}), mounted by
 * {@code hmn serve} as a Neo4j unmanaged extension under {@link #MOUNT}, so that the Browser's post-connect command
 * can {@code :play} the guide and load the style from the same server.
 */
@Path("/")
public final class BrowserResources {
    public static final String MOUNT = "/hmn";
    public static final String PACKAGE = "hmn.serve.web";
    private static final Map<String, String> FILES = Map.of(
            "guide.html", "text/html; charset=utf-8",
            "style.grass", "text/plain; charset=utf-8");

    @GET
    @Path("{file}")
    public Response file(@PathParam("file") String file) throws IOException {
        String type = FILES.get(file);
        if (type == null) {
            return Response.status(Response.Status.NOT_FOUND).build();
        }
        try (InputStream in = BrowserResources.class.getResourceAsStream("/hmn/cypher/browser/" + file)) {
            if (in == null) {
                return Response.status(Response.Status.NOT_FOUND).build();
            }
            return Response.ok(in.readAllBytes()).type(type).build();
        }
    }

    /** The Browser's post-connect command for a server whose HTTP port is {@code httpPort}. */
    public static String postConnectCommand(int httpPort) {
        String base = "http://localhost:" + httpPort + MOUNT;
        return "style " + base + "/style.grass; play " + base + "/guide.html";
    }
}
