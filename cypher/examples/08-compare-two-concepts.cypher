// Two concepts side by side: neurons both use, and those only one of them uses.
CALL hmn.cluster.compare('L1-0', 'L1-1', {layer: 'layer4'}) YIELD layer, neuron, side
RETURN side, count(*) AS neurons, collect(neuron) AS channels ORDER BY side;
