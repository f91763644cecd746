package hmn.schema;

/**
 * The names of the hmn graph (cypher/SCHEMA.md): node labels, relationship types, the property keys that more than
 * one writer or reader uses, and the id formats. The importer, the procedures and the server copy all name the graph
 * through this class.
 */
public final class Schema {
    private Schema() {}

    // node labels
    public static final String IMAGE = "Image";
    public static final String CAPTION = "Caption";
    public static final String CLUSTER = "Cluster";
    public static final String LEVEL = "Level";
    public static final String LAYER = "Layer";
    public static final String NEURON = "Neuron";
    public static final String DIFFERENCE_SET = "DifferenceSet";
    public static final String MODEL = "Model";
    public static final String META = "HmnMeta";

    // relationship types
    public static final String CONTAINS = "CONTAINS";
    public static final String ACTIVATES = "ACTIVATES";
    public static final String USES = "USES";
    public static final String DIFFERS_BY = "DIFFERS_BY";
    public static final String INCLUDES = "INCLUDES";
    public static final String AGAINST = "AGAINST";
    public static final String HAS_NEURON = "HAS_NEURON";
    public static final String HAS_CAPTION = "HAS_CAPTION";

    /** Property keys. */
    public static final class Key {
        private Key() {}

        public static final String ID = "id";
        public static final String NAME = "name";
        /** Layer: its channel count. */
        public static final String CHANNELS = "channels";
        /** Layer: the Image property that holds its activations. */
        public static final String PROPERTY = "property";

        public static final String MODEL = "model";
        /** Image: its row in the activation matrices. */
        public static final String ROW = "row";

        public static final String LEVEL = "level";
        public static final String CAPTION = "caption";
        public static final String LAYER = "layer";
        /** Neuron: its channel index. */
        public static final String INDEX = "index";
        /** USES: the neuron's support in the cluster. */
        public static final String SUPPORT = "support";

        public static final String BASE_RATE = "baseRate";
        public static final String LIFT = "lift";
        public static final String P = "p";
        public static final String Q = "q";
        public static final String MEAN_CONTRAST = "meanContrast";
        public static final String MIN_P = "minP";

        public static final String SIZE = "size";
        public static final String PARENT = "parent";
        public static final String CHILD = "child";
        public static final String DESCRIPTION = "description";
        /** HmnMeta: changes whenever the graph is rebuilt. */
        public static final String GENERATION = "generation";

        public static final String TOP = "top";
        public static final String MODE = "mode";
        public static final String RANK = "rank";
        public static final String LAYERS = "layers";
        /** Layer: the config its USES and INCLUDES edges were materialised with. */
        public static final String GROUP_TOP = "groupTop";

        public static final String GROUP_SUPPORT = "groupSupport";
        public static final String GROUP_MODE = "groupMode";
        public static final String GROUP_RANK = "groupRank";
    }

    /** A Neuron's id: {@code "{layer}:{index}"}, e.g. {@code "layer4:412"}. */
    public static String neuronId(String layer, int index) {
        return layer + ":" + index;
    }

    /** A Cluster's id: {@code "L{level}-{label}"}, e.g. {@code "L1-1393"}. */
    public static String clusterId(int level, int label) {
        return "L" + level + "-" + label;
    }

    /** The Image property that holds a layer's activation vector, unless its Layer node names another. */
    public static String activationProperty(String layer) {
        return "act_" + layer;
    }
}
