"""What each page shows, composed from the catalogue and the lineage graph: one call per page."""

from __future__ import annotations

from dataclasses import dataclass

from graph.catalog import CommitmentRow, DocumentSummary, DocumentView, document_outline
from graph.datadir import Data
from graph.lineage import Link, Node, Trace, chains, make_link, node_for, trace_lineage


@dataclass(frozen=True, slots=True)
class Overview:
    documents: tuple[DocumentSummary, ...]
    priorities: tuple[CommitmentRow, ...]  # those of the newest document that has priorities
    priorities_of: DocumentSummary | None
    commitments: int
    links: int


@dataclass(frozen=True, slots=True)
class DocumentPage:
    view: DocumentView
    builds_on: tuple[Link, ...]  # its own outgoing links
    built_on_by: tuple[Link, ...]  # links from later documents to it
    sparql: str = ""  # the query behind the page


@dataclass(frozen=True, slots=True)
class CommitmentPage:
    commitment: CommitmentRow
    trace: Trace | None  # the commitment's own lineage, if it has any
    document_trace: Trace  # its document's lineage, for context
    descendants: tuple[Node, ...] = ()  # later commitments and documents that derive from it
    sparql: str = ""  # the query behind the page
    citation: str = ""  # who said it, when, where: ready to paste into a briefing


@dataclass(frozen=True, slots=True)
class LineagePage:
    trace: Trace
    chains: tuple[tuple[Node, ...], ...]
    years: tuple[tuple[str, tuple[Node, ...]], ...]  # columns of the diagram, origins first, headed by years
    positions: dict[str, tuple[int, int]]  # node IRI -> (x, y) of its box in the SVG diagram
    size: tuple[int, int]
    labels: dict[str, tuple[str, str]]  # node IRI -> the two lines written in its box
    diagram: Trace | None = None  # what the diagram draws: the nodes and links on the chains
    sparql: str = ""  # the query behind the page


COLUMN, ROW, BOX_W, BOX_H = 230, 70, 200, 50

# "Show the SPARQL behind this page": a query a reader can run and adapt for what each page shows
BEHIND_DOCUMENT = """SELECT ?commitment ?text ?page ?deadline WHERE {{
  ?commitment pg:inDocument <{iri}> ; rdf:value ?text .
  OPTIONAL {{ ?commitment schema:pageStart ?page }} OPTIONAL {{ ?commitment pg:deadline ?deadline }}
}} ORDER BY ?page"""
BEHIND_COMMITMENT = """SELECT ?relation ?earlier ?confidence ?quote ?page WHERE {{
  <{iri}> prov:qualifiedDerivation ?d .
  ?d prov:entity ?earlier ; pg:relation ?relation ; pg:confidence ?confidence ; pg:evidence ?e .
  ?e oa:hasSelector/oa:exact ?quote . OPTIONAL {{ ?e oa:hasSelector/rdf:value ?page }}
}} ORDER BY DESC(?confidence)"""
BEHIND_LINEAGE = """SELECT ?later ?relation ?earlier ?year WHERE {{
  <{iri}> prov:wasDerivedFrom* ?later .
  ?later prov:qualifiedDerivation ?d . ?d prov:entity ?earlier ; pg:relation ?relation .
  OPTIONAL {{ ?earlier pg:issuedOn|pg:inDocument/pg:issuedOn ?issued }} BIND(YEAR(?issued) AS ?year)
}} ORDER BY DESC(?year)"""


def overview(data: Data) -> Overview:
    documents = tuple(data.catalogue.documents())
    priorities = data.catalogue.priorities()
    newest = next((d for d in reversed(documents) if any(p.document == d.id for p in priorities)), None)
    mine = tuple(p for p in priorities if newest and p.document == newest.id)
    return Overview(documents, mine, newest, sum(d.commitments for d in documents),
                    data.lineage.number_of_edges())


def document_page(data: Data, doc_id: str) -> DocumentPage:
    summary = data.catalogue.document(doc_id)
    view = document_outline(data.dataset, summary, data.catalogue.commitments_in(doc_id))
    node = node_for(data.lineage, view.summary.iri)
    graph = data.lineage
    out = tuple(make_link(graph, node, o) for o in graph.successors(node))
    into = tuple(make_link(graph, s, node) for s in graph.predecessors(node)
                 if graph.nodes[s]["info"].kind == "document")
    return DocumentPage(view, out, into, BEHIND_DOCUMENT.format(iri=view.summary.iri))


def commitment_page(data: Data, commitment_id: str) -> CommitmentPage:
    commitment = data.catalogue.commitment(commitment_id)
    own = trace_lineage(data.lineage, commitment.iri) if commitment.iri in data.lineage else None
    later = own.descendants if own else ()
    if own is not None and not own.links:
        own = None
    return CommitmentPage(commitment, own, trace_lineage(data.lineage, commitment.document), later,
                          BEHIND_COMMITMENT.format(iri=commitment.iri),
                          citation(commitment, data.catalogue.document(commitment.document)))


def citation(commitment: CommitmentRow, document: DocumentSummary) -> str:
    """Publishers (year) Title, section, page. Address: an author-date reference to the official text."""
    publishers = [p.strip() for p in document.publishers.split(";") if p.strip()]
    by = ", ".join(publishers[:-1]) + " and " + publishers[-1] if len(publishers) > 1 else "".join(publishers)
    where = "".join([f", section {commitment.section}" if commitment.section else "",
                     f", p. {commitment.page}" if commitment.page else ""])
    year = f" ({document.issued[:4]})" if document.issued else ""
    return f"{by or 'Unknown publisher'}{year} {document.title}{where}." + (f" {document.url}" if document.url else "")


def lineage_page(data: Data, ident: str) -> LineagePage:
    trace = trace_lineage(data.lineage, ident)
    routes = tuple(tuple(c) for c in chains(trace)[:50])
    shown = on_chains(trace, routes)
    layers = layer_nodes(shown)
    positions = {node.iri: (20 + col * COLUMN, 40 + ROW + row * ROW)
                 for col, (_, nodes) in enumerate(layers) for row, node in enumerate(nodes)}
    size = (40 + len(layers) * COLUMN, 60 + (1 + max((len(n) for _, n in layers), default=0)) * ROW)
    labels = {n.iri: box_lines(n.label.split(":")[0] if n.kind == "document" and len(n.label) > 60 else n.label)
              for n in (trace.root, *trace.ancestors)}
    return LineagePage(trace, routes, layers, positions, size, labels, shown, BEHIND_LINEAGE.format(iri=trace.root.iri))


def on_chains(trace: Trace, routes: tuple[tuple[Node, ...], ...]) -> Trace:
    """The part of a trace the diagram draws: the chains back to the origins, not every cross-link."""
    steps = {(a.iri, b.iri) for route in routes for a, b in zip(route, route[1:], strict=False)}
    nodes = {n.iri for route in routes for n in route}
    return Trace(trace.root, tuple(n for n in trace.ancestors if n.iri in nodes),
                 tuple(k for k in trace.links if (k.source.iri, k.target.iri) in steps), trace.descendants)


def layer_nodes(trace: Trace) -> tuple[tuple[str, tuple[Node, ...]], ...]:
    """Columns for the diagram: one per year, oldest on the left, the root on the right.

    Where a node derives from another of the same year, it moves one sub-column to the right,
    so that no arrow joins two boxes of one column.
    """
    same_year: dict[str, list[str]] = {}
    for link in trace.links:
        if link.source.year == link.target.year:
            same_year.setdefault(link.source.iri, []).append(link.target.iri)
    depth: dict[str, int] = {}

    def depth_of(iri: str, seen: frozenset = frozenset()) -> int:
        if iri not in depth:
            parents = [t for t in same_year.get(iri, []) if t not in seen]
            depth[iri] = 1 + max((depth_of(t, seen | {iri}) for t in parents), default=-1)
        return depth[iri]

    columns: dict[tuple[int, int], list[Node]] = {}
    for node in (trace.root, *trace.ancestors):
        columns.setdefault((node.year, depth_of(node.iri)), []).append(node)
    return tuple((str(year), tuple(sorted(columns[(year, d)], key=lambda n: (n.date, n.label))))
                 for year, d in sorted(columns))


def box_lines(label: str, width: int = 30) -> tuple[str, str]:
    """A label on at most two lines of a diagram box, broken between words."""
    words, first = label.split(), ""
    while words and len(f"{first} {words[0]}".strip()) <= width:
        first = f"{first} {words.pop(0)}".strip()
    rest = " ".join(words)
    return first or label[:width], (rest if len(rest) <= width else rest[: width - 1] + "…")
