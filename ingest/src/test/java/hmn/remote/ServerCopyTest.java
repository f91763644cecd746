package hmn.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.graphdb.GraphDatabaseService;

/** A graph built locally is copied into a Neo4j server that the test starts (embedded, with Bolt on). */
class ServerCopyTest {
    @TempDir
    Path dir;

    private DatabaseManagementService local;
    private DatabaseManagementService server;
    private Driver driver;

    @BeforeEach
    void start() throws IOException {
        local = new DatabaseManagementServiceBuilder(dir.resolve("local")).build();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        server = new DatabaseManagementServiceBuilder(dir.resolve("server"))
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofMillis(100))
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofMillis(100))
                .build();
        driver = GraphDatabase.driver("bolt://127.0.0.1:" + port, AuthTokens.none());
    }

    @AfterEach
    void stop() {
        driver.close();
        server.shutdown();
        local.shutdown();
    }

    private GraphDatabaseService localDb() {
        return local.database("neo4j");
    }

    private GraphDatabaseService serverDb() {
        return server.database("neo4j");
    }

    @Test
    void should_copy_nodes_relationships_and_properties_and_replace_the_previous_graph() {
        // given a server holding an older hmn graph with a constraint, and an unrelated node
        serverDb()
                .executeTransactionally(
                        "CREATE CONSTRAINT image_id IF NOT EXISTS FOR (n:Image) REQUIRE n.id IS UNIQUE");
        serverDb()
                .executeTransactionally("CREATE (:Image {id: 'a.jpg', old: true}), (:Image {id: 'gone.jpg'}),"
                        + " (:Unrelated {keep: 1})");
        localDb()
                .executeTransactionally("CREATE (i:Image {id: 'a.jpg', act_layer4: [0.5, 1.5]})"
                        + "-[:ACTIVATES {value: 1.5, rank: 1}]->(:Neuron {id: 'layer4:1', layer: 'layer4', index: 1}),"
                        + " (c:Cluster {id: 'L1-0', level: 1})-[:CONTAINS]->(i), (:HmnMeta {generation: 'g2'})");

        // when
        ServerCopy.Result result = new ServerCopy(driver, "neo4j").copy(localDb(), n -> {});

        // then
        assertThat(result.nodes()).isEqualTo(4);
        assertThat(result.relationships()).isEqualTo(2);
        List<String> images = serverDb()
                .executeTransactionally(
                        "MATCH (i:Image) RETURN i.id AS id, i.old AS old, i.act_layer4 AS act",
                        java.util.Map.of(),
                        r -> r.stream()
                                .map(row -> row.get("id") + " " + row.get("old") + " "
                                        + java.util.Arrays.toString((double[]) row.get("act")))
                                .toList());
        assertThat(images).containsExactly("a.jpg null [0.5, 1.5]");
        long paths = serverDb()
                .executeTransactionally(
                        "MATCH (:Cluster {id: 'L1-0'})-[:CONTAINS]->(:Image)"
                                + "-[a:ACTIVATES {rank: 1}]->(:Neuron {id: 'layer4:1'}) RETURN count(*) AS c",
                        java.util.Map.of(),
                        r -> (Long) r.next().get("c"));
        assertThat(paths).isEqualTo(1);
        long leftovers = serverDb()
                .executeTransactionally(
                        "MATCH (n) WHERE n:HmnStaging OR n._hmnCopyId IS NOT NULL"
                                + " OR n._hmnLabels IS NOT NULL RETURN count(*) AS c",
                        java.util.Map.of(),
                        r -> (Long) r.next().get("c"));
        assertThat(leftovers).isZero();
        long unrelated = serverDb()
                .executeTransactionally("MATCH (n:Unrelated) RETURN count(*) AS c", java.util.Map.of(), r ->
                        (Long) r.next().get("c"));
        assertThat(unrelated).isEqualTo(1);
    }

    @Test
    void should_not_duplicate_anything_when_copied_twice() {
        localDb().executeTransactionally("CREATE (:Cluster {id: 'L1-0'})-[:CONTAINS]->(:Image {id: 'a.jpg'})");
        ServerCopy copy = new ServerCopy(driver, "neo4j");

        copy.copy(localDb(), n -> {});
        copy.copy(localDb(), n -> {});

        long nodes = serverDb().executeTransactionally("MATCH (n) RETURN count(*) AS c", java.util.Map.of(), r ->
                (Long) r.next().get("c"));
        long rels = serverDb().executeTransactionally("MATCH ()-[r]->() RETURN count(*) AS c", java.util.Map.of(), r ->
                (Long) r.next().get("c"));
        assertThat(nodes).isEqualTo(2);
        assertThat(rels).isEqualTo(1);
    }
}
