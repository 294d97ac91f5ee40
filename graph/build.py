"""Build the RDF dataset: a catalogue graph of documents, one named graph per document, the vocabulary."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD

from corpus.models import Commitment, DocumentMeta, Extraction
from corpus.sections import priority_number
from corpus.themes import THEMES
from graph.citing import CitedPassage, cited_passages, passages_for
from graph.curation import Decision
from graph.ids import Ids
from graph.linking import LineageLinks, Suggestion, lineage_links
from graph.namespaces import CITO, DOCO, FABIO, MATERIALISE, OA, PG, PREFIXES, RELATIONS, SCHEMA
from graph.relations import Change, classify, drift

KIND_CLASS = {"report": FABIO.ReportDocument, "forward-view": FABIO.ReportDocument}
COMMITMENT_TYPE = {"commitment": PG.Commitment, "recommendation": PG.Recommendation, "target": PG.Target,
                   "priority": PG.Priority}
log = logging.getLogger(__name__)
CURATED_SENTENCE = "Declared by the policygraph curators in the corpus manifest."


def vocabulary() -> Graph:
    graph = Graph()
    graph.parse(data=(resources.files("graph") / "vocab.ttl").read_text(encoding="utf-8"), format="turtle")
    return graph


def new_dataset() -> Dataset:
    dataset = Dataset(default_union=True)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    return dataset


def build_dataset(extractions: Iterable[Extraction], catalogue: Iterable[DocumentMeta], base: str,
                  links: LineageLinks | None = None) -> Dataset:
    """Everything the graph holds for a corpus, in one in-memory dataset; curated decisions win."""
    dataset = new_dataset()
    for graph in named_graphs(extractions, catalogue, base, links):
        target = dataset.graph(graph.identifier)
        target += graph
    return dataset


def named_graphs(extractions: Iterable[Extraction], catalogue: Iterable[DocumentMeta], base: str,
                 links: LineageLinks | None = None) -> Iterator[Graph]:
    """Each named graph of the corpus in turn, made as it is asked for: a store loads them one by one, so a
    corpus of millions of triples is never in memory whole. Curated decisions win."""
    ids = Ids(base)
    metas = {m.id: m for m in catalogue}
    extractions = list(extractions)
    for extraction in extractions:
        metas.setdefault(extraction.document.id, extraction.document.meta)
    passages = cited_passages(extractions)
    links = links or lineage_links(extractions)
    suggested: dict[str, list[Suggestion]] = defaultdict(list)
    for suggestion in links.suggestions:
        suggested[suggestion.later.document].append(suggestion)
    edges = Graph(identifier=ids.graph("lineage"))
    for extraction in extractions:
        graph = Graph(store="SimpleMemory", identifier=ids.document_graph(extraction.document.meta))
        add_document(graph, edges, extraction, metas, ids, passages)
        for suggestion in suggested[extraction.document.id]:
            add_suggestion(graph, edges, suggestion, metas, ids)
        yield graph
    curated = Graph(identifier=ids.graph("curated"))
    commitments = {c.id: c for e in extractions for c in e.commitments}
    for decision in links.curated:
        add_curated(curated, edges, decision, commitments, metas, ids)
    catalogue_graph = Graph(identifier=ids.graph("catalogue"))
    add_catalogue(catalogue_graph, metas.values(), ids)
    for actor in sorted({c.actor for e in extractions for c in e.commitments}):
        add_org(catalogue_graph, actor, ids)  # once, here: a triple in two graphs is two rows in a query
    vocab = Graph(identifier=ids.graph("vocabulary"))
    vocab += vocabulary()
    yield from (catalogue_graph, edges, curated, vocab)


def add_catalogue(graph: Graph, metas: Iterable[DocumentMeta], ids: Ids) -> None:
    """Document metadata and the theme scheme, once each, whatever graph mentions them."""
    scheme = ids.scheme("themes")
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, SKOS.prefLabel, Literal("policygraph themes", lang="en")))
    for theme in THEMES:
        node = ids.theme(theme.slug)
        graph.add((node, RDF.type, SKOS.Concept))
        graph.add((node, SKOS.inScheme, scheme))
        graph.add((node, SKOS.prefLabel, Literal(theme.label, lang="en")))
        graph.add((node, SKOS.notation, Literal(theme.slug)))
    for meta in metas:
        add_document_meta(graph, meta, ids)


def add_document_meta(graph: Graph, meta: DocumentMeta, ids: Ids) -> None:
    doc = ids.document(meta)
    for cls in (PG.Document, PROV.Entity, KIND_CLASS.get(meta.kind, FABIO.PolicyDocument)):
        graph.add((doc, RDF.type, cls))
    graph.add((doc, DCTERMS.identifier, Literal(meta.id)))
    graph.add((doc, DCTERMS.title, Literal(meta.title, lang="en")))
    graph.add((doc, DCTERMS.issued, issued_literal(meta.issued)))
    graph.add((doc, PG.issuedOn, Literal(meta.issued_on, datatype=XSD.date)))
    graph.add((doc, DCTERMS.type, Literal(meta.kind)))
    graph.add((doc, DCTERMS.isVersionOf, ids.family(meta)))
    for name in meta.short_names:
        graph.add((doc, SKOS.altLabel, Literal(name, lang="en")))
    if meta.url:
        graph.add((doc, SCHEMA.url, Literal(meta.url, datatype=XSD.anyURI)))
    if meta.note:
        graph.add((doc, RDFS.comment, Literal(meta.note, lang="en")))
    for item in meta.unverified:
        graph.add((doc, PG.unverified, Literal(item, lang="en")))
    for publisher in meta.publishers:
        org = add_org(graph, publisher, ids)
        graph.add((doc, DCTERMS.publisher, org))
        graph.add((doc, PROV.wasAttributedTo, org))


def issued_literal(issued: str) -> Literal:
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(issued), XSD.date)
    return Literal(issued, datatype=datatype)


def add_org(graph: Graph, name: str, ids: Ids) -> URIRef:
    org = ids.org(name)
    graph.add((org, RDF.type, ORG.Organization))
    graph.add((org, RDF.type, PROV.Agent))
    graph.add((org, SKOS.prefLabel, Literal(name, lang="en")))
    return org


def add_document(graph: Graph, edges: Graph, extraction: Extraction, metas: dict[str, DocumentMeta],
                 ids: Ids, passages: dict | None = None) -> None:
    """A document's sections, commitments and qualified derivations into its own graph.

    The plain lineage edges go to `edges`, one graph for all documents, because two documents
    may state the same link and a triple held by two graphs would come back twice from the union.
    """
    document = extraction.document
    doc = ids.document(document.meta)
    for section in document.sections:
        node = ids.section(document.meta, section.eid)
        graph.add((node, RDF.type, PG.Section))
        graph.add((node, RDF.type, DOCO.Section))
        parent = ids.section(document.meta, section.parent) if section.parent else doc
        graph.add((node, DCTERMS.isPartOf, parent))
        graph.add((parent, DCTERMS.hasPart, node))
        graph.add((node, DCTERMS.title, Literal(section.heading, lang="en")))
        graph.add((node, SCHEMA.position, Literal(section.position)))
        if section.number:
            graph.add((node, PG.number, Literal(section.number)))
        if section.page_start:
            graph.add((node, SCHEMA.pageStart, Literal(section.page_start)))
            graph.add((node, SCHEMA.pageEnd, Literal(max(section.page_end or 0, section.page_start))))
    for commitment in extraction.commitments:
        add_commitment(graph, commitment, document.meta, ids)
    for short, full in extraction.restates:
        graph.add((ids.commitment(short), PG.restates, ids.commitment(full)))
    for (subject, relation, target), link in collect_links(extraction, metas, ids, passages or {}).items():
        add_link(graph, edges, subject, relation, target, ids, link, doc)


def add_commitment(graph: Graph, c: Commitment, meta: DocumentMeta, ids: Ids) -> None:
    node = ids.commitment(c.id)
    graph.add((node, RDF.type, PG.Commitment))
    graph.add((node, RDF.type, PROV.Entity))
    graph.add((node, DCTERMS.type, COMMITMENT_TYPE[c.kind]))
    graph.add((node, DCTERMS.identifier, Literal(c.id)))
    graph.add((node, RDF.value, Literal(c.text, lang="en")))
    graph.add((node, PG.statedIn, ids.section(meta, c.section)))
    graph.add((node, PG.inDocument, ids.document(meta)))
    graph.add((node, PG.actor, ids.org(c.actor)))
    graph.add((node, PG.action, Literal(c.action)))
    graph.add((node, PG.strength, Literal(c.strength)))
    graph.add((node, PG.confidence, Literal(Decimal(str(c.confidence)), datatype=XSD.decimal)))
    if c.page:
        graph.add((node, SCHEMA.pageStart, Literal(c.page)))
    if c.kind == "priority":
        graph.add((node, SCHEMA.position, Literal(priority_number(c.text) or 0)))
    if c.deadline_by:
        graph.add((node, PG.deadline, Literal(c.deadline)))
        graph.add((node, PG.deadlineBy, Literal(c.deadline_by.isoformat(), datatype=XSD.date)))
    for theme in c.themes:
        graph.add((node, DCTERMS.subject, ids.theme(theme)))
    for target in c.targets:
        quantity = BNode()
        graph.add((node, PG.target, quantity))
        graph.add((quantity, RDF.type, SCHEMA.QuantitativeValue))
        graph.add((quantity, SCHEMA.value, Literal(Decimal(str(target.value)), datatype=XSD.decimal)))
        graph.add((quantity, SCHEMA.name, Literal(target.counts or target.text)))
        if target.unit:
            graph.add((quantity, SCHEMA.unitText, Literal(target.unit)))


@dataclass
class Link:
    confidence: float
    asserted_by: URIRef
    evidence: list[tuple[URIRef, str, int | None]] = field(default_factory=list)


def collect_links(extraction: Extraction, metas: dict[str, DocumentMeta], ids: Ids,
                  passages: dict[tuple[str, str], CitedPassage]) -> dict[tuple, Link]:
    """One link per (subject, relation, target): the highest confidence, every evidence sentence, and
    the earlier document's sentences they point at (graph.citing), so a link has evidence at both ends."""
    links: dict[tuple, Link] = {}
    meta = extraction.document.meta
    source = ids.document(meta)
    for ref in extraction.references:
        if ref.subject not in metas or ref.target not in metas:
            continue
        subjects = [ids.document(metas[ref.subject])]
        if ref.commitment and ref.subject == ref.document:
            subjects.append(ids.commitment(ref.commitment))
        for subject in subjects:
            link = links.setdefault((subject, ref.relation, ids.document(metas[ref.target])),
                                    Link(ref.confidence, ids.run("extraction")))
            link.confidence = max(link.confidence, ref.confidence)
            link.evidence.append((source, ref.evidence, ref.page))
    for relation, target in meta.relations:
        if target not in metas:
            continue
        link = links.setdefault((source, relation, ids.document(metas[target])), Link(1.0, ids.run("curated")))
        link.confidence, link.asserted_by = 1.0, ids.run("curated")
        if not link.evidence:
            stated = [r for r in extraction.references if r.subject == meta.id and r.target == target]
            link.evidence.append((source, stated[0].evidence, stated[0].page) if stated
                                 else (source, CURATED_SENTENCE, None))
    targets = {ids.document(m): m.id for m in metas.values()}
    for (_, _, target), link in links.items():
        citing = [sentence for _, sentence, _ in link.evidence if sentence != CURATED_SENTENCE] or [""]
        link.evidence += [(target, p.sentence, p.page) for p in passages_for(citing, targets[target], passages)]
    return links


def add_link(graph: Graph, edges: Graph, subject: URIRef, relation: str, target: URIRef, ids: Ids, link: Link,
             stated_in: URIRef) -> URIRef:
    """Write one lineage or citation link: the specific edge, the materialised generic ones, the why."""
    prop = RELATIONS.get(relation, CITO.cites)
    edges.add((subject, prop, target))
    if prop == CITO.cites:
        edges.add((subject, PROV.wasInfluencedBy, target))
        qualifier, node_type, pointer = PROV.qualifiedInfluence, PROV.Influence, PROV.influencer
    else:
        for extra in MATERIALISE[prop]:
            edges.add((subject, extra, target))
        qualifier, node_type, pointer = PROV.qualifiedDerivation, PROV.Derivation, PROV.entity
    node = ids.derivation(str(subject), str(prop), str(target), str(stated_in))
    graph.add((subject, qualifier, node))
    graph.add((node, RDF.type, node_type))
    graph.add((node, pointer, target))
    graph.add((node, PG.relation, prop))
    graph.add((node, PG.confidence, Literal(Decimal(str(link.confidence)), datatype=XSD.decimal)))
    graph.add((node, PG.assertedBy, link.asserted_by))
    for source, sentence, page in link.evidence:
        add_evidence(graph, node, source, sentence, page, ids)
    return node


def add_evidence(graph: Graph, node: URIRef, source: URIRef, sentence: str, page: int | None, ids: Ids) -> None:
    evidence = ids.evidence(str(node), sentence)
    graph.add((node, PG.evidence, evidence))
    graph.add((evidence, RDF.type, OA.SpecificResource))
    graph.add((evidence, OA.hasSource, source))
    quote = BNode()
    graph.add((evidence, OA.hasSelector, quote))
    graph.add((quote, RDF.type, OA.TextQuoteSelector))
    graph.add((quote, OA.exact, Literal(sentence, lang="en")))
    if page:
        fragment = BNode()
        graph.add((evidence, OA.hasSelector, fragment))
        graph.add((fragment, RDF.type, OA.FragmentSelector))
        graph.add((fragment, DCTERMS.conformsTo, URIRef("http://tools.ietf.org/rfc/rfc3778")))
        graph.add((fragment, RDF.value, Literal(f"page={page}")))


def add_suggestion(graph: Graph, edges: Graph, s: Suggestion, metas: dict[str, DocumentMeta], ids: Ids) -> None:
    """A suggested link between two commitments: evidence from both, the signals behind it, what drifted."""
    later, earlier = ids.commitment(s.later.id), ids.commitment(s.earlier.id)
    link = Link(s.confidence, ids.run("linker"), [
        (ids.document(metas[s.later.document]), s.later_sentence, s.later_page),
        (ids.document(metas[s.earlier.document]), s.earlier.text, s.earlier.page)])
    node = add_link(graph, edges, later, s.relation, earlier, ids, link, ids.document(metas[s.later.document]))
    for signal in s.signals:
        graph.add((node, PG.signal, Literal(signal)))
    add_drift(graph, node, s.drift)


def add_drift(graph: Graph, node: URIRef, changes: Iterable[Change]) -> None:
    for change in changes:
        blank = BNode()
        graph.add((node, PG.drift, blank))
        graph.add((blank, PG.aspect, Literal(change.aspect)))
        graph.add((blank, PG.before, Literal(change.before)))
        graph.add((blank, PG.after, Literal(change.after)))


def add_curated(graph: Graph, edges: Graph, d: Decision, commitments: dict[str, Commitment],
                metas: dict[str, DocumentMeta], ids: Ids) -> None:
    """A link a curator confirmed or added, in the curated graph, with who decided and when."""
    ends = [commitments.get(i) for i in (d.later, d.earlier)]
    nodes = [ids.commitment(c.id) if c else ids.document(metas[i]) if i in metas else None
             for c, i in zip(ends, (d.later, d.earlier), strict=True)]
    if None in nodes:
        log.warning("curated link %s -> %s names an id that is not in this build; left out", d.later, d.earlier)
        return
    later, earlier = ends
    evidence = [(ids.document(metas[c.document]), c.text, c.page) for c in ends if c]
    relation = d.relation or (classify(later, earlier, later.text) if later and earlier else "builds-on")
    link = Link(1.0, ids.run("curated"), evidence or [(nodes[0], CURATED_SENTENCE, None)])
    node = add_link(graph, edges, nodes[0], relation, nodes[1], ids, link, ids.graph("curated"))
    add_drift(graph, node, drift(later, earlier, later.text) if later and earlier else ())
    graph.add((node, PG.curator, Literal(d.by)))
    graph.add((node, DCTERMS.date, Literal(d.at[:10], datatype=XSD.date)))
    if d.note:
        graph.add((node, RDFS.comment, Literal(d.note, lang="en")))
