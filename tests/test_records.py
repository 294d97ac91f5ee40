from search.records import corpus_records


def test_every_commitment_sits_in_a_passage_that_holds_it(bundled_extractions):
    records = list(corpus_records(bundled_extractions))
    passages = {r["id"]: r for r in records if r["kind"] == "passage"}
    held = [r for r in records if r["kind"] not in ("passage", "document", "priority")]
    assert held and all(r["text"][:40] in passages[r["passage"]]["text"] for r in held)
    assert {r["kind"] for r in records} >= {"document", "passage", "commitment", "priority"}
