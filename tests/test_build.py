"""The RDF graph: vocabulary, stable IRIs, materialised lineage with evidence."""

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV

from corpus.pipeline import corpus_sources, run_corpus
from graph.build import build_dataset, vocabulary
from graph.namespaces import DEFAULT_BASE, PG
from graph.sparql import run_query

from .conftest import FIXTURES


def build_fixture(base=DEFAULT_BASE):
    metas, sources = corpus_sources(FIXTURES / "corpus")
    run = run_corpus(sources, metas)
    return build_dataset(run.extractions, run.catalogue, base)


def ground_quads(dataset) -> set[str]:
    """The N-Quads lines without blank nodes (whose labels differ between runs by design)."""
    return {line for line in dataset.serialize(format="nquads").splitlines() if "_:" not in line}


def test_the_same_input_gives_the_same_graph():
    first, second = build_fixture(), build_fixture()
    assert ground_quads(first) == ground_quads(second)
    assert isomorphic(Graph().parse(data=first.serialize(format="nquads"), format="nquads"),
                      Graph().parse(data=second.serialize(format="nquads"), format="nquads"))


def test_the_base_is_configurable():
    lines = [line for line in ground_quads(build_fixture("https://example.org/pg/")) if f"> <{PG.issuedOn}> " in line]
    assert len(lines) == 3
    assert all(line.startswith("<https://example.org/pg/doc/") for line in lines)


def test_one_named_graph_per_document(data):
    rows = run_query(data.dataset, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?c a pg:Commitment } }").rows()
    assert len(rows) == 3
    assert all(str(g).endswith("#graph") for (g,) in rows)


def test_lineage_edges_are_materialised_with_qualified_evidence(data):
    rows = run_query(data.dataset, """
        SELECT ?quote ?page ?conf WHERE {
          ?beta dcterms:identifier "beta-2016" . ?alpha dcterms:identifier "alpha-2014" .
          ?beta pg:implements ?alpha ; prov:wasDerivedFrom ?alpha ; prov:qualifiedDerivation ?d .
          ?d prov:entity ?alpha ; pg:relation pg:implements ; pg:confidence ?conf ; pg:evidence ?e .
          ?e oa:hasSelector/oa:exact ?quote . OPTIONAL { ?e oa:hasSelector/rdf:value ?page } }""").rows()
    quotes = {str(q): (str(p) if p else None) for q, p, _ in rows}
    stated = "This plan sets out how partners will implement the recommendations of Healthier Riverside."
    assert quotes[stated] == "page=2"
    by_quote = {str(q): float(c) for q, _, c in rows}
    assert by_quote[stated] == 1.0  # declared in the manifest as well as stated in the text


def test_one_property_path_answers_lineage(data):
    rows = run_query(data.dataset, """
        SELECT ?id WHERE { ?g dcterms:identifier "gamma-2019" . ?g prov:wasDerivedFrom+ ?a .
                           ?a a pg:Document ; dcterms:identifier ?id }""").rows()
    assert {str(r[0]) for r in rows} == {"alpha-2014", "beta-2016"}


def test_commitments_carry_actor_deadline_page_and_themes(data):
    rows = run_query(data.dataset, """
        SELECT ?actor ?by ?page ?theme WHERE {
          ?c rdf:value "Riverside Council will fund a healthy weight service for 2,000 children by 2017/18."@en ;
             pg:actor/skos:prefLabel ?actor ; pg:deadlineBy ?by ; schema:pageStart ?page ;
             dcterms:subject/skos:notation ?theme ; dcterms:type pg:Target }""").rows()
    assert {(str(a), str(b), int(p)) for a, b, p, _ in rows} == {("Riverside Council", "2018-03-31", 4)}
    assert {str(t) for *_, t in rows} >= {"obesity", "children-young-people"}


def test_vocabulary_declares_each_relation_under_prov():
    vocab = vocabulary()
    for prop in (PG.buildsOn, PG.implements, PG.respondsTo):
        assert (prop, URIRef("http://www.w3.org/2000/01/rdf-schema#subPropertyOf"), PROV.wasDerivedFrom) in vocab
    assert (PG.buildsOn, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("builds on", lang="en")) in vocab


def test_no_triple_is_in_two_graphs():
    """In the union default graph a triple held by two named graphs would come back twice."""
    seen: dict = {}
    for graph in build_fixture().graphs():
        for triple in graph:
            if not any(isinstance(term, BNode) for term in triple):
                seen.setdefault(triple, []).append(graph.identifier)
    twice = {t: g for t, g in seen.items() if len(g) > 1}
    assert not twice, list(twice.items())[:3]
