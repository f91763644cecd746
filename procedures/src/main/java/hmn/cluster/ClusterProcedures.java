package hmn.cluster;

import hmn.plugin.Queries;
import hmn.plugin.Results.ComparedNeuron;
import hmn.plugin.Results.DifferenceNeuron;
import hmn.plugin.Results.NeuronStat;
import hmn.plugin.Results.SharedNeuron;
import hmn.plugin.Results.Validity;
import java.util.Map;
import java.util.stream.Stream;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;
import org.neo4j.procedure.Context;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;

/** The {@code hmn.cluster.*} procedures: a cluster's neuron group, its difference neurons, two groups compared. */
public class ClusterProcedures {

    static final String CLUSTER = "a Cluster node or its id string, e.g. 'L1-1393'";
    static final String CONFIG = "map with layer (default: every analysed layer), top (fraction of a layer's "
            + "channels in an image's activated set, in (0, 1], default 0.10), support (in (0, 1], default 0.5), "
            + "mode ('intersection' (default) or 'support', for levels above 1), rank ('raw' (default, the paper's) "
            + "or 'zscore': activated sets of per-channel standardised activations)";

    @Context
    public GraphDatabaseService db;

    @Context
    public Transaction tx;

    @Procedure(name = "hmn.cluster.sharedNeurons", mode = Mode.READ)
    @Description("The cluster's neuron group: the neurons activated by at least `support` of its images (level 1), "
            + "or common to all its children's groups (higher levels, mode 'intersection'); support is the "
            + "fraction of the cluster's images activating the neuron.")
    public Stream<SharedNeuron> sharedNeurons(
            @Name(value = "cluster", description = CLUSTER) Object cluster,
            @Name(value = "config", defaultValue = "{}", description = CONFIG) Map<String, Object> config) {
        return new Queries(db, tx).sharedNeurons(cluster, config);
    }

    @Procedure(name = "hmn.cluster.differenceNeurons", mode = Mode.READ)
    @Description("The cluster's difference neurons: its group minus its parent's group (no rows for a top "
            + "cluster); parent is the parent cluster's id; contrast is the neuron's support in the cluster minus "
            + "its support among the parent's other images (null when there are none), p the hypergeometric upper "
            + "tail of the cluster's count among the parent's images.")
    public Stream<DifferenceNeuron> differenceNeurons(
            @Name(value = "cluster", description = CLUSTER) Object cluster,
            @Name(value = "config", defaultValue = "{}", description = CONFIG) Map<String, Object> config) {
        return new Queries(db, tx).differenceNeurons(cluster, config);
    }

    @Procedure(name = "hmn.cluster.stats", mode = Mode.READ)
    @Description("Every neuron's statistics in the cluster, per layer: support, baseRate (the fraction of all images "
            + "activating it), lift = support / baseRate (null when no image activates it), p (hypergeometric upper "
            + "tail of the cluster's count) and q (Benjamini-Hochberg over the layer's neurons for this cluster). "
            + "Config key groupOnly: true keeps only the group's neurons.")
    public Stream<NeuronStat> stats(
            @Name(value = "cluster", description = CLUSTER) Object cluster,
            @Name(value = "config", defaultValue = "{}", description = CONFIG + "; groupOnly (default false)")
                    Map<String, Object> config) {
        return new Queries(db, tx).stats(cluster, config);
    }

    @Procedure(name = "hmn.cluster.validity", mode = Mode.READ)
    @Description("Whether the cluster's group is real and used, per layer: groupSize, medianLift, "
            + "heldOutPrecision (groups of the even and odd images in collection order), stability (mean Jaccard "
            + "over 100 seeded bootstrap resamples), and ablationEffect, ablationZ, specificity as hmn validate "
            + "stored them (null until then).")
    public Stream<Validity> validity(
            @Name(value = "cluster", description = CLUSTER) Object cluster,
            @Name(value = "config", defaultValue = "{}", description = CONFIG) Map<String, Object> config) {
        return new Queries(db, tx).validity(cluster, config);
    }

    @Procedure(name = "hmn.cluster.compare", mode = Mode.READ)
    @Description("Compares two clusters' neuron groups: every neuron of either group, with side 'both', 'a' (only "
            + "in clusterA's group) or 'b' (only in clusterB's).")
    public Stream<ComparedNeuron> compare(
            @Name(value = "clusterA", description = CLUSTER) Object clusterA,
            @Name(value = "clusterB", description = CLUSTER) Object clusterB,
            @Name(value = "config", defaultValue = "{}", description = CONFIG) Map<String, Object> config) {
        return new Queries(db, tx).compare(clusterA, clusterB, config);
    }
}
