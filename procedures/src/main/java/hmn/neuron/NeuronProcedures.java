package hmn.neuron;

import hmn.plugin.Queries;
import hmn.plugin.Results.Concept;
import hmn.plugin.Results.TopImage;
import java.util.Map;
import java.util.stream.Stream;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;
import org.neo4j.procedure.Context;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;

/** The {@code hmn.neuron.*} procedures: the concepts (clusters) that use a neuron, the images that excite it most. */
public class NeuronProcedures {

    static final String LAYER = "the layer name, e.g. 'layer4' (a Layer node's name)";
    static final String NEURON = "the neuron's channel index in the layer, from 0";

    @Context
    public GraphDatabaseService db;

    @Context
    public Transaction tx;

    @Procedure(name = "hmn.neuron.concepts", mode = Mode.READ)
    @Description("The clusters whose neuron group holds the neuron, by level, then support (highest first): "
            + "the concepts that use it, with their caption and the fraction of their images activating it.")
    public Stream<Concept> concepts(
            @Name(value = "layer", description = LAYER) String layer,
            @Name(value = "neuron", description = NEURON) long neuron,
            @Name(
                            value = "config",
                            defaultValue = "{}",
                            description = "map with top (in (0, 1], default 0.10), "
                                    + "support (in (0, 1], default 0.5), mode ('intersection' (default) or 'support'), rank ('raw' "
                                    + "(default) or 'zscore')")
                    Map<String, Object> config) {
        return new Queries(db, tx).concepts(layer, neuron, config);
    }

    @Procedure(name = "hmn.neuron.topImages", mode = Mode.READ)
    @Description("The k images with the largest activation of the neuron (the channel's mean over spatial "
            + "positions), strongest first; ties go to the lower image row.")
    public Stream<TopImage> topImages(
            @Name(value = "layer", description = LAYER) String layer,
            @Name(value = "neuron", description = NEURON) long neuron,
            @Name(value = "k", defaultValue = "10", description = "how many images, >= 1 (default 10)") long k) {
        return new Queries(db, tx).topImages(layer, neuron, k);
    }
}
