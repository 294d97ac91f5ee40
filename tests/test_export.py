"""`policygraph extract`: what a file holds, printed and not stored."""

import csv
import io
import json

from cli import main

from .conftest import FIXTURES

GAMMA = FIXTURES / "corpus" / "texts" / "gamma-2019.txt"
FIELDS = {"type", "id", "document", "section", "page", "text", "actor", "action", "deadline", "deadline_by",
          "targets", "themes", "strength", "confidence", "char_start", "char_end"}


def extract(runner, fixture_dir, *args):
    result = runner.invoke(main, ["extract", str(GAMMA), "--data-dir", str(fixture_dir), "--issued", "2019",
                                  "--publisher", "Riverside Council", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_jsonl_has_one_object_per_commitment_and_reference(runner, fixture_dir):
    rows = [json.loads(line) for line in extract(runner, fixture_dir).splitlines()]
    commitments = [r for r in rows if r["type"] == "commitment"]
    references = [r for r in rows if r["type"] == "reference"]
    assert commitments and all(FIELDS <= set(r) for r in commitments)
    zone = next(r for r in commitments if "low emission zone" in r["text"])
    assert (zone["deadline"], zone["deadline_by"]) == ("by 2021", "2021-12-31")
    assert GAMMA.read_text()[zone["char_start"]:zone["char_end"]].startswith("We will extend")
    assert {"resolved": "beta-2016", "relation": "builds-on"}.items() <= next(
        r for r in references if r["resolved"] == "beta-2016").items()


def test_csv_and_table_hold_the_same_commitments(runner, fixture_dir):
    rows = list(csv.DictReader(io.StringIO(extract(runner, fixture_dir, "--format", "csv"))))
    table = extract(runner, fixture_dir, "--format", "table").splitlines()
    assert len(rows) == len(table) > 0
    assert any("low emission zone" in line for line in table)


def test_extract_stores_nothing(runner, fixture_dir):
    before = sorted(p.name for p in (fixture_dir / "builds").iterdir())
    extract(runner, fixture_dir)
    assert sorted(p.name for p in (fixture_dir / "builds").iterdir()) == before


def test_documents_we_do_not_know_are_reported_unresolved(runner, fixture_dir, tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text("A plan\n\nThis plan builds on the Riverside Air Quality Strategy (2017) and responds to the "
                    "Marmot Review.\nIt also builds on Healthier Riverside and the London Plan.\n")
    result = runner.invoke(main, ["extract", str(plan), "--data-dir", str(fixture_dir), "--issued", "2020"])
    rows = [json.loads(line) for line in result.output.splitlines()]
    unknown = {(r["relation"], r["cited_as"]) for r in rows if r["type"] == "reference" and r["resolved"] is None}
    assert unknown == {("builds-on", "Riverside Air Quality Strategy (2017)"), ("responds-to", "Marmot Review"),
                       ("builds-on", "London Plan")}
    assert {r["resolved"] for r in rows if r["type"] == "reference"} >= {"alpha-2014"}
