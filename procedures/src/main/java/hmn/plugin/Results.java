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

        public DifferenceNeuron(String layer, long neuron, String parent) {
            this.layer = layer;
            this.neuron = neuron;
            this.parent = parent;
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

        public Materialized(long clusters, long uses, long differenceSets, long differenceNeurons,
                long neuronsCreated, long relationshipsCreated, long relationshipsDeleted, java.util.List<String> layers,
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
