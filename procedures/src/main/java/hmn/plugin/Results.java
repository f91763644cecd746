package hmn.plugin;

/** The rows the hmn procedures yield (Neo4j maps public fields to YIELD columns). */
public final class Results {

    private Results() {}

    /** A neuron of a cluster's group. */
    public static final class SharedNeuron {
        public final String layer;
        public final long neuron;
        public final double support;

        public SharedNeuron(String layer, long neuron, double support) {
            this.layer = layer;
            this.neuron = neuron;
            this.support = support;
        }
    }

    /** A neuron a cluster has beyond its parent's group. */
    public static final class DifferenceNeuron {
        public final String layer;
        public final long neuron;
        public final String parent;
        /** Support in the child minus support among the parent's other images (null when it has none). */
        public final Double contrast;
        /** Hypergeometric upper tail of the child's count among the parent's images. */
        public final double p;

        public DifferenceNeuron(String layer, long neuron, String parent, Double contrast, double p) {
            this.layer = layer;
            this.neuron = neuron;
            this.parent = parent;
            this.contrast = contrast;
            this.p = p;
        }
    }

    /** One neuron's statistics in a cluster ({@code hmn.cluster.stats}). */
    public static final class NeuronStat {
        public final String layer;
        public final long neuron;
        public final double support;
        public final double baseRate;
        public final Double lift;
        public final double p;
        public final double q;

        public NeuronStat(String layer, long neuron, double support, double baseRate, Double lift, double p, double q) {
            this.layer = layer;
            this.neuron = neuron;
            this.support = support;
            this.baseRate = baseRate;
            this.lift = lift;
            this.p = p;
            this.q = q;
        }
    }

    /** A cluster's group validity in one layer ({@code hmn.cluster.validity}); ablation fields null until measured. */
    public static final class Validity {
        public final String layer;
        public final long groupSize;
        public final Double medianLift;
        public final Double heldOutPrecision;
        public final Double stability;
        public final Double ablationEffect;
        public final Double ablationZ;
        public final Double specificity;

        public Validity(
                String layer,
                long groupSize,
                Double medianLift,
                Double heldOutPrecision,
                Double stability,
                Double ablationEffect,
                Double ablationZ,
                Double specificity) {
            this.layer = layer;
            this.groupSize = groupSize;
            this.medianLift = medianLift;
            this.heldOutPrecision = heldOutPrecision;
            this.stability = stability;
            this.ablationEffect = ablationEffect;
            this.ablationZ = ablationZ;
            this.specificity = specificity;
        }
    }

    /** A neuron of either group of a comparison; side is {@code both}, {@code a} or {@code b}. */
    public static final class ComparedNeuron {
        public final String layer;
        public final long neuron;
        public final String side;

        public ComparedNeuron(String layer, long neuron, String side) {
            this.layer = layer;
            this.neuron = neuron;
            this.side = side;
        }
    }

    /** A cluster whose group holds a neuron. */
    public static final class Concept {
        public final String cluster;
        public final long level;
        public final String caption;
        public final double support;

        public Concept(String cluster, long level, String caption, double support) {
            this.cluster = cluster;
            this.level = level;
            this.caption = caption;
            this.support = support;
        }
    }

    /** An image and its activation of a neuron. */
    public static final class TopImage {
        public final String image;
        public final double activation;

        public TopImage(String image, double activation) {
            this.image = image;
            this.activation = activation;
        }
    }

    /** What {@code hmn.materialize} wrote. */
    public static final class Materialized {
        /** Clusters whose groups were written. */
        public final long clusters;
        /** USES relationships written. */
        public final long uses;
        /** DifferenceSet nodes written (one per cluster with a parent). */
        public final long differenceSets;
        /** INCLUDES relationships written (difference neurons, all layers). */
        public final long differenceNeurons;
        /** Neuron nodes created. */
        public final long neuronsCreated;
        /** Relationships created (edges already in place for the config are kept). */
        public final long relationshipsCreated;
        /** Relationships of a previous config deleted. */
        public final long relationshipsDeleted;
        /** Layers written. */
        public final java.util.List<String> layers;

        public final long millis;

        public Materialized(
                long clusters,
                long uses,
                long differenceSets,
                long differenceNeurons,
                long neuronsCreated,
                long relationshipsCreated,
                long relationshipsDeleted,
                java.util.List<String> layers,
                long millis) {
            this.clusters = clusters;
            this.uses = uses;
            this.differenceSets = differenceSets;
            this.differenceNeurons = differenceNeurons;
            this.neuronsCreated = neuronsCreated;
            this.relationshipsCreated = relationshipsCreated;
            this.relationshipsDeleted = relationshipsDeleted;
            this.layers = layers;
            this.millis = millis;
        }
    }
}
