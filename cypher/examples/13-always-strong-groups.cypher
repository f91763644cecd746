// Groups that are only the always-strong neurons: a median lift near 1 means the group's neurons fire as often in
// the whole collection as in the concept's images, so the group says little about the concept.
MATCH (c:Cluster {level: 1})
CALL hmn.cluster.validity(c, {layer: 'layer4'}) YIELD groupSize, medianLift
WITH c, groupSize, medianLift WHERE groupSize > 0 AND medianLift < 1.2
RETURN c.id AS cluster, groupSize, medianLift ORDER BY medianLift, cluster;
