// Which concepts use neuron 412 of layer4? (the materialised groups; one line)
MATCH (c:Cluster)-[u:USES]->(:Neuron {id: 'layer4:412'}) RETURN c.id AS cluster, c.level AS level, c.caption AS caption, u.support AS support ORDER BY level, cluster;
