// The level-1 groups most specific to their concept: the highest median lift in layer4 (how much more often the
// group's neurons fire in the concept's images than in the collection), with held-out precision and stability.
MATCH (c:Cluster {level: 1})
CALL hmn.cluster.validity(c, {layer: 'layer4'}) YIELD groupSize, medianLift, heldOutPrecision, stability
WITH c, groupSize, medianLift, heldOutPrecision, stability WHERE groupSize > 0
RETURN c.id AS cluster, c.caption AS caption, groupSize, medianLift, heldOutPrecision, stability
ORDER BY medianLift DESC, cluster LIMIT 10;
