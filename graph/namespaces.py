"""Namespaces used across the graph. pg: is fixed; the instance base is configurable."""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SDO, SKOS, XSD

PG = Namespace("https://w3id.org/policygraph/ns#")
FABIO = Namespace("http://purl.org/spar/fabio/")
DOCO = Namespace("http://purl.org/spar/doco/")
CITO = Namespace("http://purl.org/spar/cito/")
OA = Namespace("http://www.w3.org/ns/oa#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
SCHEMA = SDO
DEFAULT_BASE = "https://w3id.org/policygraph/id/"

PREFIXES = {
    "pg": PG, "prov": PROV, "dcterms": DCTERMS, "skos": SKOS, "org": ORG, "schema": SCHEMA,
    "fabio": FABIO, "doco": DOCO, "cito": CITO, "oa": OA, "eli": ELI, "rdf": RDF, "rdfs": RDFS, "xsd": XSD,
}

# relation slug (as extracted) -> the pg: property asserted, and what is materialised beside it
RELATIONS = {
    "builds-on": PG.buildsOn,
    "implements": PG.implements,
    "responds-to": PG.respondsTo,
    "refreshes": PG.refreshes,
    "supersedes": PG.supersedes,
    "restates": PG.reaffirms,  # across documents; pg:restates is a summary's short form within one
    "strengthens": PG.strengthens,
    "weakens": PG.weakens,
    "narrows": PG.narrows,
    "broadens": PG.broadens,
}
MATERIALISE = {
    PG.buildsOn: (PROV.wasDerivedFrom,),
    PG.implements: (PROV.wasDerivedFrom,),
    PG.respondsTo: (PROV.wasDerivedFrom,),
    PG.refreshes: (PROV.wasRevisionOf, PROV.wasDerivedFrom),
    PG.supersedes: (PROV.wasRevisionOf, DCTERMS.replaces, PROV.wasDerivedFrom),
    PG.reaffirms: (PROV.wasDerivedFrom,),
    PG.strengthens: (PROV.wasDerivedFrom,),
    PG.weakens: (PROV.wasDerivedFrom,),
    PG.narrows: (PROV.wasDerivedFrom,),
    PG.broadens: (PROV.wasDerivedFrom,),
}
RELATION_LABELS = {
    str(PG.buildsOn): "builds on", str(PG.implements): "implements", str(PG.respondsTo): "responds to",
    str(PG.refreshes): "refreshes", str(PG.supersedes): "supersedes", str(CITO.cites): "cites",
    str(PG.reaffirms): "restates", str(PG.strengthens): "strengthens", str(PG.weakens): "weakens",
    str(PG.narrows): "narrows", str(PG.broadens): "broadens",
}


def sparql_prologue() -> str:
    """PREFIX lines for every vocabulary we use, predeclared for users' queries."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
