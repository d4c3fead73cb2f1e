"""RDF: every IRI (``namespaces.py``), rdflib <-> Oxigraph terms (``terms.py``), the triples of a
document with evidence and provenance (``build.py``), and the published ``ontology.ttl``."""
