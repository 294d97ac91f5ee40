"""What each page shows, composed from the catalogue and the lineage graph: one call per page."""

from __future__ import annotations

from dataclasses import dataclass

from graph.catalog import (
    CommitmentRow,
    DocumentSummary,
    DocumentView,
    get_commitment,
    get_document,
    list_documents,
    list_priorities,
)
from graph.datadir import Data
from graph.lineage import Link, Node, Trace, chains, node_for, trace_lineage


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


@dataclass(frozen=True, slots=True)
class CommitmentPage:
    commitment: CommitmentRow
    trace: Trace | None  # the commitment's own stated lineage, if it has any
    document_trace: Trace  # its document's lineage, for context


@dataclass(frozen=True, slots=True)
class LineagePage:
    trace: Trace
    chains: tuple[tuple[Node, ...], ...]
    years: tuple[tuple[int, tuple[Node, ...]], ...]  # layers for the diagram, oldest first
    positions: dict[str, tuple[int, int]]  # node IRI -> (x, y) of its box in the SVG diagram
    size: tuple[int, int]


COLUMN, ROW, BOX_W, BOX_H = 230, 70, 200, 50


def overview(data: Data) -> Overview:
    documents = tuple(list_documents(data.dataset))
    priorities = list_priorities(data.dataset)
    newest = next((d for d in reversed(documents) if any(p.document == d.id for p in priorities)), None)
    mine = tuple(p for p in priorities if newest and p.document == newest.id)
    return Overview(documents, mine, newest, sum(d.commitments for d in documents),
                    data.lineage.number_of_edges())


def document_page(data: Data, doc_id: str) -> DocumentPage:
    view = get_document(data.dataset, doc_id)
    node = node_for(data.lineage, view.summary.iri)
    graph = data.lineage
    out = tuple(_link(data, node, o) for o in graph.successors(node))
    into = tuple(_link(data, s, node) for s in graph.predecessors(node)
                 if graph.nodes[s]["info"].kind == "document")
    return DocumentPage(view, out, into)


def _link(data: Data, s: str, o: str) -> Link:
    from graph.lineage import make_link

    return make_link(data.lineage, s, o)


def commitment_page(data: Data, commitment_id: str) -> CommitmentPage:
    commitment = get_commitment(data.dataset, commitment_id)
    own = trace_lineage(data.lineage, commitment.iri) if commitment.iri in data.lineage else None
    if own is not None and not own.links:
        own = None
    return CommitmentPage(commitment, own, trace_lineage(data.lineage, commitment.document))


def lineage_page(data: Data, ident: str) -> LineagePage:
    trace = trace_lineage(data.lineage, ident)
    layers: dict[int, list[Node]] = {}
    for node in (trace.root, *trace.ancestors):
        layers.setdefault(node.year, []).append(node)
    years = tuple((year, tuple(layers[year])) for year in sorted(layers))
    positions = {node.iri: (20 + col * COLUMN, 40 + ROW + row * ROW)
                 for col, (_, nodes) in enumerate(years) for row, node in enumerate(nodes)}
    size = (40 + len(years) * COLUMN, 60 + (1 + max(len(n) for _, n in years)) * ROW)
    return LineagePage(trace, tuple(tuple(c) for c in chains(trace)[:50]), years, positions, size)
