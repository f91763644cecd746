// A concept's children, each with what sets it apart from the parent and how many neurons that takes.
MATCH (parent:Cluster {id: 'L2-0'})-[:CONTAINS]->(child:Cluster)-[d:DIFFERS_BY]->(s:DifferenceSet)
RETURN child.id AS child, child.caption AS caption, d.description AS difference, s.size AS differenceNeurons
ORDER BY child;
