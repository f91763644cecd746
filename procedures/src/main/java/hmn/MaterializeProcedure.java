package hmn;

import hmn.plugin.Materializer;
import hmn.plugin.Results.Materialized;
import java.util.Map;
import java.util.stream.Stream;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;
import org.neo4j.procedure.Context;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;

/** {@code hmn.materialize}: writes the neuron groups and difference sets of a config as edges. */
public class MaterializeProcedure {

    @Context
    public GraphDatabaseService db;

    @Context
    public Transaction tx;

    @Procedure(name = "hmn.materialize", mode = Mode.WRITE)
    @Description("Writes every cluster's neuron group as (:Cluster)-[:USES {support, layer}]->(:Neuron) and every "
            + "child's difference neurons as a DifferenceSet (DIFFERS_BY, INCLUDES, AGAINST), replacing the "
            + "previous USES and INCLUDES edges of the config's layers (other layers' edges stay); keeps existing "
            + "descriptions; records the config on each Layer node and on HmnMeta. "
            + "Writes in batches of their own transactions.")
    public Stream<Materialized> materialize(
            @Name(
                            value = "config",
                            defaultValue = "{}",
                            description = "map with layer (default: every analysed "
                                    + "layer), top (in (0, 1], default 0.10), support (in (0, 1], default 0.5), mode "
                                    + "('intersection' (default) or 'support'), rank ('raw' (default) or 'zscore')")
                    Map<String, Object> config) {
        return Stream.of(new Materializer(db, tx).materialize(config));
    }
}
