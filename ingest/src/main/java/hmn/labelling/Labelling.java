package hmn.labelling;

import hmn.group.Hierarchy;
import hmn.labels.Label;
import hmn.labels.LabelRequest;
import hmn.labels.Labeller;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The language of the graph, level by level: each level-1 cluster's representative caption (from its images'
 * captions), each higher cluster's generalisation (from its children's captions), and each child's difference
 * description against its parent. The labeller is asked once per level, then once for every difference.
 *
 * @param clusters cluster id to its caption
 * @param differences child cluster id to the description of its difference from its parent
 */
public record Labelling(Map<String, Label> clusters, Map<String, Label> differences) {

    public static Labelling of(Hierarchy hierarchy, String[] imageCaptions, Labeller labeller) {
        Map<String, Label> clusters = new HashMap<>();
        Map<String, Label> differences = new HashMap<>();
        for (int level = 1; level <= hierarchy.levelCount(); level++) {
            int[] atLevel = hierarchy.clustersAt(level);
            List<LabelRequest> requests = new ArrayList<>(atLevel.length);
            for (int c : atLevel) {
                if (level == 1) {
                    int[] rows = hierarchy.rows(c);
                    List<String> captions = new ArrayList<>(rows.length);
                    for (int row : rows) {
                        captions.add(imageCaptions[row]);
                    }
                    requests.add(LabelRequest.representative(hierarchy.id(c), captions));
                } else {
                    int[] children = hierarchy.children(c);
                    List<String> captions = new ArrayList<>(children.length);
                    for (int child : children) {
                        captions.add(clusters.get(hierarchy.id(child)).text());
                    }
                    requests.add(LabelRequest.generalisation(hierarchy.id(c), captions));
                }
            }
            put(hierarchy, atLevel, labeller.label(requests), clusters, requests);
        }
        List<LabelRequest> requests = new ArrayList<>();
        List<Integer> children = new ArrayList<>();
        for (int level = 1; level <= hierarchy.levelCount(); level++) {
            for (int c : hierarchy.clustersAt(level)) {
                int parent = hierarchy.parent(c);
                if (parent >= 0) {
                    requests.add(LabelRequest.difference(
                            hierarchy.id(c),
                            clusters.get(hierarchy.id(c)).text(),
                            clusters.get(hierarchy.id(parent)).text()));
                    children.add(c);
                }
            }
        }
        put(
                hierarchy,
                children.stream().mapToInt(Integer::intValue).toArray(),
                labeller.label(requests),
                differences,
                requests);
        return new Labelling(Map.copyOf(clusters), Map.copyOf(differences));
    }

    private static void put(
            Hierarchy hierarchy,
            int[] clusters,
            List<Label> labels,
            Map<String, Label> into,
            List<LabelRequest> requests) {
        if (labels.size() != requests.size()) {
            throw new IllegalStateException(
                    "the labeller answered " + labels.size() + " labels for " + requests.size() + " requests");
        }
        for (int i = 0; i < clusters.length; i++) {
            into.put(hierarchy.id(clusters[i]), labels.get(i));
        }
    }
}
