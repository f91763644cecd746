// Which concepts use neuron 412 of layer4, computed on demand (agrees with the USES edges for the defaults).
CALL hmn.neuron.concepts('layer4', 412, {}) YIELD cluster, level, caption, support
RETURN cluster, level, caption, support ORDER BY level, cluster;
