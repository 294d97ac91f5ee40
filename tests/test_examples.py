"""The example queries written for the store's planner answer exactly what their plain forms do."""

import pytest

from graph.examples import get_example
from graph.sparql import run_query

# Each example reordered or regrouped for speed, and the query as one would first write it: the same answer
# is asked of both, on the bundled corpus, with any LIMIT dropped so that ties at the cut cannot differ.
PLAIN = {
    "03-due-in-2024": """SELECT ?text ?deadline ?by ?actor ?doc ?page WHERE {
      ?c a pg:Commitment ; rdf:value ?text ; pg:deadline ?deadline ; pg:deadlineBy ?by ;
         pg:actor/skos:prefLabel ?actor ; pg:inDocument/dcterms:identifier ?doc .
      OPTIONAL { ?c schema:pageStart ?page }
      FILTER(?by >= "2024-01-01"^^xsd:date && ?by <= "2024-12-31"^^xsd:date) }""",
    "04-overdue": """SELECT ?text ?deadline ?by ?actor ?doc WHERE {
      ?c a pg:Commitment ; rdf:value ?text ; pg:deadline ?deadline ; pg:deadlineBy ?by ;
         pg:actor/skos:prefLabel ?actor ; pg:inDocument/dcterms:identifier ?doc .
      FILTER(?by < xsd:date(SUBSTR(STR(NOW()), 1, 10))) }""",
    "07-commitments-by-actor": """SELECT ?actor (COUNT(?c) AS ?commitments) (COUNT(DISTINCT ?doc) AS ?documents)
      WHERE { ?c a pg:Commitment ; pg:actor/skos:prefLabel ?actor ; pg:inDocument ?doc ; dcterms:type ?type .
              FILTER(?type != pg:Priority) } GROUP BY ?actor""",
    "08-themes-by-document": """SELECT ?doc ?theme (COUNT(?c) AS ?commitments) WHERE {
      ?c a pg:Commitment ; pg:inDocument/dcterms:identifier ?doc ; dcterms:subject/skos:prefLabel ?theme .
    } GROUP BY ?doc ?theme""",
}


def unlimited(query: str) -> str:
    return query.replace("LIMIT 30", "")


def answer(dataset, query: str) -> list[tuple[str, ...]]:
    return sorted(tuple(str(v) for v in row) for row in run_query(dataset, query).rows())


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_an_example_written_for_speed_answers_as_its_plain_form(bundled, name):
    fast = answer(bundled.dataset, unlimited(get_example(name).query))
    assert fast, name
    assert fast == answer(bundled.dataset, PLAIN[name])


def test_the_example_by_actor_is_in_a_stable_order(bundled):
    rows = run_query(bundled.dataset, get_example("07-commitments-by-actor").query).rows()
    counts = [(-int(r[1]), str(r[0])) for r in rows]
    assert len(rows) == 30 and counts == sorted(counts)

