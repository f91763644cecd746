// The layer4 neurons used by the most level-1 concepts (broad, unspecific neurons).
MATCH (c:Cluster {level: 1})-[:USES]->(n:Neuron {layer: 'layer4'})
WITH n, count(c) AS concepts
RETURN n.id AS neuron, concepts ORDER BY concepts DESC, n.index LIMIT 10;
