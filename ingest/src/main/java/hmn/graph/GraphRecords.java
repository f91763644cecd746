package hmn.graph;

import hmn.artifacts.ArtifactSet;
import hmn.io.FloatMatrix;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.neo4j.batchimport.api.input.InputEntityVisitor;

/**
 * The nodes and relationships of a new graph (cypher/SCHEMA.md), before materialisation, as segments for Neo4j's
 * offline importer. Every node gets a fixed id from the layout below, so relationships name their ends without any
 * lookup, and chunks of a segment can be emitted by several importer threads at once.
 *
 * <p>Node ids, in order: HmnMeta, Model, skipped Images, Layers, Neurons (layer by layer), Levels, Images, the
 * images' Captions, Clusters (level by level, in label order), the clusters' Captions, DifferenceSets and their
 * Captions. The neuron groups (USES) and difference sets (DifferenceSet, INCLUDES, AGAINST, DIFFERS_BY) are
 * imported too, computed beforehand by {@link NeuronGroups}.
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
    private final List<Hierarchy.Cluster> clusters = new ArrayList<>();
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
    private final NeuronGroups groups;

    GraphRecords(ArtifactSet set, Hierarchy hierarchy, Labelling labelling, ImportOptions options, String generation,
            Map<String, String> excluded) {
        this.set = set;
        this.hierarchy = hierarchy;
        this.labelling = labelling;
        this.options = options;
        this.generation = generation;
        this.run = ModelRun.of(set.activations().dir(), options.model());
        Map<String, String> skippedById = new java.util.LinkedHashMap<>();
        run.skipped().forEach(s -> skippedById.put(s[0], s[1]));
        excluded.forEach(skippedById::putIfAbsent);
        this.skipped = skippedById.entrySet().stream().map(e -> new String[] {e.getKey(), e.getValue()}).toList();
        this.layers = List.copyOf(set.activations().layers().keySet());
        this.matrices = List.copyOf(set.activations().layers().values());
        this.activated = activatedSets();
        this.activatedOffsets = new int[matrices.size() + 1];
        for (int l = 0; l < matrices.size(); l++) {
            activatedOffsets[l + 1] = activatedOffsets[l] + Math.min(matrices.get(l).cols(),
                    TopK.k(options.top(), matrices.get(l).cols()));
        }
        this.activatedPerImage = activatedOffsets[matrices.size()];
        for (Hierarchy.Level level : hierarchy.levels()) {
            clusters.addAll(level.clusters());
        }

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
        next += hierarchy.levels().size();
        imageBase = next;
        next += set.size();
        imageCaptionBase = next;
        next += set.size();
        clusterBase = next;
        next += clusters.size();
        clusterCaptionBase = next;
        next += clusters.size();
        this.groups = NeuronGroups.compute(clusters, set.size(), matrices, options);
        differenceSetBase = next;
        next += groups.setCluster.length;
        differenceCaptionBase = next;
        next += groups.setCluster.length;
        nodeCount = next;

        java.util.Map<String, Long> clusterIds = new java.util.HashMap<>();
        for (int j = 0; j < clusters.size(); j++) {
            clusterIds.put(clusters.get(j).id(), clusterBase + j);
        }
        List<long[]> contains = new ArrayList<>();
        for (int j = 0; j < clusters.size(); j++) {
            Hierarchy.Cluster c = clusters.get(j);
            if (c.level() == 1) {
                for (int row : c.rows()) {
                    contains.add(new long[] {clusterBase + j, imageBase + row});
                }
            } else {
                for (String child : c.children()) {
                    contains.add(new long[] {clusterBase + j, clusterIds.get(child)});
                }
            }
        }
        containsStart = contains.stream().mapToLong(p -> p[0]).toArray();
        containsEnd = contains.stream().mapToLong(p -> p[1]).toArray();
    }

    /** Each image's activated set per layer, strongest first, computed in parallel. */
    private int[][][] activatedSets() {
        int[][][] out = new int[set.size()][matrices.size()][];
        IntStream.range(0, set.size()).parallel().forEach(i -> {
            for (int l = 0; l < matrices.size(); l++) {
                FloatMatrix m = matrices.get(l);
                out[i][l] = TopK.activated(m.data(), i * m.cols(), m.cols(), TopK.k(options.top(), m.cols()));
            }
        });
        return out;
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
        return clusters.size() + containsStart.length;
    }

    long clusterCount() {
        return clusters.size();
    }

    long captionCount() {
        return set.size() + clusters.size() + groups.setCluster.length;
    }

    long relationshipCount() {
        return neuronCount() + set.size() + activatesCount() + containsCount() + clusters.size()
                + groups.usesCluster.length + groups.includesSet.length + 3L * groups.setCluster.length;
    }

    /** What was materialised, as {@code hmn.materialize} reports it. */
    Map<String, Object> materialized() {
        return groups.summary(layers, clusters.size());
    }

    long materializeMillis() {
        return groups.millis;
    }

    List<Segment> nodes() {
        return List.of(
                segment(1, (i, out) -> meta(out)),
                segment(1, (i, out) -> model(out)),
                segment(skipped.size(), this::skippedImage),
                segment(layers.size(), this::layer),
                segment(neuronCount(), this::neuron),
                segment(hierarchy.levels().size(), this::level),
                segment(set.size(), this::image),
                segment(set.size(), this::imageCaption),
                segment(clusters.size(), this::cluster),
                segment(clusters.size(), this::clusterCaption),
                segment(groups.setCluster.length, this::differenceSet),
                segment(groups.setCluster.length, this::differenceCaption));
    }

    List<Segment> relationships() {
        return List.of(
                segment(neuronCount(), (i, out) -> {
                    int l = layerOfNeuron(neuronBase[0] + i);
                    relationship(out, layerBase + l, neuronBase[0] + i, "HAS_NEURON");
                }),
                segment(set.size(), (i, out) -> relationship(out, imageBase + i, imageCaptionBase + i, "HAS_CAPTION")),
                segment(activatesCount(), this::activates),
                segment(clusters.size(), (j, out) -> relationship(out,
                        levelBase + clusters.get((int) j).level() - 1, clusterBase + j, "CONTAINS")),
                segment(containsStart.length, (k, out) -> relationship(out,
                        containsStart[(int) k], containsEnd[(int) k], "CONTAINS")),
                segment(clusters.size(), (j, out) -> relationship(out,
                        clusterBase + j, clusterCaptionBase + j, "HAS_CAPTION")),
                segment(groups.usesCluster.length, this::uses),
                segment(groups.includesSet.length, (k, out) -> relationship(out,
                        differenceSetBase + groups.includesSet[(int) k],
                        neuronBase[groups.includesLayer[(int) k]] + groups.includesChannel[(int) k], "INCLUDES")),
                segment(groups.setCluster.length, (d, out) -> relationship(out,
                        differenceSetBase + d, clusterBase + groups.setParent[(int) d], "AGAINST")),
                segment(groups.setCluster.length, this::differsBy),
                segment(groups.setCluster.length, (d, out) -> relationship(out,
                        differenceSetBase + d, differenceCaptionBase + d, "HAS_CAPTION")));
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
        node(out, 0, "HmnMeta");
        out.property("generation", generation);
        out.property("top", options.top());
        out.property("support", options.support());
        out.property("mode", options.mode());
        out.property("layers", layers.toArray(new String[0]));
        out.property("images", set.size());
        out.property("levels", hierarchy.levels().size());
        out.property("createdAt", java.time.Instant.now().toString());
    }

    private void model(InputEntityVisitor out) {
        node(out, 1, "Model");
        out.property("name", run.name());
        out.property("weights", run.weights());
        out.property("randomWeights", run.randomWeights());
        if (run.engine() != null) {
            out.property("engine", run.engine());
        }
    }

    private void skippedImage(long i, InputEntityVisitor out) {
        String[] image = skipped.get((int) i);
        node(out, 2 + i, "Image");
        out.property("id", image[0]);
        out.property("skipped", image[1]);
    }

    private void layer(long l, InputEntityVisitor out) {
        String name = layers.get((int) l);
        node(out, layerBase + l, "Layer");
        out.property("name", name);
        out.property("channels", matrices.get((int) l).cols());
        out.property("property", GraphWriter.property(name));
        out.property("model", options.model());
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
        node(out, id, "Neuron");
        out.property("id", layers.get(l) + ":" + channel);
        out.property("layer", layers.get(l));
        out.property("index", channel);
    }

    private void level(long v, InputEntityVisitor out) {
        Hierarchy.Level level = hierarchy.levels().get((int) v);
        node(out, levelBase + v, "Level");
        out.property("number", level.number());
        out.property("clusters", level.clusters().size());
        out.property("synthetic", level.synthetic());
    }

    private void image(long row, InputEntityVisitor out) {
        int i = (int) row;
        node(out, imageBase + i, "Image");
        out.property("id", set.images().get(i));
        out.property("row", i);
        out.property("caption", set.captions()[i]);
        for (int l = 0; l < matrices.size(); l++) {
            out.property(GraphWriter.property(layers.get(l)), matrices.get(l).row(i));
        }
    }

    private void imageCaption(long row, InputEntityVisitor out) {
        int i = (int) row;
        node(out, imageCaptionBase + i, "Caption");
        out.property("id", "image:" + set.images().get(i));
        out.property("text", set.captions()[i]);
        out.property("kind", "image");
        out.property("source", captionSource());
        out.property("model", options.captionSource());
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
        relationship(out, imageBase + i, neuronBase[l] + channel, "ACTIVATES");
        out.property("value", matrices.get(l).get(i, channel));
        out.property("rank", rank + 1);
    }

    private void cluster(long j, InputEntityVisitor out) {
        Hierarchy.Cluster c = clusters.get((int) j);
        node(out, clusterBase + j, "Cluster");
        out.property("id", c.id());
        out.property("level", c.level());
        out.property("label", c.label());
        out.property("size", c.rows().length);
        out.property("caption", labelling.clusters().get(c.id()).text());
        out.property("synthetic", c.synthetic());
    }

    private void clusterCaption(long j, InputEntityVisitor out) {
        Hierarchy.Cluster c = clusters.get((int) j);
        hmn.labels.Label label = labelling.clusters().get(c.id());
        node(out, clusterCaptionBase + j, "Caption");
        out.property("id", "cluster:" + c.id());
        out.property("text", label.text());
        out.property("kind", c.level() == 1 ? "representative" : "generalisation");
        out.property("source", label.source());
        out.property("model", label.model());
        out.property("promptVersion", label.promptVersion());
        out.property("offlineDefault", label.offlineDefault());
    }

    private void uses(long index, InputEntityVisitor out) {
        int k = (int) index;
        int l = groups.usesLayer[k];
        relationship(out, clusterBase + groups.usesCluster[k], neuronBase[l] + groups.usesChannel[k], "USES");
        out.property("support", groups.usesSupport[k]);
        out.property("layer", layers.get(l));
    }

    private void differenceSet(long d, InputEntityVisitor out) {
        Hierarchy.Cluster child = clusters.get(groups.setCluster[(int) d]);
        node(out, differenceSetBase + d, "DifferenceSet");
        out.property("id", child.id());
        out.property("child", child.id());
        out.property("parent", child.parent());
        out.property("size", (long) groups.setSize[(int) d]);
        out.property("description", labelling.differences().get(child.id()).text());
    }

    private void differsBy(long d, InputEntityVisitor out) {
        Hierarchy.Cluster child = clusters.get(groups.setCluster[(int) d]);
        relationship(out, clusterBase + groups.setCluster[(int) d], differenceSetBase + d, "DIFFERS_BY");
        out.property("parent", child.parent());
        out.property("description", labelling.differences().get(child.id()).text());
    }

    private void differenceCaption(long d, InputEntityVisitor out) {
        Hierarchy.Cluster child = clusters.get(groups.setCluster[(int) d]);
        hmn.labels.Label label = labelling.differences().get(child.id());
        node(out, differenceCaptionBase + d, "Caption");
        out.property("id", "difference:" + child.id());
        out.property("text", label.text());
        out.property("kind", "difference");
        out.property("source", label.source());
        out.property("model", label.model());
        out.property("promptVersion", label.promptVersion());
        out.property("offlineDefault", label.offlineDefault());
    }
}
