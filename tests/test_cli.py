import csv
import io
import json

import pytest

from cli import main

COMMANDS = sorted(main.commands)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(runner, name):
    result = runner.invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_the_commands_the_readme_promises_exist():
    assert {"build", "serve", "search", "lineage", "sparql"} <= set(COMMANDS)


def test_sparql_count_as_csv(runner, fixture_dir):
    result = runner.invoke(main, ["sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?c a pg:Commitment }",
                                  "--format", "csv", "--data-dir", str(fixture_dir)])
    assert result.exit_code == 0, result.output
    assert list(csv.DictReader(io.StringIO(result.output)))[0]["n"] == "16"


def test_sparql_error_is_one_line_not_a_traceback(runner, fixture_dir):
    result = runner.invoke(main, ["sparql", "SELECT * WHERE { ?s ?p }", "--data-dir", str(fixture_dir)])
    assert result.exit_code == 1
    assert "syntax error" in result.output and "Traceback" not in result.output


def test_search_json(runner, fixture_dir):
    result = runner.invoke(main, ["search", "obesity", "--format", "json", "--data-dir", str(fixture_dir)])
    body = json.loads(result.output)
    assert body["total"] >= 4 and body["hits"][0]["text"]


def test_a_widened_search_says_how_many_results_hold_every_word(runner, fixture_dir):
    table = runner.invoke(main, ["search", "obesity school", "--data-dir", str(fixture_dir)]).output
    assert table.splitlines()[0] == "12 results for 'obesity school': 4 with every word, then 8 with some of them"
    body = json.loads(runner.invoke(main, ["search", "obesity school", "--format", "json",
                                           "--data-dir", str(fixture_dir)]).output)
    assert (body["total"], body["every_word"]) == (12, 4)
    assert runner.invoke(main, ["search", "air AND quality", "--data-dir", str(fixture_dir)]).output.startswith(
        "1 result for 'air AND quality'\n")


def test_search_filter_needs_field_equals_value(runner, fixture_dir):
    result = runner.invoke(main, ["search", "obesity", "--filter", "year", "--data-dir", str(fixture_dir)])
    assert result.exit_code == 2 and "FIELD=VALUE" in result.output


def test_lineage_prints_relation_and_evidence(runner, fixture_dir):
    result = runner.invoke(main, ["lineage", "gamma-2019", "--data-dir", str(fixture_dir)])
    assert result.exit_code == 0
    assert "builds on -> Healthier Riverside: Next Steps (beta-2016 2016)" in result.output
    assert "Chains back to the origins:" in result.output
    assert "evidence (gamma-2019): This vision builds on Healthier Riverside: Next Steps" in result.output


def test_build_reports_counts(runner, tmp_path):
    from .conftest import FIXTURES

    result = runner.invoke(main, ["build", "--corpus", str(FIXTURES / "corpus"), "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "built 3 documents, 16 commitments" in result.output


def test_commands_without_data_say_what_to_do(runner, tmp_path):
    result = runner.invoke(main, ["search", "obesity", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "run `policygraph build" in result.output


def test_validate_reports_conformance(runner, fixture_dir):
    result = runner.invoke(main, ["validate", "--data-dir", str(fixture_dir)])
    assert result.exit_code == 0, result.output
    assert "conforms: 0 violations" in result.output


def test_sparql_runs_a_named_example(runner, fixture_dir):
    result = runner.invoke(main, ["sparql", "example:01-documents-timeline", "--format", "csv",
                                  "--data-dir", str(fixture_dir)])
    assert result.exit_code == 0, result.output
    assert "Healthier Riverside" in result.output


def test_unknown_example_lists_the_known_ones(runner, fixture_dir):
    result = runner.invoke(main, ["sparql", "example:nope", "--data-dir", str(fixture_dir)])
    assert result.exit_code == 1 and "01-documents-timeline" in result.output


def test_eval_prints_the_ranking_quality(runner, bundled_dir):
    from cli import main

    result = runner.invoke(main, ["eval", "--search", "--data-dir", str(bundled_dir)])
    assert result.exit_code == 0, result.output
    mean = float(result.output.strip().splitlines()[-1].split()[0])
    assert "mean over" in result.output and 0.8 <= mean <= 1.0


def test_eval_lineage_prints_precision_and_recall(runner, bundled_dir):
    result = runner.invoke(main, ["eval", "--lineage", "--data-dir", str(bundled_dir)])
    assert result.exit_code == 0, result.output
    precision = float(result.output.splitlines()[3].split()[3])  # the "all" row
    assert 0.8 <= precision <= 1.0


def test_eval_lineage_names_a_gold_entry_that_matches_nothing(runner, bundled_dir, tmp_path):
    gold = tmp_path / "gold.toml"
    gold.write_text('[[later]]\ncommitment = "ovl-2019: No such sentence"\nderives_from = []\n')
    result = runner.invoke(main, ["eval", "--lineage", "--judgments", str(gold), "--data-dir", str(bundled_dir)])
    assert result.exit_code == 1 and "No such sentence" in result.output and "matches 0" in result.output


def test_lineage_to_prints_the_paths_or_says_there_are_none(runner, fixture_dir):
    result = runner.invoke(main, ["lineage", "gamma-2019", "--to", "alpha-2014", "--data-dir", str(fixture_dir)])
    assert result.exit_code == 0 and "(gamma-2019 2019) <- " in result.output and "(alpha-2014 2014)" in result.output
    result = runner.invoke(main, ["lineage", "alpha-2014", "--to", "gamma-2019", "--data-dir", str(fixture_dir)])
    assert result.exit_code == 0 and "alpha-2014 does not derive from gamma-2019" in result.output


def test_search_judges_statuses_as_of_a_day(runner, fixture_dir):
    args = ["search", "halve", "--format", "json", "--data-dir", str(fixture_dir)]
    early = runner.invoke(main, [*args, "--as-of", "2015-01-01"])
    late = runner.invoke(main, [*args, "--as-of", "2031-06-01"])
    statuses = [{h["id"]: h["status"] for h in json.loads(r.output)["hits"] if h["status"]} for r in (early, late)]
    assert "due" in statuses[0].values() and set(statuses[1].values()) <= {"overdue", "superseded", "no deadline"}
    bad = runner.invoke(main, [*args, "--as-of", "soon"])
    assert bad.exit_code == 1 and "YYYY-MM-DD" in bad.output
