// A cluster's shared neuron group, computed on demand (any top, support, mode or layer).
CALL hmn.cluster.sharedNeurons('L1-3', {layer: 'layer4'}) YIELD layer, neuron, support
RETURN layer, neuron, support ORDER BY support DESC, neuron;
