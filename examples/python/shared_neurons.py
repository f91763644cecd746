"""Calls the hmn procedures from Python. Start the server first: ./hmn serve --db DIR

    pip install neo4j
    python shared_neurons.py [bolt://127.0.0.1:7687] [user] [password]
"""
import sys

from neo4j import GraphDatabase

url = sys.argv[1] if len(sys.argv) > 1 else "bolt://127.0.0.1:7687"
auth = (sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "") if len(sys.argv) > 2 else None

with GraphDatabase.driver(url, auth=auth) as driver:
    records, _, _ = driver.execute_query(
        """MATCH (c:Cluster {level: 1}) WITH c ORDER BY c.size DESC, c.id LIMIT 1
           CALL hmn.cluster.sharedNeurons(c, {layer: 'layer4'}) YIELD layer, neuron, support
           RETURN c.id AS cluster, c.caption AS caption, layer, neuron, support
           ORDER BY support DESC, neuron""")
    if not records:
        sys.exit("no level-1 cluster has a neuron group in layer4")
    print(f"cluster {records[0]['cluster']}: {records[0]['caption']}")
    for r in records:
        print(f"  {r['layer']}:{r['neuron']} support {r['support']:.2f}")

    neuron = records[0]["neuron"]
    concepts, _, _ = driver.execute_query(
        """CALL hmn.neuron.concepts('layer4', $neuron, {}) YIELD cluster, level, caption, support
           RETURN cluster, level, caption, support ORDER BY level, support DESC, cluster""",
        neuron=neuron)
    print(f"concepts using layer4:{neuron}: {len(concepts)}")
    for r in concepts:
        print(f"  level {r['level']} {r['cluster']} ({r['support']:.2f}): {r['caption']}")
