// Calls the hmn procedures from JavaScript. Start the server first: ./hmn serve --db DIR
// Usage: node shared-neurons.mjs [bolt://127.0.0.1:7687] [user] [password]
import neo4j from 'neo4j-driver';

const url = process.argv[2] ?? 'bolt://127.0.0.1:7687';
const auth = process.argv[3] ? neo4j.auth.basic(process.argv[3], process.argv[4] ?? '') : undefined;
const driver = neo4j.driver(url, auth, { disableLosslessIntegers: true });

try {
  const session = driver.session();
  // The largest level-1 cluster, its caption and its neuron group in layer4.
  const group = await session.run(
    `MATCH (c:Cluster {level: 1}) WITH c ORDER BY c.size DESC, c.id LIMIT 1
     CALL hmn.cluster.sharedNeurons(c, {layer: 'layer4'}) YIELD layer, neuron, support
     RETURN c.id AS cluster, c.caption AS caption, layer, neuron, support
     ORDER BY support DESC, neuron`);
  if (group.records.length === 0) {
    throw new Error('no level-1 cluster has a neuron group in layer4');
  }
  const first = group.records[0];
  console.log(`cluster ${first.get('cluster')}: ${first.get('caption')}`);
  for (const r of group.records) {
    console.log(`  ${r.get('layer')}:${r.get('neuron')} support ${r.get('support').toFixed(2)}`);
  }
  // Which concepts use the cluster's strongest neuron?
  const neuron = first.get('neuron');
  const concepts = await session.run(
    `CALL hmn.neuron.concepts('layer4', $neuron, {}) YIELD cluster, level, caption, support
     RETURN cluster, level, caption, support ORDER BY level, support DESC, cluster`, { neuron });
  console.log(`concepts using layer4:${neuron}: ${concepts.records.length}`);
  for (const r of concepts.records) {
    console.log(`  level ${r.get('level')} ${r.get('cluster')} (${r.get('support').toFixed(2)}): ${r.get('caption')}`);
  }
  await session.close();
} finally {
  await driver.close();
}
