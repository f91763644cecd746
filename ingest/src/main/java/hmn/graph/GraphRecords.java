package hmn.graph;

import hmn.artifacts.ArtifactSet;
import hmn.group.Hierarchy;
import hmn.group.HierarchyGroups;
import hmn.io.FloatMatrix;
import hmn.labelling.Labelling;
import hmn.schema.Schema;
import hmn.schema.Schema.Key;
import hmn.validity.DifferenceSummaries;
import hmn.validity.UsesStatistics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.neo4j.batchimport.api.input.InputEntityVisitor;

/**
 * The nodes and relationships of a new graph (cypher/SCHEMA.md), before materialisation, as segments for Neo4j's
 * offline importer. Every node gets a fixed id from the layout below, so relationships name their ends without any
 * lookup, and chunks of a segment can be emitted by several importer threads at once.
 *
 * <p>Node ids, in order: HmnMeta, Model, skipped Images, Layers, Neurons (layer by layer), Levels, Images, the
 * images' Captions, Clusters (level by level, in label order), the clusters' Captions, DifferenceSets and their
 * Captions. The neuron groups (USES) and difference sets (DifferenceSet, INCLUDES, AGAINST, DIFFERS_BY) are
 * imported too. This class only lays out and emits: the activated sets and the groups come computed, from core's
 * {@code hmn.group} ({@link GraphWriter} computes them).
 */
final class GraphRecords {
    /** Entities of one kind, addressed by index; {@code emit} writes one entity's id, labels or type, and properties. */
    interface Segment {
        long count();

        void emit(long index, InputEntityVisitor out) throws IOException;
    }

    private final ArtifactSet set;
    private final Hierarchy hierarchy;
    private final Labelling labelling;
    private final ImportOptions options;
    private final String generation;
    private final ModelRun run;
    /** Skipped images ({id, reason}): the model run's and those the import left out. */
    private final List<String[]> skipped;

    private final List<String> layers;
    private final List<FloatMatrix> matrices;
    private final int clusterCount;
    private final int[][][] activated;
    private final int[] activatedOffsets;
    private final int activatedPerImage;
    private final long[] neuronBase;
    private final long[] containsStart;
    private final long[] containsEnd;
    private final long layerBase;
    private final long levelBase;
    private final long imageBase;
    private final long imageCaptionBase;
    private final long clusterBase;
    private final long clusterCaptionBase;
    private final long differenceSetBase;
    private final long differenceCaptionBase;
    private final long nodeCount;
    private final HierarchyGroups groups;
    private final UsesStatistics statistics;
    private final DifferenceSummaries summaries;

    /**
     * @param activated each image's activated set per layer, strongest first ({@code activated[image][layer]})
     * @param groups the hierarchy's neuron groups and difference sets, clusters indexed as in {@code hierarchy}
     * @param statistics the USES edges' statistics, aligned with {@code groups}' USES rows
     */
    GraphRecords(
            ArtifactSet set,
            Hierarchy hierarchy,
            Labelling labelling,
            ImportOptions options,
            String generation,
            Map<String, String> excluded,
            int[][][] activated,
            HierarchyGroups groups,
            UsesStatistics statistics,
            DifferenceSummaries summaries) {
        this.statistics = statistics;
        this.summaries = summaries;
        this.set = set;
        this.hierarchy = hierarchy;
        this.labelling = labelling;
        this.options = options;
        this.generation = generation;
        this.run = ModelRun.of(set.activations().dir(), options.model());
        Map<String, String> skippedById = new java.util.LinkedHashMap<>();
        run.skipped().forEach(s -> skippedById.put(s[0], s[1]));
        excluded.forEach(skippedById::putIfAbsent);
        this.skipped = skippedById.entrySet().stream()
                .map(e -> new String[] {e.getKey(), e.getValue()})
                .toList();
        this.layers = List.copyOf(set.activations().layers().keySet());
        this.matrices = List.copyOf(set.activations().layers().values());
        this.activated = activated;
        this.groups = groups;
        this.activatedOffsets = new int[matrices.size() + 1];
        for (int l = 0; l < matrices.size(); l++) {
            activatedOffsets[l + 1] =
                    activatedOffsets[l] + options.groups().k(matrices.get(l).cols());
        }
        this.activatedPerImage = activatedOffsets[matrices.size()];
        this.clusterCount = hierarchy.size();

        long next = 2 + skipped.size();
        layerBase = next;
        next += layers.size();
        neuronBase = new long[layers.size() + 1];
        for (int l = 0; l < layers.size(); l++) {
            neuronBase[l] = next;
            next += matrices.get(l).cols();
        }
        neuronBase[layers.size()] = next;
        levelBase = next;
        next += hierarchy.levelCount();
        imageBase = next;
        next += set.size();
        imageCaptionBase = next;
        next += set.size();
        clusterBase = next;
        next += clusterCount;
        clusterCaptionBase = next;
        next += clusterCount;
        differenceSetBase = next;
        next += groups.setCount();
        differenceCaptionBase = next;
        next += groups.setCount();
        nodeCount = next;

        List<long[]> contains = new ArrayList<>();
        for (int j = 0; j < clusterCount; j++) {
            if (hierarchy.level(j) == 1) {
                for (int row : hierarchy.rows(j)) {
                    contains.add(new long[] {clusterBase + j, imageBase + row});
                }
            } else {
                for (int child : hierarchy.children(j)) {
                    contains.add(new long[] {clusterBase + j, clusterBase + child});
                }
            }
        }
        containsStart = contains.stream().mapToLong(p -> p[0]).toArray();
        containsEnd = contains.stream().mapToLong(p -> p[1]).toArray();
    }

    long nodeCount() {
        return nodeCount;
    }

    long neuronCount() {
        return neuronBase[layers.size()] - neuronBase[0];
    }

    long activatesCount() {
        return (long) set.size() * activatedPerImage;
    }

    long containsCount() {
        return clusterCount + containsStart.length;
    }

    long clusterCount() {
        return clusterCount;
    }

    long captionCount() {
        return set.size() + clusterCount + groups.setCount();
    }

    long relationshipCount() {
        return neuronCount()
                + set.size()
                + activatesCount()
                + containsCount()
                + clusterCount
                + groups.usesCount()
                + groups.includesCount()
                + 3L * groups.setCount();
    }

    /** What was materialised, in the shape {@code hmn.materialize} reports, with the groups' computing time. */
    Map<String, Object> materialized(long millis) {
        return Map.of(
                "clusters",
                (long) clusterCount,
                "uses",
                (long) groups.usesCount(),
                "differenceSets",
                (long) groups.setCount(),
                "differenceNeurons",
                (long) groups.includesCount(),
                "layers",
                layers,
                "millis",
                millis);
    }

    List<Segment> nodes() {
        return List.of(
                segment(1, (i, out) -> meta(out)),
                segment(1, (i, out) -> model(out)),
                segment(skipped.size(), this::skippedImage),
                segment(layers.size(), this::layer),
                segment(neuronCount(), this::neuron),
                segment(hierarchy.levelCount(), this::level),
                segment(set.size(), this::image),
                segment(set.size(), this::imageCaption),
                segment(clusterCount, this::cluster),
                segment(clusterCount, this::clusterCaption),
                segment(groups.setCount(), this::differenceSet),
                segment(groups.setCount(), this::differenceCaption));
    }

    List<Segment> relationships() {
        return List.of(
                segment(neuronCount(), (i, out) -> {
                    int l = layerOfNeuron(neuronBase[0] + i);
                    relationship(out, layerBase + l, neuronBase[0] + i, Schema.HAS_NEURON);
                }),
                segment(
                        set.size(),
                        (i, out) -> relationship(out, imageBase + i, imageCaptionBase + i, Schema.HAS_CAPTION)),
                segment(activatesCount(), this::activates),
                segment(
                        clusterCount,
                        (j, out) -> relationship(
                                out, levelBase + hierarchy.level((int) j) - 1, clusterBase + j, Schema.CONTAINS)),
                segment(
                        containsStart.length,
                        (k, out) -> relationship(out, containsStart[(int) k], containsEnd[(int) k], Schema.CONTAINS)),
                segment(
                        clusterCount,
                        (j, out) -> relationship(out, clusterBase + j, clusterCaptionBase + j, Schema.HAS_CAPTION)),
                segment(groups.usesCount(), this::uses),
                segment(
                        groups.includesCount(),
                        (k, out) -> relationship(
                                out,
                                differenceSetBase + groups.includesSet((int) k),
                                neuronBase[groups.includesLayer((int) k)] + groups.includesChannel((int) k),
                                Schema.INCLUDES)),
                segment(
                        groups.setCount(),
                        (d, out) -> relationship(
                                out, differenceSetBase + d, clusterBase + groups.setParent((int) d), Schema.AGAINST)),
                segment(groups.setCount(), this::differsBy),
                segment(
                        groups.setCount(),
                        (d, out) -> relationship(
                                out, differenceSetBase + d, differenceCaptionBase + d, Schema.HAS_CAPTION)));
    }

    private interface Emitter {
        void emit(long index, InputEntityVisitor out) throws IOException;
    }

    private static Segment segment(long count, Emitter emitter) {
        return new Segment() {
            @Override
            public long count() {
                return count;
            }

            @Override
            public void emit(long index, InputEntityVisitor out) throws IOException {
                emitter.emit(index, out);
            }
        };
    }

    private static void node(InputEntityVisitor out, long id, String label) {
        out.id(id);
        out.labels(new String[] {label});
    }

    private static void relationship(InputEntityVisitor out, long start, long end, String type) {
        out.startId(start);
        out.endId(end);
        out.type(type);
    }

    private void meta(InputEntityVisitor out) {
        node(out, 0, Schema.META);
        out.property(Key.GENERATION, generation);
        out.property(Key.TOP, options.groups().top());
        out.property(Key.SUPPORT, options.groups().support());
        out.property(Key.MODE, options.groups().mode().key());
        out.property(Key.RANK, options.groups().rank().key());
        out.property(Key.LAYERS, layers.toArray(new String[0]));
        out.property("images", set.size());
        out.property("levels", hierarchy.levelCount());
        out.property("createdAt", java.time.Instant.now().toString());
    }

    private void model(InputEntityVisitor out) {
        node(out, 1, Schema.MODEL);
        out.property(Key.NAME, run.name());
        out.property("weights", run.weights());
        out.property("randomWeights", run.randomWeights());
        if (run.engine() != null) {
            out.property("engine", run.engine());
        }
    }

    private void skippedImage(long i, InputEntityVisitor out) {
        String[] image = skipped.get((int) i);
        node(out, 2 + i, Schema.IMAGE);
        out.property(Key.ID, image[0]);
        out.property("skipped", image[1]);
    }

    private void layer(long l, InputEntityVisitor out) {
        String name = layers.get((int) l);
        node(out, layerBase + l, Schema.LAYER);
        out.property(Key.NAME, name);
        out.property(Key.CHANNELS, matrices.get((int) l).cols());
        out.property(Key.PROPERTY, GraphWriter.property(name));
        out.property(Key.MODEL, options.model());
    }

    private int layerOfNeuron(long id) {
        int l = 0;
        while (id >= neuronBase[l + 1]) {
            l++;
        }
        return l;
    }

    private void neuron(long i, InputEntityVisitor out) {
        long id = neuronBase[0] + i;
        int l = layerOfNeuron(id);
        int channel = (int) (id - neuronBase[l]);
        node(out, id, Schema.NEURON);
        out.property(Key.ID, Schema.neuronId(layers.get(l), channel));
        out.property(Key.LAYER, layers.get(l));
        out.property(Key.INDEX, channel);
    }

    private void level(long v, InputEntityVisitor out) {
        int[] clusters = hierarchy.clustersAt((int) v + 1);
        node(out, levelBase + v, Schema.LEVEL);
        out.property("number", (int) v + 1);
        out.property("clusters", clusters.length);
        out.property("synthetic", clusters.length > 0 && hierarchy.synthetic(clusters[0]));
    }

    private void image(long row, InputEntityVisitor out) {
        int i = (int) row;
        node(out, imageBase + i, Schema.IMAGE);
        out.property(Key.ID, set.images().get(i));
        out.property(Key.ROW, i);
        out.property(Key.CAPTION, set.captions()[i]);
        for (int l = 0; l < matrices.size(); l++) {
            out.property(GraphWriter.property(layers.get(l)), matrices.get(l).row(i));
        }
    }

    private void imageCaption(long row, InputEntityVisitor out) {
        int i = (int) row;
        node(out, imageCaptionBase + i, Schema.CAPTION);
        out.property(Key.ID, "image:" + set.images().get(i));
        out.property("text", set.captions()[i]);
        out.property("kind", "image");
        out.property("source", captionSource());
        out.property(Key.MODEL, options.captionSource());
        out.property("promptVersion", "none");
        out.property("offlineDefault", false);
    }

    /** The image captions' source: the captioner's kind ("blip", "openai", ...), or "import". */
    private String captionSource() {
        String model = options.captionSource();
        return model.contains(":") && !model.startsWith("import:") ? model.substring(0, model.indexOf(':')) : "import";
    }

    private void activates(long index, InputEntityVisitor out) {
        int i = (int) (index / activatedPerImage);
        int within = (int) (index % activatedPerImage);
        int l = 0;
        while (within >= activatedOffsets[l + 1]) {
            l++;
        }
        int rank = within - activatedOffsets[l];
        int channel = activated[i][l][rank];
        relationship(out, imageBase + i, neuronBase[l] + channel, Schema.ACTIVATES);
        out.property("value", matrices.get(l).get(i, channel));
        out.property("rank", rank + 1);
    }

    private void cluster(long j, InputEntityVisitor out) {
        int c = (int) j;
        String id = hierarchy.id(c);
        node(out, clusterBase + j, Schema.CLUSTER);
        out.property(Key.ID, id);
        out.property(Key.LEVEL, hierarchy.level(c));
        out.property("label", hierarchy.label(c));
        out.property(Key.SIZE, hierarchy.imageCount(c));
        out.property(Key.CAPTION, labelling.clusters().get(id).text());
        out.property("synthetic", hierarchy.synthetic(c));
    }

    private void clusterCaption(long j, InputEntityVisitor out) {
        int c = (int) j;
        hmn.labels.Label label = labelling.clusters().get(hierarchy.id(c));
        node(out, clusterCaptionBase + j, Schema.CAPTION);
        out.property(Key.ID, "cluster:" + hierarchy.id(c));
        out.property("text", label.text());
        out.property("kind", hierarchy.level(c) == 1 ? "representative" : "generalisation");
        out.property("source", label.source());
        out.property(Key.MODEL, label.model());
        out.property("promptVersion", label.promptVersion());
        out.property("offlineDefault", label.offlineDefault());
    }

    private void uses(long index, InputEntityVisitor out) {
        int k = (int) index;
        int l = groups.usesLayer(k);
        relationship(out, clusterBase + groups.usesCluster(k), neuronBase[l] + groups.usesChannel(k), Schema.USES);
        out.property(Key.SUPPORT, groups.usesSupport(k));
        out.property(Key.LAYER, layers.get(l));
        out.property(Key.BASE_RATE, statistics.baseRate()[k]);
        if (!Double.isNaN(statistics.lift()[k])) {
            out.property(Key.LIFT, statistics.lift()[k]);
        }
        out.property(Key.P, statistics.p()[k]);
        out.property(Key.Q, statistics.q()[k]);
    }

    private void differenceSet(long d, InputEntityVisitor out) {
        String child = hierarchy.id(groups.setCluster((int) d));
        node(out, differenceSetBase + d, Schema.DIFFERENCE_SET);
        out.property(Key.ID, child);
        out.property(Key.CHILD, child);
        out.property(Key.PARENT, hierarchy.id(groups.setParent((int) d)));
        out.property(Key.SIZE, (long) groups.setSize((int) d));
        out.property(Key.DESCRIPTION, labelling.differences().get(child).text());
    }

    private void differsBy(long d, InputEntityVisitor out) {
        String child = hierarchy.id(groups.setCluster((int) d));
        relationship(out, clusterBase + groups.setCluster((int) d), differenceSetBase + d, Schema.DIFFERS_BY);
        out.property(Key.PARENT, hierarchy.id(groups.setParent((int) d)));
        for (int l = 0; l < layers.size(); l++) {
            double mean = summaries.meanContrast()[(int) d][l];
            double minP = summaries.minP()[(int) d][l];
            if (!Double.isNaN(mean)) {
                out.property(Key.MEAN_CONTRAST + "_" + layers.get(l), mean);
            }
            if (!Double.isNaN(minP)) {
                out.property(Key.MIN_P + "_" + layers.get(l), minP);
            }
        }
        out.property(Key.DESCRIPTION, labelling.differences().get(child).text());
    }

    private void differenceCaption(long d, InputEntityVisitor out) {
        String child = hierarchy.id(groups.setCluster((int) d));
        hmn.labels.Label label = labelling.differences().get(child);
        node(out, differenceCaptionBase + d, Schema.CAPTION);
        out.property(Key.ID, "difference:" + child);
        out.property("text", label.text());
        out.property("kind", "difference");
        out.property("source", label.source());
        out.property(Key.MODEL, label.model());
        out.property("promptVersion", label.promptVersion());
        out.property("offlineDefault", label.offlineDefault());
    }
}
