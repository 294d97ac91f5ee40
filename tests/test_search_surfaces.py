"""The web page, the JSON API and the CLI give the same results in the same order."""

import json
import re

import pytest

from cli import main

QUERIES = [
    ("obesity", {}),
    ('"low emission zone" OR fleet', {}),
    ("obesity NOT children", {"sort": "date"}),
    ("Riverside", {"kind": "passage"}),
    ("obesity", {"year": "2016", "sort": "deadline"}),
    ("obesety", {}),
]


def from_web(client, query, args):
    html = client.get("/search", query_string={"q": query, **args}).get_data(as_text=True)
    return re.findall(r'<li class="hit [^"]*" data-id="([^"]+)"', html)


def from_api(client, query, args):
    return [h["id"] for h in client.get("/api/search", query_string={"q": query, "limit": 20, **args}).json["hits"]]


def from_cli(runner, fixture_dir, query, args):
    options = ["--sort", args["sort"]] if "sort" in args else []
    options += [f"--filter={k}={v}" for k, v in args.items() if k != "sort"]
    result = runner.invoke(main, ["search", query, "--data-dir", str(fixture_dir), "--limit", "20",
                                  "--format", "json", *options])
    assert result.exit_code == 0, result.output
    return [h["id"] for h in json.loads(result.output)["hits"]]


@pytest.mark.parametrize("query, args", QUERIES)
def test_web_api_and_cli_agree(client, runner, fixture_dir, query, args):
    web = from_web(client, query, args)
    assert web, "the query should find something"
    assert web == from_api(client, query, args) == from_cli(runner, fixture_dir, query, args)
