package hmn.cli;

import hmn.cli.shared.ExistingStoreOption;
import hmn.core.BadInputException;
import hmn.report.ReportServer;
import hmn.runtime.weights.WeightsSource;
import hmn.serve.web.BrowserResources;
import hmn.server.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hmn serve}: opens a store to Bolt drivers and Neo4j Browser on 127.0.0.1 until Ctrl-C. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Opens an hmn store on 127.0.0.1 to Bolt drivers (any language) and to Neo4j Browser, with the"
                + " hmn.* procedures loaded, and the report at /hmn/report/ (the one 'hmn report' wrote, any page it"
                + " lacks rendered on demand); runs until Ctrl-C.")
public final class ServeCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ExistingStoreOption storeDir;

    @Option(
            names = "--bolt",
            defaultValue = "7687",
            paramLabel = "PORT",
            description = "Bolt port (default:" + " ${DEFAULT-VALUE}).")
    int bolt;

    @Option(
            names = "--http",
            defaultValue = "7474",
            paramLabel = "PORT",
            description = "HTTP port for Neo4j" + " Browser (default: ${DEFAULT-VALUE}).")
    int http;

    @Option(
            names = "--report",
            paramLabel = "DIR",
            description = "The report to serve at /hmn/report/, written by 'hmn report --out DIR' (default: DB.report);"
                    + " pages it lacks, or all when there is none, are rendered on demand from the graph.")
    Path report;

    @Option(
            names = "--images",
            paramLabel = "DIR",
            description = "The collection's directory, for the thumbnails of pages rendered on demand (default:"
                    + " placeholders).")
    Path images;

    @Option(
            names = "--work",
            paramLabel = "DIR",
            description = "The work directory (default: DB.work), whose activations/run.json names the model that"
                    + " on-demand neuron pages recompute activation maps with.")
    Path work;

    /** Counted down to stop the server; the shutdown hook (Ctrl-C) does it, tests may too. */
    final CountDownLatch stop = new CountDownLatch(1);

    /** Counted down once the server answers. */
    final CountDownLatch started = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        Path db = storeDir.require();
        requireFree(bolt, "--bolt");
        requireFree(http, "--http");
        if (bolt == http) {
            throw new BadInputException("--bolt and --http are both " + bolt + "; give them different ports");
        }
        if (images != null && !java.nio.file.Files.isDirectory(images)) {
            throw new BadInputException("--images " + images + ": not a directory; give the collection's folder");
        }
        Path reportDir = report != null ? report : db.resolveSibling(db.getFileName() + ".report");
        if (java.nio.file.Files.exists(reportDir) && !java.nio.file.Files.isDirectory(reportDir)) {
            throw new BadInputException(
                    "--report " + reportDir + " is a file; give the directory 'hmn report --out'" + " wrote");
        }
        Path workDir = work != null ? work : db.resolveSibling(db.getFileName() + ".work");
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    stop.countDown();
                    try {
                        closed.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "hmn-serve-shutdown");
        try (Store store = Store.open(db, bolt, http);
                ReportServer site =
                        new ReportServer(store.db(), reportDir, images, workDir, WeightsSource.defaultCacheDir(), 24)) {
            BrowserResources.mount(http, site);
            Runtime.getRuntime().addShutdownHook(hook);
            out.println("hmn: serving " + db + " (hmn.* procedures loaded); Ctrl-C stops it");
            out.println("  Bolt:    bolt://127.0.0.1:" + bolt + "  (no authentication)");
            out.println("  Browser: http://127.0.0.1:" + http + "/browser/?connectURL=bolt://127.0.0.1:" + bolt);
            out.println("  Report:  http://127.0.0.1:" + http + BrowserResources.MOUNT + "/report/  ("
                    + (site.written()
                            ? "written in " + site.dir() + "; pages it lacks rendered on demand"
                            : "no report in " + site.dir() + "; every page rendered on demand")
                    + ")");
            out.println(
                    "  try:     CALL hmn.neuron.concepts('layer4', 412, {}) YIELD cluster, level, caption, support");
            out.flush();
            Thread warmUp = new Thread(() -> warmUp(store, site, out), "hmn-serve-warm-up");
            warmUp.setDaemon(true);
            warmUp.start();
            started.countDown();
            stop.await();
        } finally {
            BrowserResources.unmount(http);
            closed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook is running
            }
        }
        return Hmn.OK;
    }

    /**
     * Makes one procedure call so that the procedures' in-memory copy of the graph is read now rather than on the
     * user's first call (seconds on a large graph).
     */
    private static void warmUp(Store store, ReportServer site, PrintWriter out) {
        long start = System.nanoTime();
        try {
            String cluster = store.db()
                    .executeTransactionally(
                            "MATCH (c:Cluster) RETURN c.id AS id LIMIT 1",
                            java.util.Map.of(),
                            r -> r.hasNext() ? String.valueOf(r.next().get("id")) : null);
            if (cluster != null) {
                store.db()
                        .executeTransactionally(
                                "CALL hmn.cluster.sharedNeurons($id, {}) YIELD neuron RETURN count(*)",
                                java.util.Map.of("id", cluster));
                out.printf(
                        java.util.Locale.ROOT,
                        "  ready:   the procedures read the graph into memory in %.1f s%n",
                        (System.nanoTime() - start) / 1e9);
                out.flush();
                long report = System.nanoTime();
                site.pages();
                out.printf(
                        java.util.Locale.ROOT,
                        "  report:  read the hierarchy and base rates for the report in %.1f s%n",
                        (System.nanoTime() - report) / 1e9);
                out.flush();
            }
        } catch (RuntimeException e) {
            // stopped while warming up, or a store without clusters' procedures data: the first call reads it instead
        }
    }

    private static void requireFree(int port, String option) {
        if (port < 1 || port > 65535) {
            throw new BadInputException(option + " must be a port from 1 to 65535, got " + port);
        }
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
        } catch (IOException e) {
            throw new BadInputException(
                    option + " " + port + ": the port is in use on 127.0.0.1; pick another with " + option + " PORT");
        }
    }
}
