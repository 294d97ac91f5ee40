"""Answers written by Oxigraph itself: the same answers as through rdflib, cut exactly at the cap."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
from rdflib import Dataset

from graph.examples import load_examples
from graph.namespaces import sparql_prologue
from graph.native import native_store, write_answer
from graph.sparql import run_query, serialise, write

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
EX = "http://example.org/"


def bindings(text: str) -> list[dict]:
    """JSON result rows, with xsd:string dropped: RDF 1.1 makes a plain string and an xsd:string one."""
    rows = json.loads(text)["results"]["bindings"]
    for row in rows:
        for value in row.values():
            if value.get("datatype") == XSD_STRING:
                del value["datatype"]
    return rows


def odd_values() -> ox.Store:
    """A store whose values have what a line-based cut could break: line breaks, tabs, quotes, tags."""
    store = ox.Store()
    texts = ["two\nlines", "a\ttab", 'a "quote" and a \\', "carriage\r\nreturn", "plain"]
    for number, text in enumerate(texts):
        subject = ox.NamedNode(f"{EX}s{number}")
        store.add(ox.Quad(subject, ox.NamedNode(f"{EX}text"), ox.Literal(text)))
        store.add(ox.Quad(subject, ox.NamedNode(f"{EX}n"), ox.Literal(str(number), datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#integer"))))
    store.add(ox.Quad(ox.BlankNode("b"), ox.NamedNode(f"{EX}text"), ox.Literal("sortie", language="fr")))
    return store


ODD = f"PREFIX ex: <{EX}> SELECT ?s ?text ?n WHERE {{ ?s ex:text ?text OPTIONAL {{ ?s ex:n ?n }} }} ORDER BY ?text"


@pytest.mark.parametrize("example", load_examples(), ids=lambda e: e.name)
def test_every_example_has_the_same_rows_as_through_rdflib(data, example):
    ours = write(data.dataset, example.query, [], "json").body
    theirs = serialise(run_query(data.dataset, example.query), "json")
    assert bindings(ours) == bindings(theirs)
    assert json.loads(ours)["head"] == json.loads(theirs)["head"]


def test_the_examples_are_written_natively_on_our_store(data):
    assert native_store(data.dataset) is not None
    assert native_store(Dataset()) is None  # rdflib's own store answers through rdflib


@pytest.mark.parametrize("cap", [1, 3, 5, 6, 100])
def test_a_cut_keeps_exactly_the_first_rows_whatever_the_values_hold(cap):
    store = odd_values()
    whole = bindings(write_answer(store, ODD, "json").body.decode())
    written = write_answer(store, ODD, "json", cap=cap)
    assert bindings(written.body.decode()) == whole[:cap]
    assert written.cut_at == (cap if cap < len(whole) else 0)


def test_rows_of_nothing_but_unbound_values_are_counted_as_rows():
    # each such row is an empty line in TSV, which a cut must not take for the end of the answer
    store = odd_values()
    query = f"PREFIX ex: <{EX}> SELECT ?none WHERE {{ ?s ex:text ?t OPTIONAL {{ ?s ex:none ?none }} }}"
    assert json.loads(write_answer(store, query, "json", cap=4).body)["results"]["bindings"] == [{}] * 4
    assert write_answer(store, query, "json", cap=6).cut_at == 0


@pytest.mark.parametrize("fmt", ["csv", "tsv", "xml", "json"])
def test_each_format_is_cut_to_the_cap(fmt):
    text = write_answer(odd_values(), ODD, fmt, cap=2).body.decode()
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(text)))[1:]
    elif fmt == "tsv":
        rows = text.splitlines()[1:]
    elif fmt == "xml":
        rows = ET.fromstring(text).findall(".//{http://www.w3.org/2005/sparql-results#}result")
    else:
        rows = json.loads(text)["results"]["bindings"]
    assert len(rows) == 2


@pytest.mark.parametrize("fmt", ["csv", "tsv", "xml", "json"])
def test_ask_is_written_in_each_format(data, fmt):
    reply = write(data.dataset, "ASK { ?c a pg:Commitment }", [], fmt, max_rows=1)
    assert b"true" in reply.body and reply.cut_at == 0
    assert b"false" in write(data.dataset, "ASK { ?c a pg:NoSuchClass }", [], fmt).body


def test_a_query_that_fails_while_evaluated_is_a_bad_query(data):
    from corpus.errors import BadQuery

    # rdflib's parser takes it; Oxigraph refuses to project ?x, which is not grouped
    for timeout in (None, 10):
        with pytest.raises(BadQuery, match="the query failed"):
            write(data.dataset, "SELECT ?x WHERE { ?x ?p ?o } GROUP BY ?p", [], "json", timeout)


def test_the_full_query_carries_our_prefixes():
    store = odd_values()
    full = sparql_prologue() + f"SELECT ?s WHERE {{ ?s <{EX}text> ?t }}"
    assert len(json.loads(write_answer(store, full, "json").body)["results"]["bindings"]) == 6


def test_a_capped_answer_stops_the_query_a_row_past_the_cap():
    from graph.native import first_lines

    store = ox.Store()
    node = "http://example.org/"
    for n in range(300):
        store.add(ox.Quad(ox.NamedNode(f"{node}{n}"), ox.NamedNode(f"{node}p"), ox.Literal(f"value {n}")))
    product = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"  # 90,000 rows, about 7 MB as TSV
    written = first_lines(store.query(product), 12)
    assert written.count(b"\n") >= 12 and len(written) < 200_000  # what Oxigraph wrote before it was stopped
    everything = first_lines(store.query(product), 10**9)
    assert everything.count(b"\n") == 90_001  # rows come in no set order, so compare them as sets
    assert set(written.split(b"\n")[:12]) <= set(everything.split(b"\n"))
    capped = write_answer(store, product, "tsv", cap=10)
    assert capped.cut_at == 10 and capped.body.count(b"\n") == 11
