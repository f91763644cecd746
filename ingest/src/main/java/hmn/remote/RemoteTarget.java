package hmn.remote;

import hmn.core.BadInputException;
import hmn.graph.GraphImport;
import hmn.graph.GraphWriter;
import hmn.graph.ImportOptions;
import hmn.labels.Labeller;
import hmn.pipeline.WorkDir;
import hmn.server.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neo4j.driver.AuthToken;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.exceptions.AuthenticationException;
import org.neo4j.driver.exceptions.ServiceUnavailableException;
import picocli.CommandLine.Option;

/**
 * {@code --neo4j bolt://HOST:PORT}: write the graph to a Neo4j server (or cluster, with {@code neo4j://}) instead of
 * the embedded store. The graph is built and materialised locally in the work directory, then copied to the server
 * with {@link ServerCopy}; the server answers the procedures from the same plugin jar in its plugins/ directory.
 */
public final class RemoteTarget {
    @Option(
            names = "--neo4j",
            paramLabel = "URL",
            description = "Write to this Neo4j server instead of the embedded"
                    + " store: bolt://HOST:PORT, or neo4j://HOST:PORT for a cluster.")
    URI url;

    @Option(
            names = "--neo4j-user",
            paramLabel = "USER",
            defaultValue = "neo4j",
            description = "User on the server (default: ${DEFAULT-VALUE}).")
    String user;

    @Option(
            names = "--neo4j-password",
            paramLabel = "PASSWORD",
            description = "Password on the server (default:"
                    + " $NEO4J_PASSWORD; best given in the environment: an option is visible to other users).")
    String password;

    @Option(
            names = "--neo4j-database",
            paramLabel = "NAME",
            defaultValue = "neo4j",
            description = "Database on the server (default: ${DEFAULT-VALUE}).")
    String database;

    /** The environment to read the password from; tests replace it. */
    public Map<String, String> env = System.getenv();

    public boolean isSet() {
        return url != null;
    }

    /** Builds the graph locally (in the work directory), then copies it to the server. */
    public GraphImport.Result write(
            GraphImport.Inputs inputs, ImportOptions options, Labeller labeller, WorkDir work, PrintWriter out)
            throws IOException {
        String scheme = String.valueOf(url.getScheme()).toLowerCase(Locale.ROOT);
        if (!List.of("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
                .contains(scheme)) {
            throw new BadInputException("--neo4j must be a bolt:// or neo4j:// URL, got '" + url + "'");
        }
        String pass = password != null ? password : env.get("NEO4J_PASSWORD");
        AuthToken auth = pass == null || pass.isEmpty() ? AuthTokens.none() : AuthTokens.basic(user, pass);
        try (Driver driver = GraphDatabase.driver(url, auth)) {
            try {
                driver.verifyConnectivity();
            } catch (AuthenticationException e) {
                throw new BadInputException("--neo4j " + url + " refused user '" + user + "': " + e.getMessage()
                        + "; check --neo4j-user and NEO4J_PASSWORD");
            } catch (ServiceUnavailableException e) {
                throw new BadInputException("--neo4j " + url + " is not reachable (" + e.getMessage()
                        + "); start the server or fix the URL");
            }
            Path local = work.root().resolve("local-store");
            GraphImport.Result built = GraphImport.run(inputs, options, labeller, local);
            ServerCopy copy = new ServerCopy(driver, database);
            copy.applySchema(GraphWriter.schemaStatements());
            try (Store store = Store.open(local)) {
                ServerCopy.Result r = copy.copy(store.db(), n -> {});
                out.printf(
                        Locale.ROOT,
                        "copied %,d nodes and %,d relationships to %s (database %s) in %.1f s%n",
                        r.nodes(),
                        r.relationships(),
                        url,
                        database,
                        r.millis() / 1e3);
            }
            return built;
        }
    }
}
