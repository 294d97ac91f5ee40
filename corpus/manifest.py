"""The manifest: one TOML table per document of a corpus."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path

from corpus.errors import CorpusError
from corpus.models import DocumentMeta

RELATION_KEYS = {
    "builds_on": "builds-on",
    "implements": "implements",
    "responds_to": "responds-to",
    "refreshes": "refreshes",
    "supersedes": "supersedes",
    "cites": "cites",
}
REQUIRED = ("id", "title", "publishers", "issued")
ISSUED = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def bundled_corpus_dir() -> Path:
    """The folder of the London corpus that ships inside the package."""
    return Path(str(resources.files("corpus") / "data"))


def load_manifest(path: Path) -> list[DocumentMeta]:
    """Read a manifest file into document metadata, checking every entry.

    :raises CorpusError: naming the file and the entry that is wrong.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CorpusError(f"{path}: cannot read the manifest: {exc}") from exc
    entries = data.get("document", [])
    if not entries:
        raise CorpusError(f"{path}: no [[document]] entries")
    metas = [parse_entry(entry, f"{path} entry {i + 1}") for i, entry in enumerate(entries)]
    seen: set[str] = set()
    for meta in metas:
        if meta.id in seen:
            raise CorpusError(f"{path}: document id {meta.id!r} appears twice")
        seen.add(meta.id)
    return metas


def parse_entry(entry: dict, where: str) -> DocumentMeta:
    """Turn one manifest table into a DocumentMeta."""
    missing = [key for key in REQUIRED if not entry.get(key)]
    if missing:
        raise CorpusError(f"{where}: missing {', '.join(missing)}")
    if not ID.match(str(entry["id"])):
        raise CorpusError(f"{where}: id {entry['id']!r} must be lower-case letters, digits and '-'")
    issued = str(entry["issued"])
    if not ISSUED.match(issued):
        raise CorpusError(f"{where}: issued {issued!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    relations = []
    for key, ids in (entry.get("relations") or {}).items():
        if key not in RELATION_KEYS:
            raise CorpusError(f"{where}: unknown relation {key!r} (use {', '.join(RELATION_KEYS)})")
        relations.extend((RELATION_KEYS[key], str(other)) for other in ids)
    publishers = entry["publishers"]
    if isinstance(publishers, str):
        publishers = [publishers]
    return DocumentMeta(
        id=str(entry["id"]),
        title=str(entry["title"]),
        publishers=tuple(publishers),
        issued=issued,
        url=str(entry.get("url", "")),
        kind=str(entry.get("kind", "report")),
        short_names=tuple(entry.get("short_names", ())),
        note=str(entry.get("note", "")),
        unverified=tuple(entry.get("unverified", ())),
        relations=tuple(relations),
        file=str(entry.get("file", "")),
    )
