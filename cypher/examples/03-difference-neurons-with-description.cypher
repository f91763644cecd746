// The difference neurons between a cluster and its parent, with the description of the difference.
MATCH (child:Cluster {id: 'L1-3'})-[d:DIFFERS_BY]->(s:DifferenceSet)-[:AGAINST]->(parent:Cluster)
OPTIONAL MATCH (s)-[:INCLUDES]->(n:Neuron)
WITH child, parent, d, s, n ORDER BY n.layer, n.index
RETURN child.id AS cluster, parent.id AS parent, d.description AS description, s.size AS size,
       collect(n.id) AS neurons;
