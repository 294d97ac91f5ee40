"""Lineage: which earlier documents and commitments a document or commitment derives from, and why."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import networkx as nx
from rdflib import Dataset

from corpus.errors import NotFound
from graph.namespaces import RELATION_LABELS, sparql_prologue

# The OPTIONALs come last: between two groups of triple patterns, Oxigraph evaluated the second group
# apart from the first, and 10,000 commitments took over 25 minutes instead of 1.4 s (python -m bench scale).
EDGES = """
SELECT ?s ?o ?rel ?conf ?quote ?page ?src ?by WHERE {
  ?s prov:qualifiedDerivation ?d . ?d prov:entity ?o ; pg:relation ?rel ; pg:confidence ?conf ; pg:evidence ?e .
  ?e oa:hasSource ?src ; oa:hasSelector ?q . ?q oa:exact ?quote .
  OPTIONAL { ?d pg:assertedBy ?by }
  OPTIONAL { ?e oa:hasSelector ?f . ?f rdf:value ?page }
}"""
DRIFT = """
SELECT ?s ?o ?aspect ?before ?after WHERE {
  ?s prov:qualifiedDerivation ?d . ?d prov:entity ?o ; pg:drift ?x . ?x pg:aspect ?aspect ; pg:before ?before ;
  pg:after ?after .
}"""
NODES = """
SELECT ?node ?kind ?id ?label ?date ?doc ?section ?type WHERE {
  { ?node a pg:Document ; dcterms:identifier ?id ; dcterms:title ?label ; pg:issuedOn ?date .
    BIND("document" AS ?kind) BIND(?id AS ?doc) }
  UNION
  { ?node a pg:Commitment ; dcterms:identifier ?id ; rdf:value ?label ; pg:inDocument ?d ; pg:statedIn ?section ;
      dcterms:type ?type .
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
    section: str = ""  # IRI of the section a commitment is stated in
    priority: bool = False  # a named priority or ambition, whose section lists the actions it includes

    @property
    def year(self) -> int:
        return int(self.date[:4])


@dataclass(frozen=True, slots=True)
class Drift:
    aspect: str  # deadline | target | actor | population
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class Link:
    source: Node  # the later, derived entity
    target: Node  # what it derives from
    relation: str
    confidence: float
    evidence: tuple[Evidence, ...]  # the later side's sentence first
    drift: tuple[Drift, ...] = ()
    suggested: bool = False  # made by the linker and not yet confirmed by a curator


STATED_IN = "is stated in"  # not a derivation: where a chain of commitments continues through its document
INCLUDES = "includes"  # not a derivation: a priority and the actions listed under it, whose lineage is its own
STRUCTURE = (STATED_IN, INCLUDES)


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
                                                str(row.date), str(row.doc), str(row.section or ""),
                                                str(row.type or "").endswith("#Priority")))
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
        data["suggested"] = str(row.by or "").endswith("/run/linker")  # a curator has not yet confirmed it
        graph.add_edge(s, o, **data)
    for row in dataset.query(sparql_prologue() + DRIFT):
        if graph.has_edge(str(row.s), str(row.o)):
            graph.edges[str(row.s), str(row.o)].setdefault("drift", {})[
                (str(row.aspect), str(row.before), str(row.after))] = None
    indexes(graph)
    return graph


def indexes(graph: nx.DiGraph) -> dict[str, dict]:
    """Nodes by id, documents by id, and commitments by (document, section IRI), kept with the graph.

    A scan of every node took 100 ms a trace at 100,000 commitments. `load_lineage` makes them, so that
    they are pickled with a build's graph and shared by the server's workers; a graph made otherwise gets
    them on first use. The graph is not changed once loaded, so they never go stale.
    """
    if "ids" not in graph.graph:
        sections = defaultdict(list)
        for n, data in graph.nodes(data=True):
            if data["info"].kind == "commitment":
                sections[data["info"].document, data["info"].section].append(n)
        graph.graph.update(
            ids={data["info"].id: iri for iri, data in graph.nodes(data=True)},
            documents={data["info"].id: iri for iri, data in graph.nodes(data=True) if data["info"].kind == "document"},
            sections=dict(sections))
    return graph.graph


def node_for(graph: nx.DiGraph, ident: str) -> str:
    """Find a node by document id, commitment id or IRI.

    :raises NotFound: when nothing in the lineage graph has that id.
    """
    if ident in graph:
        return ident
    ids = indexes(graph)["ids"]
    if ident in ids:
        return ids[ident]
    raise NotFound(f"no document or commitment with id {ident!r}")


def trace_lineage(graph: nx.DiGraph, ident: str) -> Trace:
    """Everything a document or commitment derives from, newest first, with the evidence for each link.

    Where a chain of commitments ends (nothing earlier is linked to the oldest one), the chain
    goes on through that commitment's document, whose own lineage may reach further back.
    """
    root = node_for(graph, ident)
    info = lambda iri: graph.nodes[iri]["info"]  # noqa: E731
    parts = actions_of(graph, root)
    ancestors = nx.descendants(graph, root).union(*(nx.descendants(graph, p) | {p} for p in parts))
    # an action with no lineage of its own ends there: its document is the priority's, already in view
    hops = [(c, doc_iri(graph, c)) for c in (ancestors | {root}) - set(parts)
            if info(c).kind == "commitment" and not any(True for _ in graph.successors(c))]
    hops = [(c, d) for c, d in hops if d and d != root]
    for _, doc in hops:
        ancestors |= {doc} | nx.descendants(graph, doc)
    ancestors.discard(root)
    members = ancestors | {root}
    links = [make_link(graph, s, o) for s, o in graph.edges(members) if o in members]
    links += [Link(info(c), info(d), STATED_IN, 1.0, ()) for c, d in hops]
    links += [Link(info(root), info(p), INCLUDES, 1.0, ()) for p in parts]
    # the root's own links first, then each ancestor's, newest first
    links.sort(key=lambda link: (link.source.iri != root, -link.source.year, link.source.label, -link.target.year))
    by_date = lambda n: (n.date, n.label)  # noqa: E731
    return Trace(info(root), tuple(sorted((info(a) for a in ancestors), key=by_date, reverse=True)),
                 tuple(links), tuple(sorted((info(d) for d in nx.ancestors(graph, root)), key=by_date)))


def actions_of(graph: nx.DiGraph, iri: str) -> list[str]:
    """The commitments stated in a priority's own section: the actions it includes."""
    node = graph.nodes[iri]["info"]
    if not node.priority or not node.section:
        return []
    return [n for n in indexes(graph)["sections"].get((node.document, node.section), ()) if n != iri]


def derived_from(graph: nx.DiGraph, ident: str) -> set[str]:
    """The ids of everything a node derives from, by derivations alone (what prov:wasDerivedFrom+ answers)."""
    return {graph.nodes[n]["info"].id for n in nx.descendants(graph, node_for(graph, ident))}


def paths_between(graph: nx.DiGraph, later: str, earlier: str, limit: int = 20) -> list[list[Node]]:
    """How `later` derives from `earlier`: up to `limit` paths of derivations, shortest first.

    :raises NotFound: when either id is unknown.
    """
    source, target = node_for(graph, later), node_for(graph, earlier)
    found = nx.shortest_simple_paths(graph, source, target) if nx.has_path(graph, source, target) else iter(())
    return [[graph.nodes[n]["info"] for n in path] for _, path in zip(range(limit), found, strict=False)]


def doc_iri(graph: nx.DiGraph, commitment: str) -> str | None:
    """The IRI of the document a commitment is stated in (node ids are IRIs; documents know their id)."""
    return indexes(graph)["documents"].get(graph.nodes[commitment]["info"].document)


def make_link(graph: nx.DiGraph, s: str, o: str) -> Link:
    data = graph.edges[s, o]
    relation, confidence = max(data["relations"].items(), key=lambda kv: kv[1])
    source, target = graph.nodes[s]["info"], graph.nodes[o]["info"]
    evidence = sorted((Evidence(*key) for key in data["evidence"]), key=lambda e: e.source != source.document)
    others = sorted(r for r in data["relations"] if r != relation)
    label = relation + (f" (also {', '.join(others)})" if others else "")
    drift = tuple(Drift(*key) for key in data.get("drift", ()))
    return Link(source, target, label, confidence, tuple(evidence), drift, bool(data.get("suggested")))


def chains(trace: Trace) -> list[list[Node]]:
    """One path from the root back to each origin (a node that derives from nothing here), oldest origin first.

    Of the paths to one origin, the one through most commitments wins (it says most about where the
    words came from), then the shortest: each hop between whole documents is a document's own word
    that it builds on another, and a detour through more of them says less about this root.
    """
    targets: dict[str, list[Node]] = {}
    for link in trace.links:
        targets.setdefault(link.source.iri, []).append(link.target)
    best: dict[str, list[Node]] = {}

    def walk(path: list[Node]) -> None:
        nexts = [n for n in targets.get(path[-1].iri, []) if n not in path]
        dead_end = path[-1].kind == "commitment" and path[-1].document == trace.root.document  # an action, no more
        if not nexts and len(path) > 1 and not dead_end:
            key = lambda p: (sum(n.kind == "commitment" for n in p), -len(p))  # noqa: E731
            if path[-1].iri not in best or key(path) > key(best[path[-1].iri]):
                best[path[-1].iri] = path
        for node in nexts:
            walk(path + [node])

    walk([trace.root])
    return sorted(best.values(), key=lambda p: (p[-1].date, -len(p)))


def format_trace(trace: Trace) -> str:
    """A trace as plain text for the terminal: the chains back to the origins, then every link's evidence."""
    short = lambda n: f"{n.label if len(n.label) <= 70 else n.label[:69] + '…'} ({n.document} {n.year})"  # noqa: E731
    lines = [f"{trace.root.label} ({trace.root.year})"]
    if not trace.links:
        return lines[0] + "\n  derives from nothing in the graph"
    lines.append("\nChains back to the origins:")
    relation = {(k.source.iri, k.target.iri): k.relation for k in trace.links}
    for number, chain in enumerate(chains(trace), 1):
        steps = [f"\n     <- [{relation[(a.iri, b.iri)]}] {short(b)}" for a, b in zip(chain, chain[1:], strict=False)]
        lines.append(f"  {number}. {short(chain[0])}" + "".join(steps))
    lines.append("\nLinks and their evidence:")
    for link in (k for k in trace.links if k.relation not in STRUCTURE):
        lines.append(f"\n  {short(link.source)}\n    {link.relation} -> {short(link.target)}"
                     f"  [confidence {link.confidence:.2f}]")
        lines += [f"      evidence ({e.source}{f', p. {e.page}' if e.page else ''}): {e.sentence}"
                  for e in link.evidence]
        lines += [f"      changed {d.aspect}: {d.before} -> {d.after}" for d in link.drift]
    return "\n".join(lines)
