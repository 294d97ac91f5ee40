"""Lineage: which earlier documents and commitments a document or commitment derives from, and why."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
from rdflib import Dataset

from corpus.errors import NotFound
from graph.namespaces import RELATION_LABELS, sparql_prologue

EDGES = """
SELECT ?s ?o ?rel ?conf ?quote ?page ?src WHERE {
  ?s prov:qualifiedDerivation ?d . ?d prov:entity ?o ; pg:relation ?rel ; pg:confidence ?conf ; pg:evidence ?e .
  ?e oa:hasSource ?src ; oa:hasSelector ?q . ?q oa:exact ?quote .
  OPTIONAL { ?e oa:hasSelector ?f . ?f rdf:value ?page }
}"""
NODES = """
SELECT ?node ?kind ?id ?label ?date ?doc WHERE {
  { ?node a pg:Document ; dcterms:identifier ?id ; dcterms:title ?label ; pg:issuedOn ?date .
    BIND("document" AS ?kind) BIND(?id AS ?doc) }
  UNION
  { ?node a pg:Commitment ; dcterms:identifier ?id ; rdf:value ?label ; pg:inDocument ?d .
    ?d pg:issuedOn ?date ; dcterms:identifier ?doc . BIND("commitment" AS ?kind) }
}"""


@dataclass(frozen=True, slots=True)
class Evidence:
    sentence: str
    page: int | None
    source: str  # id of the document that states it


@dataclass(frozen=True, slots=True)
class Node:
    iri: str
    kind: str  # document | commitment
    id: str
    label: str
    date: str
    document: str

    @property
    def year(self) -> int:
        return int(self.date[:4])


@dataclass(frozen=True, slots=True)
class Link:
    source: Node  # the later, derived entity
    target: Node  # what it derives from
    relation: str
    confidence: float
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class Trace:
    root: Node
    ancestors: tuple[Node, ...]  # newest first
    links: tuple[Link, ...]  # every derivation among the root and its ancestors
    descendants: tuple[Node, ...]


def load_lineage(dataset: Dataset) -> nx.DiGraph:
    """Read every qualified derivation into a directed graph (derived -> source), once at start-up."""
    graph = nx.DiGraph()
    for row in dataset.query(sparql_prologue() + NODES):
        graph.add_node(str(row.node), info=Node(str(row.node), str(row.kind), str(row.id), str(row.label),
                                                str(row.date), str(row.doc)))
    for row in dataset.query(sparql_prologue() + EDGES):
        s, o = str(row.s), str(row.o)
        if s not in graph or o not in graph:
            continue
        data = graph.get_edge_data(s, o) or {"relations": {}, "evidence": {}}
        rel = RELATION_LABELS.get(str(row.rel), str(row.rel))
        data["relations"][rel] = max(float(row.conf), data["relations"].get(rel, 0.0))
        source = graph.nodes[str(row.src)]["info"].id if str(row.src) in graph else ""
        page = int(str(row.page).split("=")[1]) if row.page else None
        data["evidence"][(str(row.quote), page, source)] = None
        graph.add_edge(s, o, **data)
    return graph


def node_for(graph: nx.DiGraph, ident: str) -> str:
    """Find a node by document id, commitment id or IRI.

    :raises NotFound: when nothing in the lineage graph has that id.
    """
    if ident in graph:
        return ident
    for iri, data in graph.nodes(data=True):
        if data["info"].id == ident:
            return iri
    raise NotFound(f"no document or commitment with id {ident!r}")


def trace_lineage(graph: nx.DiGraph, ident: str) -> Trace:
    """Everything a document or commitment derives from, newest first, with the evidence for each link."""
    root = node_for(graph, ident)
    ancestors = nx.descendants(graph, root)
    members = ancestors | {root}
    links = [make_link(graph, s, o) for s, o in graph.edges(members) if o in members]
    # the root's own links first, then each ancestor's, newest first
    links.sort(key=lambda link: (link.source.iri != root, -link.source.year, link.source.label, -link.target.year))
    info = lambda iri: graph.nodes[iri]["info"]  # noqa: E731
    by_date = lambda n: (n.date, n.label)  # noqa: E731
    return Trace(info(root), tuple(sorted((info(a) for a in ancestors), key=by_date, reverse=True)),
                 tuple(links), tuple(sorted((info(d) for d in nx.ancestors(graph, root)), key=by_date)))


def make_link(graph: nx.DiGraph, s: str, o: str) -> Link:
    data = graph.edges[s, o]
    relation, confidence = max(data["relations"].items(), key=lambda kv: kv[1])
    evidence = tuple(Evidence(*key) for key in data["evidence"])
    others = sorted(r for r in data["relations"] if r != relation)
    label = relation + (f" (also {', '.join(others)})" if others else "")
    return Link(graph.nodes[s]["info"], graph.nodes[o]["info"], label, confidence, evidence)


def chains(trace: Trace) -> list[list[Node]]:
    """Every path from the root back to an origin (a node that derives from nothing here)."""
    targets: dict[str, list[Node]] = {}
    for link in trace.links:
        targets.setdefault(link.source.iri, []).append(link.target)
    out: list[list[Node]] = []

    def walk(path: list[Node]) -> None:
        nexts = [n for n in targets.get(path[-1].iri, []) if n not in path]
        if not nexts:
            out.append(path)
        for node in nexts:
            walk(path + [node])

    walk([trace.root])
    return out
