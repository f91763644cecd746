package hmn.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmn.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;
import org.neo4j.driver.Session;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/** The shaded plugin jar, copied into a plugins directory, gives a Neo4j the hmn procedures. */
class PluginJarIT {

    @Test
    void should_load_the_procedures_from_the_plugin_jar(@TempDir Path plugins) throws IOException {
        // given the jar in the plugins directory and no hmn procedure class on the test's classpath
        Path jar = Path.of(System.getProperty("hmn.pluginJar", "target/hmn-procedures-plugin.jar"));
        assertThat(jar)
                .as("run 'mvn verify' so that the plugin jar is built first")
                .exists();
        Files.copy(jar, plugins.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> Class.forName("hmn.cluster.ClusterProcedures"))
                .isInstanceOf(ClassNotFoundException.class);

        // when
        try (Neo4j neo4j = Neo4jBuilders.newInProcessBuilder()
                        .withDisabledServer()
                        .withConfig(GraphDatabaseSettings.plugin_dir, plugins.toAbsolutePath())
                        .withConfig(
                                BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofMillis(100))
                        .withConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofMillis(100))
                        .build();
                Driver driver = GraphDatabase.driver(
                        neo4j.boltURI(),
                        AuthTokens.none(),
                        Config.builder().withLogging(Logging.none()).build());
                Session session = driver.session()) {
            Fixtures.small("plugin-jar-test").write(neo4j.defaultDatabaseService(), 100);

            // then
            List<String> procedures = session.run(
                            "SHOW PROCEDURES YIELD name WHERE name STARTS WITH 'hmn.' " + "RETURN name ORDER BY name")
                    .list(r -> r.get("name").asString());
            assertThat(procedures)
                    .containsExactly(
                            "hmn.cluster.compare",
                            "hmn.cluster.differenceNeurons",
                            "hmn.cluster.sharedNeurons",
                            "hmn.cluster.stats",
                            "hmn.cluster.validity",
                            "hmn.materialize",
                            "hmn.neuron.concepts",
                            "hmn.neuron.topImages");
            assertThat(session.run("CALL hmn.cluster.sharedNeurons('L1-0', {top: 0.25, layer: 'layer1'})")
                            .list(r -> r.get("neuron").asLong()))
                    .containsExactly(0L, 1L);
            assertThat(session.run("CALL hmn.materialize()")
                            .single()
                            .get("clusters")
                            .asLong())
                    .isEqualTo(6);
        }
    }
}
