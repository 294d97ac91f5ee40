"""The RDF and CSV twins of each page: /doc/ltp-2019.ttl, /commitment/<id>.csv, /lineage/<id>.jsonld, /search.csv."""

from __future__ import annotations

from rdflib import Graph, URIRef

from graph.catalog import CommitmentRow
from graph.datadir import Data
from graph.linkeddata import as_csv, describe, new_graph, plain, serialise_graph
from graph.views import CommitmentPage, DocumentPage, LineagePage, Overview
from search.query import SearchResults

COMMITMENT_COLUMNS = ["id", "kind", "text", "document", "section", "page", "actor", "deadline", "deadline_by",
                      "status", "themes", "iri"]
LINK_COLUMNS = ["later_id", "later", "relation", "earlier_id", "earlier", "confidence", "later_evidence",
                "earlier_evidence", "what_changed"]
HIT_COLUMNS = ["id", "kind", "text", "document", "year", "section", "page", "actor", "deadline", "status", "score"]

DOCUMENT_COLUMNS = ["id", "title", "publishers", "issued", "kind", "commitments", "url", "iri"]

Page = DocumentPage | CommitmentPage | LineagePage | SearchResults | Overview


def twin(data: Data, page: Page, ext: str) -> tuple[str, str]:
    """A page as ttl, jsonld, nt or rdf (its triples) or csv (its main table): (body, media type)."""
    if ext == "csv":
        header, rows = table(page)
        return as_csv(header, rows), "text/csv"
    return serialise_graph(triples(data, page), ext)


def triples(data: Data, page: Page) -> Graph:
    if isinstance(page, DocumentPage):
        graph = describe(data.dataset, [page.view.summary.iri])
        named = URIRef(page.view.summary.iri + "#graph").n3()  # the document's own named graph
        for triple in data.dataset.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {named} {{ ?s ?p ?o }} }}").graph:
            graph.add(tuple(plain(t) for t in triple))
        return graph
    if isinstance(page, CommitmentPage):
        return describe(data.dataset, [page.commitment.iri])
    if isinstance(page, Overview):
        return describe(data.dataset, [d.iri for d in page.documents] + [p.iri for p in page.priorities])
    if isinstance(page, LineagePage):
        return describe(data.dataset, [page.trace.root.iri, *(n.iri for n in page.trace.ancestors)]) \
            if page.trace.links else describe(data.dataset, [page.trace.root.iri])
    graph = new_graph()
    iris = [data.lineage.nodes[i]["info"].iri for i in data.lineage if data.lineage.nodes[i]["info"].id in
            {h.id for h in page.hits}]
    graph += describe(data.dataset, iris)
    return graph


def table(page: Page) -> tuple[list[str], list[list]]:
    if isinstance(page, DocumentPage):
        return COMMITMENT_COLUMNS, [commitment_row(c) for c in page.view.commitments]
    if isinstance(page, CommitmentPage):
        return COMMITMENT_COLUMNS, [commitment_row(page.commitment)]
    if isinstance(page, Overview):
        return DOCUMENT_COLUMNS, [[d.id, d.title, d.publishers, d.issued, d.kind, d.commitments, d.url, d.iri]
                                  for d in page.documents]
    if isinstance(page, LineagePage):
        rows = [[k.source.id, k.source.label, k.relation, k.target.id, k.target.label, k.confidence,
                 k.evidence[0].sentence if k.evidence else "",
                 k.evidence[1].sentence if len(k.evidence) > 1 else "",
                 "; ".join(f"{d.aspect}: {d.before} -> {d.after}" for d in k.drift)] for k in page.trace.links]
        return LINK_COLUMNS, rows
    return HIT_COLUMNS, [[h.id, h.kind, h.text, h.document, h.year, h.section, h.page, h.actor, h.deadline,
                          h.status, h.score] for h in page.hits]


def commitment_row(c: CommitmentRow) -> list:
    return [c.id, c.kind, c.text, c.document, c.section, c.page, c.actor, c.deadline, c.deadline_by, c.status,
            c.themes, c.iri]
