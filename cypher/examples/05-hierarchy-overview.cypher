// The levels of the hierarchy: how many clusters each holds and whether it is the synthetic root.
MATCH (l:Level)-[:CONTAINS]->(c:Cluster)
RETURN l.number AS level, l.synthetic AS synthetic, count(c) AS clusters, sum(c.size) AS images
ORDER BY level;
