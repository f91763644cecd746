// Difference neurons that are significant: enriched in the child at q < 0.05 (Benjamini-Hochberg over the layer's
// neurons), with their contrast against the parent's other images and the p-value of that contrast.
MATCH (c:Cluster {level: 1})
CALL hmn.cluster.stats(c, {layer: 'layer4', groupOnly: true}) YIELD neuron, q, lift
WITH c, neuron, q, lift WHERE q < 0.05
CALL hmn.cluster.differenceNeurons(c, {layer: 'layer4'}) YIELD neuron AS difference, parent, contrast, p
WITH c, neuron, q, lift, parent, contrast, p WHERE difference = neuron
RETURN c.id AS cluster, parent, neuron, contrast, p, q, lift ORDER BY q, cluster, neuron LIMIT 20;
