package hmn.graph;

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
 * description against its parent.
 *
 * @param clusters cluster id to its caption
 * @param differences child cluster id to the description of its difference from its parent
 */
public record Labelling(Map<String, Label> clusters, Map<String, Label> differences) {

    public static Labelling of(Hierarchy hierarchy, String[] imageCaptions, Labeller labeller) {
        Map<String, Label> clusters = new HashMap<>();
        Map<String, Label> differences = new HashMap<>();
        for (Hierarchy.Level level : hierarchy.levels()) {
            List<LabelRequest> requests = new ArrayList<>(level.clusters().size());
            for (Hierarchy.Cluster c : level.clusters()) {
                if (level.number() == 1) {
                    List<String> captions = new ArrayList<>(c.rows().length);
                    for (int row : c.rows()) {
                        captions.add(imageCaptions[row]);
                    }
                    requests.add(LabelRequest.representative(c.id(), captions));
                } else {
                    List<String> captions = new ArrayList<>(c.children().size());
                    for (String child : c.children()) {
                        captions.add(clusters.get(child).text());
                    }
                    requests.add(LabelRequest.generalisation(c.id(), captions));
                }
            }
            put(level.clusters(), labeller.label(requests), clusters, requests);
        }
        List<LabelRequest> requests = new ArrayList<>();
        List<Hierarchy.Cluster> children = new ArrayList<>();
        for (Hierarchy.Level level : hierarchy.levels()) {
            for (Hierarchy.Cluster c : level.clusters()) {
                if (c.parent() != null) {
                    requests.add(LabelRequest.difference(c.id(), clusters.get(c.id()).text(),
                            clusters.get(c.parent()).text()));
                    children.add(c);
                }
            }
        }
        put(children, labeller.label(requests), differences, requests);
        return new Labelling(Map.copyOf(clusters), Map.copyOf(differences));
    }

    private static void put(List<Hierarchy.Cluster> clusters, List<Label> labels, Map<String, Label> into,
            List<LabelRequest> requests) {
        if (labels.size() != requests.size()) {
            throw new IllegalStateException("the labeller answered " + labels.size() + " labels for "
                    + requests.size() + " requests");
        }
        for (int i = 0; i < clusters.size(); i++) {
            into.put(clusters.get(i).id(), labels.get(i));
        }
    }
}
