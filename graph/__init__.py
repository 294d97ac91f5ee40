"""RDF graph: vocabulary, building, stores, lineage and SPARQL."""
