package hmn.serve.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.CacheControl;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;

/**
 * Serves the Neo4j Browser guide and style sheet from the classpath ({@code hmn/cypher/browser/}), mounted by
 * {@code hmn serve} as a Neo4j unmanaged extension under {@link #MOUNT}, so that the Browser's post-connect command
 * can {@code :play} the guide and load the style from the same server; and the report ({@link ReportSite}) under
 * {@code /hmn/report/} when one is mounted for the server's HTTP port.
 */
@Path("/")
public final class BrowserResources {
    public static final String MOUNT = "/hmn";
    public static final String PACKAGE = "hmn.serve.web";
    private static final Map<String, String> FILES = Map.of(
            "guide.html", "text/html; charset=utf-8",
            "style.grass", "text/plain; charset=utf-8");
    /** The report of each HTTP port (Neo4j makes the resource itself, so the site is found by the request's port). */
    private static final Map<Integer, ReportSite> SITES = new ConcurrentHashMap<>();

    @Context
    UriInfo uri;

    /** Serves {@code site} under {@code /hmn/report/} of the server listening on {@code httpPort}. */
    public static void mount(int httpPort, ReportSite site) {
        SITES.put(httpPort, site);
    }

    public static void unmount(int httpPort) {
        SITES.remove(httpPort);
    }

    @GET
    @Path("report/{path: .*}")
    public Response report(@PathParam("path") String path) throws IOException {
        ReportSite site = uri == null ? null : SITES.get(uri.getBaseUri().getPort());
        if (site == null) {
            return Response.status(Response.Status.NOT_FOUND)
                    .entity("no report is mounted on this server; start it with 'hmn serve'")
                    .type("text/plain; charset=utf-8")
                    .build();
        }
        if (path.isEmpty() || path.endsWith("/")) {
            path = path + "index.html";
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..") || part.contains("\\")) {
                return Response.status(Response.Status.NOT_FOUND).build();
            }
        }
        ReportSite.Page page = site.page(path);
        if (page == null) {
            return Response.status(Response.Status.NOT_FOUND).build();
        }
        CacheControl noCache = new CacheControl();
        noCache.setNoCache(true);
        return Response.ok(page.bytes()).type(page.type()).cacheControl(noCache).build();
    }

    @GET
    @Path("{file}")
    public Response file(@PathParam("file") String file) throws IOException {
        if (file.equals("report")) {
            return Response.seeOther(URI.create(MOUNT + "/report/")).build();
        }
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
