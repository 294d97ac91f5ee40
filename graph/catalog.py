"""Read documents, commitments and priorities out of the graph for pages, the API and the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rdflib import Dataset, URIRef

from corpus.dates import deadline_status
from graph.namespaces import sparql_prologue


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    iri: str
    id: str
    title: str
    publishers: str
    issued: str
    kind: str
    url: str
    commitments: int
    note: str = ""


@dataclass(frozen=True, slots=True)
class SectionRow:
    iri: str
    number: str
    heading: str
    level: int
    page_start: int | None
    page_end: int | None


@dataclass(frozen=True, slots=True)
class CommitmentRow:
    iri: str
    id: str
    text: str
    kind: str
    document: str
    document_title: str
    section: str
    page: int | None
    actor: str
    action: str
    deadline: str
    deadline_by: str
    strength: str
    confidence: float
    themes: tuple[str, ...] = ()
    superseded_on: str = ""  # when a later document replaced its deadline or target

    @property
    def status(self) -> str:
        """due, overdue, no deadline or superseded, as of today."""
        return self.status_on(date.today())

    def status_on(self, day: date) -> str:
        return deadline_status(date.fromisoformat(self.deadline_by) if self.deadline_by else None, day,
                               date.fromisoformat(self.superseded_on) if self.superseded_on else None)


@dataclass(frozen=True, slots=True)
class DocumentView:
    summary: DocumentSummary
    sections: tuple[SectionRow, ...]
    commitments: tuple[CommitmentRow, ...]
    unverified: tuple[str, ...]


DOCUMENTS = """
SELECT ?doc ?id ?title ?issued ?kind ?url ?note (GROUP_CONCAT(DISTINCT ?pub; separator="; ") AS ?pubs)
       (COUNT(DISTINCT ?c) AS ?n) WHERE {
  ?doc a pg:Document ; dcterms:identifier ?id ; dcterms:title ?title ; pg:issuedOn ?issued ; dcterms:type ?kind ;
       dcterms:publisher/skos:prefLabel ?pub .
  OPTIONAL { ?doc schema:url ?url } OPTIONAL { ?doc rdfs:comment ?note }
  OPTIONAL { ?c pg:inDocument ?doc }
} GROUP BY ?doc ?id ?title ?issued ?kind ?url ?note ORDER BY ?issued ?title"""
SECTIONS = """
SELECT ?s ?number ?heading ?start ?end (COUNT(DISTINCT ?up) AS ?depth) WHERE {
  #VALUES
  ?s a pg:Section ; dcterms:isPartOf+ ?doc ; dcterms:title ?heading ; schema:position ?pos ;
     dcterms:isPartOf+ ?up . ?up (dcterms:isPartOf)* ?doc .
  OPTIONAL { ?s pg:number ?number } OPTIONAL { ?s schema:pageStart ?start } OPTIONAL { ?s schema:pageEnd ?end }
} GROUP BY ?s ?number ?heading ?start ?end ?pos ORDER BY ?pos"""
COMMITMENTS = """
SELECT ?c ?id ?text ?type ?docid ?title ?sectitle ?secnum ?page ?actor ?action ?deadline ?by ?strength ?conf
       (GROUP_CONCAT(DISTINCT ?theme; separator="|") AS ?themes) (MIN(?replacedOn) AS ?superseded) WHERE {
  ?c a pg:Commitment ; dcterms:identifier ?id ; rdf:value ?text ; dcterms:type ?type ; pg:inDocument ?doc ;
     pg:statedIn ?sec ; pg:actor/skos:prefLabel ?actor ; pg:action ?action ; pg:strength ?strength ;
     pg:confidence ?conf .
  ?doc dcterms:identifier ?docid ; dcterms:title ?title .
  OPTIONAL { ?sec dcterms:title ?sectitle } OPTIONAL { ?sec pg:number ?secnum }
  OPTIONAL { ?c schema:pageStart ?page } OPTIONAL { ?c pg:deadline ?deadline ; pg:deadlineBy ?by }
  OPTIONAL { ?c dcterms:subject/skos:prefLabel ?theme }
  OPTIONAL { ?newer prov:qualifiedDerivation ?sd . ?sd prov:entity ?c . ?newer pg:inDocument/pg:issuedOn ?replacedOn .
             { ?sd pg:relation pg:supersedes } UNION
             { ?sd pg:drift ?x . ?x pg:aspect ?aspect ; pg:before ?was ; pg:after ?now
               FILTER((STR(?aspect) = "deadline" || STR(?aspect) = "target") && STR(?was) != "none"
                      && STR(?now) != "none") } }
  #VALUES
} GROUP BY ?c ?id ?text ?type ?docid ?title ?sectitle ?secnum ?page ?actor ?action ?deadline ?by ?strength ?conf
ORDER BY ?page ?id"""


def _q(dataset: Dataset, query: str, **bindings):
    """Run a query with variables fixed by a VALUES block (rdflib's initBindings trips on unselected ones)."""
    values = " ".join(f"VALUES ?{name} {{ {term.n3()} }}" for name, term in bindings.items())
    return dataset.query(sparql_prologue() + query.replace("#VALUES", values))


def list_documents(dataset: Dataset) -> list[DocumentSummary]:
    """Every document with its metadata and number of commitments, oldest first."""
    return [DocumentSummary(str(r.doc), str(r.id), str(r.title), str(r.pubs), str(r.issued), str(r.kind),
                            str(r.url or ""), int(r.n), str(r.note or "")) for r in _q(dataset, DOCUMENTS)]


def all_commitments(dataset: Dataset) -> list[CommitmentRow]:
    """Every commitment's row, by page then id: one pass over the whole graph (graph.snapshot keeps them).

    Asking for one commitment or one document's instead took seconds at 100,000 commitments: Oxigraph
    joins each OPTIONAL over the whole graph before the VALUES that picks the few rows wanted.
    """
    return [_commitment(r) for r in _q(dataset, COMMITMENTS)]


def document_outline(dataset: Dataset, summary: DocumentSummary,
                     commitments: tuple[CommitmentRow, ...]) -> DocumentView:
    """A document's outline and unverified claims (quick questions, bound to one document) with its commitments."""
    doc = URIRef(summary.iri)
    sections = tuple(
        SectionRow(str(r.s), str(r.number or ""), str(r.heading), int(r.depth), _int(r.start), _int(r.end))
        for r in _q(dataset, SECTIONS, doc=doc))
    unverified = tuple(str(r.u) for r in _q(dataset, "SELECT ?u WHERE { #VALUES\n ?doc pg:unverified ?u }", doc=doc))
    return DocumentView(summary, sections, commitments, unverified)


def is_priority(row: CommitmentRow) -> bool:
    return row.kind == "priority"


def _commitment(r) -> CommitmentRow:
    section = f"{r.secnum or ''} {r.sectitle or ''}".strip()
    kind = str(r.type).rsplit("#", 1)[-1].lower()
    return CommitmentRow(str(r.c), str(r.id), str(r.text), kind, str(r.docid), str(r.title), section,
                         _int(r.page), str(r.actor), str(r.action), str(r.deadline or ""), str(r.by or ""),
                         str(r.strength), float(r.conf), tuple(t for t in str(r.themes or "").split("|") if t),
                         str(r.superseded or "")[:10])


def _int(value) -> int | None:
    return int(value) if value is not None else None
