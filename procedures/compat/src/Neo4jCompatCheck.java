import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/** Loads the hmn plugin jar from a plugins directory into this class path's Neo4j and calls the procedures. */
public class Neo4jCompatCheck {

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path home = Files.createTempDirectory("hmn-compat");
        Path plugins = Files.createDirectories(home.resolve("plugins"));
        Files.copy(jar, plugins.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        try (Neo4j neo4j = Neo4jBuilders.newInProcessBuilder(home)
                .withDisabledServer()
                .withConfig(GraphDatabaseSettings.plugin_dir, plugins)
                .build()) {
            GraphDatabaseService db = neo4j.defaultDatabaseService();
            db.executeTransactionally("""
                    CREATE (:Layer {name: 'layer1', channels: 4, property: 'act_layer1'})
                    CREATE (m:HmnMeta {generation: 'compat'})
                    CREATE (top:Cluster {id: 'L2-0', level: 2, caption: 'all'})
                    CREATE (a:Cluster {id: 'L1-0', level: 1, caption: 'a'}), (b:Cluster {id: 'L1-1', level: 1, caption: 'b'})
                    CREATE (top)-[:CONTAINS]->(a), (top)-[:CONTAINS]->(b)
                    CREATE (a)-[:CONTAINS]->(:Image {id: 'i0', row: 0, act_layer1: [9.0, 1.0, 0.0, 0.0]})
                    CREATE (a)-[:CONTAINS]->(:Image {id: 'i1', row: 1, act_layer1: [8.0, 0.0, 2.0, 0.0]})
                    CREATE (b)-[:CONTAINS]->(:Image {id: 'i2', row: 2, act_layer1: [7.0, 0.0, 0.0, 3.0]})
                    """);
            String version = db.executeTransactionally(
                    "CALL dbms.components() YIELD versions RETURN versions[0] AS v", Map.of(),
                    r -> r.next().get("v").toString());
            List<String> procedures = db.executeTransactionally(
                    "SHOW PROCEDURES YIELD name WHERE name STARTS WITH 'hmn.' RETURN name ORDER BY name", Map.of(),
                    r -> r.stream().map(row -> row.get("name").toString()).toList());
            List<String> shared = db.executeTransactionally(
                    "CALL hmn.cluster.sharedNeurons('L1-0', {top: 0.25}) YIELD layer, neuron, support "
                            + "RETURN layer + ':' + neuron + '@' + support AS row", Map.of(),
                    r -> r.stream().map(row -> row.get("row").toString()).toList());
            Object uses = db.executeTransactionally("CALL hmn.materialize({top: 0.25}) YIELD uses RETURN uses",
                    Map.of(), r -> r.next().get("uses"));
            System.out.println("Neo4j " + version + " on Java " + Runtime.version());
            System.out.println("hmn procedures: " + procedures);
            System.out.println("sharedNeurons(L1-0): " + shared + "; materialize uses: " + uses);
            boolean ok = procedures.size() == 8 && shared.equals(List.of("layer1:0@1.0")) && uses.equals(3L);
            System.out.println(ok ? "OK: the plugin jar loads and answers" : "FAILED");
            System.exit(ok ? 0 : 1);
        }
    }
}
