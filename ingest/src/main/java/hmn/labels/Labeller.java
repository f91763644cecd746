package hmn.labels;

import java.util.List;

/**
 * Writes the language of the graph: a level-1 cluster's representative caption, a higher cluster's
 * generalisation of its children's captions, and a child's difference description against its parent.
 *
 * <p>Implementations: the offline extractive summariser (the default) and LLM-backed labellers. A call labels a
 * batch so that implementations may run requests concurrently; the answer keeps the order of the requests.
 */
public interface Labeller {
    List<Label> label(List<LabelRequest> requests);
}
