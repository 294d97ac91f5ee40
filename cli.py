"""The `policygraph` command: a thin shell over the library. Each command calls one library function."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import click

from corpus.errors import PolicygraphError
from settings import endpoint_from, from_environment


def tqdm_progress(items, label: str, total: int):
    from tqdm import tqdm

    return tqdm(items, desc=label, total=total, unit="doc" if label == "extract" else "step",
                disable=not sys.stderr.isatty() and total < 2, file=sys.stderr)


def config_for(data_dir: str | None, **extra) -> dict:
    return from_environment({"DATA_DIR": data_dir, **extra})


data_dir_option = click.option(
    "--data-dir", type=click.Path(file_okay=False), default=None,
    help="Data directory (default: $POLICYGRAPH_DATA_DIR or ~/.local/share/policygraph).")


class Group(click.Group):
    """Turn library errors into one clear line and exit status 1, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except PolicygraphError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="policygraph")
def main() -> None:
    """policygraph: search policy commitments and trace how priorities descend from earlier reports.

    \b
    Example:
        policygraph build
        policygraph search obesity
        policygraph lineage ovl-2019
        policygraph serve
    """


@main.command()
@data_dir_option
@click.option("--corpus", "corpus_dir", type=click.Path(exists=True, file_okay=False),
              help="A corpus folder with a manifest.toml (default: the bundled London corpus).")
@click.option("--base-uri", default=None, help="Base of minted IRIs (default: $POLICYGRAPH_BASE_URI).")
def build(data_dir, corpus_dir, base_uri):
    """Build the graph and the search index from a corpus, then make them current.

    The new build is written beside the old one and swapped in when complete, so a
    failed build leaves the previous one serving.

    \b
    Example:
        policygraph build
        policygraph build --corpus ./my-corpus --data-dir /srv/policygraph
    """
    from graph.datadir import build_corpus_dir

    config = config_for(data_dir, BASE_URI=base_uri)
    info = build_corpus_dir(Path(config["DATA_DIR"]), Path(corpus_dir) if corpus_dir else None,
                            config["BASE_URI"], tqdm_progress, config["SEARCH_BACKEND"], endpoint_from(config))
    for error in info.errors:
        click.secho(f"skipped: {error}", fg="yellow", err=True)
    click.echo(f"built {info.documents} documents, {info.commitments} commitments, {info.references} references, "
               f"{info.quads} triples, {info.index_records} index records in {info.path}")


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH_OR_URL...")
@data_dir_option
@click.option("--title", default="", help="The document's title (default: what the file says).")
@click.option("--publisher", "publishers", multiple=True, help="Who published it. Repeatable.")
@click.option("--issued", default="", metavar="YYYY-MM-DD", help="When it was published (YYYY or YYYY-MM will do).")
@click.option("--id", "ident", default="", help="Its id in policygraph (default: from the title and year).")
def ingest(paths, data_dir, title, publishers, issued, ident):
    """Add documents to the current build, or replace them, without rebuilding the rest.

    Only the new files are read; the graph and the search index are updated in a new
    build that is swapped in when complete. If any file cannot be read, nothing changes.
    The options describe a single document; give several files only when each file says
    its own title, publisher and date.

    \b
    Example:
        policygraph ingest plan.txt --title "Our plan" --publisher "NHS London" --issued 2021-03-01
        policygraph ingest https://example.org/strategy.html --publisher "London Councils" --issued 2022
    """
    from graph.datadir import ingest_paths

    config = config_for(data_dir)
    if len(paths) > 1 and (title or ident):
        raise click.UsageError("--title and --id describe one document; ingest one file at a time with them")
    info = ingest_paths(Path(config["DATA_DIR"]), list(paths), title, tuple(publishers), issued, ident,
                        tqdm_progress)
    click.echo(f"now {info.documents} documents, {info.commitments} commitments, {info.index_records} index "
               f"records in {info.path}")


@main.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@data_dir_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "table"]), default="jsonl", show_default=True)
@click.option("--title", default="", help="The document's title (default: what the file says).")
@click.option("--publisher", "publishers", multiple=True, help="Who published it. Repeatable.")
@click.option("--issued", default="", metavar="YYYY-MM-DD", help="When it was published (default: what the file "
              "says, else this year).")
def extract(path, data_dir, fmt, title, publishers, issued):
    """Print the commitments and lineage statements found in a file, without storing anything.

    References are resolved against the documents of the current build (the bundled
    corpus when nothing is built). In jsonl, one object per line.

    \b
    Example:
        policygraph extract plan.pdf
        policygraph extract strategy.html --format table
        policygraph extract notes.txt --issued 2021-03 --publisher "NHS London" --format csv
    """
    from corpus.export import format_rows
    from graph.datadir import extract_file

    rows = extract_file(Path(config_for(data_dir)["DATA_DIR"]), path, title, tuple(publishers), issued)
    click.echo(format_rows(rows, fmt))


@main.command()
@data_dir_option
@click.option("--host", default=None, help="Address to listen on (default 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port to listen on (default 5000).")
@click.option("--workers", default=None, type=click.IntRange(min=1),
              help="Worker processes (default: $POLICYGRAPH_WORKERS or 2).")
@click.option("--rebuild", is_flag=True, help="Rebuild the bundled corpus before serving.")
def serve(data_dir, host, port, workers, rebuild):
    """Serve the web pages and API, building the bundled corpus first if nothing is built yet.

    \b
    Example:
        policygraph serve
        policygraph serve --port 8080 --data-dir /srv/policygraph
        policygraph serve --workers 4 --host 0.0.0.0
    """
    from graph.datadir import ensure_built
    from server import run_server
    from web import create_app

    config = config_for(data_dir, HOST=host, PORT=port, WORKERS=workers)
    message = ensure_built(Path(config["DATA_DIR"]), config["BASE_URI"], rebuild, tqdm_progress,
                           backend=config["SEARCH_BACKEND"], endpoint=endpoint_from(config))
    if message:
        click.echo(message, err=True)
    create_app(config)  # fail here, with a clear message, rather than in every worker
    click.echo(f"serving http://{config['HOST']}:{config['PORT']}/ with {config['WORKERS']} workers of "
               f"{config['THREADS']} threads (Ctrl+C to stop)", err=True)
    run_server(config)


@main.command()
@click.argument("query", default="")
@data_dir_option
@click.option("--filter", "filters", multiple=True, metavar="FIELD=VALUE",
              help="Keep only results with this value (document, year, actor, theme, publisher, deadline, kind, "
                   "status). Repeatable.")
@click.option("--facet", "facets", multiple=True, metavar="FIELD",
              help="Also print the counts of this facet's values. Repeatable.")
@click.option("--sort", type=click.Choice(["relevance", "date", "deadline"]), default="relevance", show_default=True)
@click.option("--limit", default=10, show_default=True, help="How many results to print.")
@click.option("--offset", default=0, show_default=True, help="How many results to skip (for paging).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--as-of", "as_of", default=None, metavar="YYYY-MM-DD",
              help="Judge deadline statuses (due, overdue, superseded) on this day instead of today.")
def search(query, data_dir, filters, facets, sort, limit, offset, fmt, as_of):
    """Search commitments, passages and documents by keyword, best first.

    QUERY takes plain words (all must match), "quoted phrases", AND / OR / NOT,
    brackets, truncated words (vaccin* for every word starting so), and fields:
    document:, actor:, theme:, year:, deadline:, publisher:, kind:, status:.

    \b
    Example:
        policygraph search obesity
        policygraph search '"social prescribing" year:2019' --format json
        policygraph search 'smoking NOT pregnancy' --facet document
        policygraph search 'immunis* OR vaccin*' --sort date
        policygraph search ICS --filter status=overdue --sort deadline
        policygraph search 'status:due' --as-of 2019-01-01
    """
    from graph.datadir import search_data

    pairs = dict(_split_filter(f) for f in filters)
    config = config_for(data_dir)
    results = search_data(Path(config["DATA_DIR"]), query, pairs, limit, offset, sort, as_of,
                          int(config["SEARCH_BEST_OF"]))
    click.echo(format_hits(results, fmt, facets))


def _split_filter(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise click.BadParameter(f"{text!r} is not FIELD=VALUE", param_hint="--filter")
    key, value = text.split("=", 1)
    return key.strip(), value.strip()


def format_hits(results, fmt: str, facets: tuple[str, ...] = ()) -> str:
    rows = [{"id": h.id, "kind": h.kind, "document": h.document, "year": h.year, "section": h.section,
             "page": h.page, "actor": h.actor, "deadline": h.deadline, "status": h.status, "score": h.score,
             "text": h.text} for h in results.hits]
    counts = {name: results.facets.get(name, []) for name in facets}
    if fmt == "json":
        return json.dumps({"query": results.query, "total": results.total, "every_word": results.every_word,
                           "approximate": results.approximate,
                           "suggestion": results.suggestion,
                           "corrected": results.corrected, "hits": rows, "facets": counts}, indent=2)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["id"])
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()
    return format_table(results, rows, counts)


def format_table(results, rows: list[dict], counts: dict) -> str:
    about = "about " if results.approximate else ""
    some = results.total - results.every_word
    widened = f": {results.every_word} with every word, then {some} with some of them" if some > 0 else ""
    plural = "" if results.total == 1 else "s"
    lines = [f"{about}{results.total} result{plural} for {results.query!r}{widened}"]
    if results.suggestion:
        lines.append(("showing results for " if results.corrected else "did you mean ") + repr(results.suggestion))
    for i, row in enumerate(rows, 1):
        where = f"{row['document']} ({row['year']})" + (f", p. {row['page']}" if row["page"] else "")
        lines.append(f"{i:>3}. {row['text']}\n     {row['kind']} · {where} · {row['section']} · {row['actor']}"
                     f" · id {row['id']}")
    for name, values in counts.items():
        lines.append(f"{name}: " + ", ".join(f"{value} ({count})" for value, count in values))
    return "\n".join(lines)


@main.command()
@click.argument("ident")
@data_dir_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--to", "earlier", default=None, metavar="ID",
              help="Only the paths of derivations from IDENT back to this earlier document or commitment.")
def lineage(ident, data_dir, fmt, earlier):
    """Show what a document or commitment derives from: chains back to the origins, each link with its
    relation, evidence and what drifted.

    \b
    Example:
        policygraph lineage ovl-2019
        policygraph lineage 480df4e9f730 --format json
        policygraph lineage ovl-2019 --to bhfl-2014
    """
    from graph.datadir import lineage_data, paths_data
    from graph.lineage import format_trace

    if earlier:
        paths = paths_data(Path(config_for(data_dir)["DATA_DIR"]), ident, earlier)
        for path in paths:
            click.echo(" <- ".join(f"{n.label[:60]} ({n.document} {n.year})" for n in path))
        if not paths:
            click.echo(f"{ident} does not derive from {earlier}")
        return
    trace = lineage_data(Path(config_for(data_dir)["DATA_DIR"]), ident)
    if fmt == "json":
        from web import to_json

        click.echo(json.dumps(to_json(trace), indent=2))
        return
    click.echo(format_trace(trace))


@main.command()
@click.argument("query")
@data_dir_option
@click.option("--format", "fmt", default="table", show_default=True,
              type=click.Choice(["table", "csv", "tsv", "json", "xml", "ttl", "nt", "jsonld", "rdfxml"]),
              help="table/csv/tsv/json/xml for SELECT and ASK; ttl/nt/jsonld/rdfxml for CONSTRUCT and DESCRIBE.")
@click.option("--timeout", type=click.FloatRange(min=0), default=None,
              help="Seconds before the query is stopped (default: $POLICYGRAPH_SPARQL_TIMEOUT or 10; 0: no limit).")
@click.option("--max-rows", type=click.IntRange(min=0), default=None,
              help="Most rows (triples for CONSTRUCT/DESCRIBE) to print; more are cut, with a notice on stderr "
                   "(default: $POLICYGRAPH_SPARQL_MAX_ROWS or 10000; 0: no cap).")
def sparql(query, data_dir, fmt, timeout, max_rows):
    """Run a read-only SPARQL query: QUERY, @file.rq, or example:NAME (see graph/queries/).

    Our prefixes (pg:, prov:, dcterms:, skos:, schema:, oa:, cito:, ...) are predeclared.

    \b
    Example:
        policygraph sparql 'SELECT (COUNT(*) AS ?n) WHERE { ?c a pg:Commitment }' --format csv
        policygraph sparql @my-query.rq --format json
        policygraph sparql example:05-priorities-and-origins
    """
    from graph.datadir import sparql_data

    if query.startswith("example:"):
        from graph.examples import get_example

        query = get_example(query.split(":", 1)[1]).query
    elif query.startswith("@"):
        try:
            query = Path(query[1:]).read_text(encoding="utf-8")
        except OSError as exc:
            raise click.BadParameter(f"cannot read {query[1:]}: {exc.strerror}", param_hint="QUERY") from exc
    config = config_for(data_dir, SPARQL_TIMEOUT=timeout, SPARQL_MAX_ROWS=max_rows)
    text, notice = sparql_data(Path(config["DATA_DIR"]), query, fmt, config["SPARQL_TIMEOUT"],
                               config["SPARQL_MAX_ROWS"])
    click.echo(text.rstrip("\n"))
    if notice:
        click.echo(f"note: {notice}", err=True)


@main.command()
@data_dir_option
def validate(data_dir):
    """Check the current build against the SHACL shapes (graph/shapes.ttl); exit 1 on any violation.

    \b
    Example:
        policygraph validate
        policygraph validate --data-dir /srv/policygraph
    """
    from graph.datadir import validate_data

    report = validate_data(Path(config_for(data_dir)["DATA_DIR"]))
    for finding in report.findings:
        click.echo(f"{finding.severity}: {finding.focus} {finding.path} {finding.message}")
    counts = {s: sum(f.severity == s for f in report.findings) for s in ("Violation", "Warning")}
    click.echo(f"{'conforms' if report.conforms else 'does not conform'}: "
               f"{counts['Violation']} violations, {counts['Warning']} warnings")
    if not report.conforms:
        raise SystemExit(1)


@main.group()
def link() -> None:
    """Curate lineage: confirm or reject a suggested link, or add one by hand.

    Decisions go to curated-links.yaml in the data directory, outlive every rebuild, and always win
    over the linker's suggestions. Each names the later and the earlier commitment (or document) by id.

    \b
    Example:
        policygraph link confirm 480df4e9f730 766c63db188a --by "A. Analyst"
        policygraph link reject 3603e0a2bd2a be647d75822e --by "A. Analyst" --note "different topic"
        policygraph link add 89caf57a39ee b106a7a1b785 --relation builds-on --by "A. Analyst"
    """


def curate(decision: str, later: str, earlier: str, by: str, relation: str, note: str, data_dir) -> None:
    from graph.curation import new_decision
    from graph.datadir import curate_data_dir

    info = curate_data_dir(Path(config_for(data_dir)["DATA_DIR"]), new_decision(decision, later, earlier, by,
                                                                                 relation, note))
    click.echo(f"{decision}ed {later} -> {earlier}; the graph now holds {info.quads} triples")


def curation_options(func):
    func = click.option("--note", default="", help="Why, for the next reader.")(func)
    func = click.option("--by", required=True, help="Who decides (kept with the link).")(func)
    func = data_dir_option(func)
    func = click.argument("earlier")(func)
    return click.argument("later")(func)


@link.command()
@curation_options
def confirm(later, earlier, by, note, data_dir):
    """Confirm that LATER derives from EARLIER (a suggested link, or any pair)."""
    curate("confirm", later, earlier, by, "", note, data_dir)


@link.command()
@curation_options
def reject(later, earlier, by, note, data_dir):
    """Reject a suggested link: it will not be written again, whatever the linker says."""
    curate("reject", later, earlier, by, "", note, data_dir)


@link.command()
@curation_options
@click.option("--relation", required=True, help="builds-on, implements, restates, strengthens, weakens, "
              "narrows, broadens, supersedes, responds-to or refreshes.")
def add(later, earlier, by, note, relation, data_dir):
    """Add a link the linker did not find."""
    curate("add", later, earlier, by, relation, note, data_dir)


CHECKOUT_TESTS = Path(__file__).parent / "tests" / "data"


@main.command("eval")
@data_dir_option
@click.option("--search", "what", flag_value="search", default=True,
              help="Rank the judged queries and print nDCG@10 (the default).")
@click.option("--extraction", "what", flag_value="extraction",
              help="Extract the labelled sentences and print precision, recall and the rest.")
@click.option("--lineage", "what", flag_value="lineage",
              help="Suggest commitment links and print precision and recall against the gold links.")
@click.option("--judgments", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The judged queries, labelled sentences or gold links (default: the files in tests/data/).")
@click.option("--threshold", type=click.FloatRange(0, 1), default=None,
              help="With --lineage: the confidence at which a link is suggested (default: the linker's).")
def evaluate(data_dir, what, judgments, threshold):
    """Measure quality: the search ranking's nDCG@10, extraction's or lineage's precision and recall.

    The judged queries and labelled sentences ship with the source checkout, under tests/data/.

    \b
    Example:
        policygraph eval --search
        policygraph eval --extraction
        policygraph eval --search --judgments my-queries.toml
        policygraph eval --lineage --threshold 0.6
    """
    if what == "lineage":
        from graph.datadir import lineage_evaluation_data
        from graph.evaluation import format_link_scores

        path = judgments or CHECKOUT_TESTS / "lineage_gold.toml"
        scores = lineage_evaluation_data(Path(config_for(data_dir)["DATA_DIR"]), path, threshold)
        click.echo(format_link_scores(scores))
        return
    if what == "extraction":
        from corpus.evaluation import evaluate_extraction, format_scores

        click.echo(format_scores(evaluate_extraction(judgments or CHECKOUT_TESTS / "extraction_devset.jsonl")))
        return
    from graph.datadir import search_evaluation_data
    from search.evaluation import format_evaluation

    path = judgments or CHECKOUT_TESTS / "relevance.toml"
    click.echo(format_evaluation(search_evaluation_data(Path(config_for(data_dir)["DATA_DIR"]), path)))


if __name__ == "__main__":
    main()
