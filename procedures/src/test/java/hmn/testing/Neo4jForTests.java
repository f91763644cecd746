package hmn.testing;

import hmn.MaterializeProcedure;
import hmn.cluster.ClusterProcedures;
import hmn.neuron.NeuronProcedures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;
import org.neo4j.driver.Session;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilder;
import org.neo4j.harness.Neo4jBuilders;

/** An in-process Neo4j (harness, Bolt on, HTTP off) with the hmn procedures registered, and a driver to it. */
public final class Neo4jForTests implements AutoCloseable {

    public final Neo4j neo4j;
    public final Driver driver;

    private Neo4jForTests(Neo4j neo4j) {
        this.neo4j = neo4j;
        this.driver = GraphDatabase.driver(
                neo4j.boltURI(),
                AuthTokens.none(),
                Config.builder().withLogging(Logging.none()).build());
    }

    /** A database with the hmn procedures (and nothing else) registered. */
    public static Neo4jForTests start() {
        return new Neo4jForTests(withProcedures(quickShutdown(Neo4jBuilders.newInProcessBuilder()))
                .withDisabledServer()
                .build());
    }

    public static Neo4jBuilder withProcedures(Neo4jBuilder builder) {
        return builder.withProcedure(ClusterProcedures.class)
                .withProcedure(NeuronProcedures.class)
                .withProcedure(MaterializeProcedure.class);
    }

    /** Bolt waits seconds for its threads at shutdown unless told otherwise. */
    public static Neo4jBuilder quickShutdown(Neo4jBuilder builder) {
        return builder.withConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofMillis(100))
                .withConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofMillis(100));
    }

    /** Runs a query; each row as its columns' values joined by spaces. */
    public List<String> rows(String query, Map<String, Object> parameters, String... columns) {
        try (Session session = driver.session()) {
            return session.run(query, parameters).list(r -> {
                StringBuilder out = new StringBuilder();
                for (String column : columns) {
                    out.append(out.length() == 0 ? "" : " ")
                            .append(r.get(column).asObject());
                }
                return out.toString();
            });
        }
    }

    @Override
    public void close() {
        driver.close();
        neo4j.close();
    }
}
