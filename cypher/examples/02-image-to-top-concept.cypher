// The path from an image up to its top-level concept, with each cluster's caption.
MATCH path = (top:Cluster)-[:CONTAINS*]->(image:Image {id: 'forest/img000.png'})
WHERE NOT (top)<-[:CONTAINS]-(:Cluster)
RETURN [n IN reverse(nodes(path)) | n.id] AS ids,
       [n IN reverse(nodes(path)) | n.caption] AS captions;
