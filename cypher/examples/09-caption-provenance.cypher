// Where a cluster's caption came from: the writer (extractive summariser or LLM), its model and prompt version.
MATCH (c:Cluster {id: 'L2-0'})-[:HAS_CAPTION]->(k:Caption)
RETURN c.id AS cluster, k.text AS caption, k.kind AS kind, k.source AS source, k.model AS model,
       k.promptVersion AS promptVersion, k.offlineDefault AS offlineDefault;
