"""SHACL: the fixture build conforms, and each shape catches the fault it is for."""

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from graph.namespaces import PG
from graph.validate import as_graph, validate_graph


@pytest.fixture(scope="module")
def graph(data):
    return as_graph(data.dataset)


def first(graph, predicate, obj=None):
    return next(iter(graph.subjects(predicate, obj)))


def test_the_fixture_build_conforms(graph):
    report = validate_graph(graph)
    assert report.conforms, report.findings


def break_page(g):
    derivation = first(g, PG.evidence)
    evidence = g.value(derivation, PG.evidence)
    selector = BNode()
    g.add((evidence, URIRef("http://www.w3.org/ns/oa#hasSelector"), selector))
    g.add((selector, RDF.value, Literal("p.15")))


def break_relation(g):
    derivation = first(g, PG.relation)
    g.set((derivation, PG.relation, PG.inspiredBy))


def break_edge(g):
    subject = first(g, PROV.qualifiedDerivation)
    for target in list(g.objects(subject, PROV.wasDerivedFrom)):
        g.remove((subject, PROV.wasDerivedFrom, target))


def break_cycle(g):
    subject = first(g, PROV.wasDerivedFrom)
    target = g.value(subject, PROV.wasDerivedFrom)
    g.add((target, PROV.wasDerivedFrom, subject))


def break_deadline(g):
    commitment = first(g, PG.deadlineBy)
    g.set((commitment, PG.deadlineBy, Literal("2024", datatype=XSD.gYear)))


def break_title(g):
    document = first(g, RDF.type, PG.Document)
    g.remove((document, DCTERMS.title, None))


def break_type(g):
    commitment = first(g, RDF.type, PG.Commitment)
    g.set((commitment, DCTERMS.type, PG.Wish))


@pytest.mark.parametrize("breaker, message", [
    (break_page, "page="),
    (break_relation, "pg:relation"),
    (break_edge, "without the matching prov:wasDerivedFrom edge"),
    (break_cycle, "derivation cycle"),
    (break_deadline, "deadlineBy"),
    (break_title, "language-tagged title"),
    (break_type, "#Wish> not in list"),
])
def test_each_shape_catches_its_fault(graph, breaker, message):
    broken = graph.__class__()
    broken += graph
    breaker(broken)
    report = validate_graph(broken)
    assert not report.conforms
    text = " ".join(f"{f.path} {f.message}" for f in report.findings if f.severity == "Violation")
    assert message.replace("pg:", str(PG)) in text or message in text, text
