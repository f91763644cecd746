package hmn.server;

import hmn.serve.web.BrowserResources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.server.configuration.ServerSettings;
import org.neo4j.server.configuration.ThirdPartyJaxRsPackage;

/**
 * An embedded Neo4j store (a DBMS home directory holding the default database) with the hmn procedures registered.
 * Bolt and HTTP are off unless ports are given; they listen on 127.0.0.1 only.
 */
public final class Store implements AutoCloseable {
    private final DatabaseManagementService dbms;
    private final GraphDatabaseService db;
    private final Path home;

    private Store(Path home, DatabaseManagementService dbms) {
        this.home = home;
        this.dbms = dbms;
        this.db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        ProcedureLoader.register(db);
    }

    /** Opens (or creates) the store at {@code home} with no network connectors. */
    public static Store open(Path home) {
        return open(home, null, null);
    }

    /**
     * Opens (or creates) the store at {@code home}.
     *
     * @param boltPort Bolt port on 127.0.0.1, or null for none
     * @param httpPort HTTP port on 127.0.0.1 (serves Neo4j Browser at /browser/), or null for none
     */
    public static Store open(Path home, Integer boltPort, Integer httpPort) {
        return new Store(home, builder(home, boltPort, httpPort).build());
    }

    /**
     * Opens the store at {@code home} read-only, with no network connectors: for commands that only read the graph
     * ({@code hmn export}), so that no write can reach it.
     */
    public static Store openReadOnly(Path home) {
        return new Store(
                home,
                builder(home, null, null)
                        .setConfig(GraphDatabaseSettings.read_only_database_default, true)
                        .build());
    }

    private static DatabaseManagementServiceBuilder builder(Path home, Integer boltPort, Integer httpPort) {
        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                .setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("hmn.*"))
                .setConfig(GraphDatabaseSettings.pagecache_memory, 512L * 1024 * 1024)
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "false")
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(BoltConnector.enabled, boltPort != null)
                .setConfig(HttpConnector.enabled, httpPort != null)
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofMillis(100))
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofMillis(100));
        if (boltPort != null) {
            builder.setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", boltPort));
            builder.setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", boltPort));
        }
        if (httpPort != null) {
            builder.setConfig(HttpConnector.listen_address, new SocketAddress("127.0.0.1", httpPort));
            builder.setConfig(HttpConnector.advertised_address, new SocketAddress("127.0.0.1", httpPort));
            // the hmn Browser guide and style sheet, and the Browser command that opens them on connect
            builder.setConfig(
                    ServerSettings.third_party_packages,
                    List.of(new ThirdPartyJaxRsPackage(BrowserResources.PACKAGE, BrowserResources.MOUNT)));
            builder.setConfig(ServerSettings.browser_post_connect_cmd, BrowserResources.postConnectCommand(httpPort));
        }
        return builder;
    }

    public GraphDatabaseService db() {
        return db;
    }

    public Path home() {
        return home;
    }

    @Override
    public void close() {
        dbms.shutdown();
    }
}
