"""The peer: SQLite FTS5 (the engine Datasette uses) over the same records, asked the same queries.

It gets what ours gets: BM25 with the text weighted over the heading, Porter stemming, a highlighted
snippet per hit, the top 10, and facet counts over every match.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from pathlib import Path

FACETS = ("kind", "document", "year", "actor")
FILTER = re.compile(r'(\w+):("[^"]*"|\S+)')


def build(records: Iterable[dict], path: Path) -> int:
    db = sqlite3.connect(path)
    db.execute("CREATE VIRTUAL TABLE hits USING fts5(text, heading, tokenize='porter unicode61')")
    db.execute(f"CREATE TABLE facets (id TEXT, {', '.join(FACETS)})")
    count = 0
    with db:
        for rowid, record in enumerate(records, start=1):
            db.execute("INSERT INTO hits (rowid, text, heading) VALUES (?, ?, ?)",
                       (rowid, record["text"], record["heading"]))
            db.execute("INSERT INTO facets (rowid, id, kind, document, year, actor) VALUES (?, ?, ?, ?, ?, ?)",
                       (rowid, record["id"], record["kind"], record["document"], str(record["year"]),
                        record["actor"]))
            count += 1
    db.close()
    return count


def open_fts(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def to_fts(query: str) -> tuple[str, list[tuple[str, str]]]:
    """Our query language in FTS5's: words and phrases stay, NOT needs a left side, fields become WHERE terms."""
    filters = [(name, value.strip('"')) for name, value in FILTER.findall(query)]
    text = FILTER.sub("", query).strip()
    return text, filters


def search(db: sqlite3.Connection, query: str, limit: int = 10) -> tuple[list[tuple], dict[str, list]]:
    text, filters = to_fts(query)
    where = "".join(f" AND f.{name} = ?" for name, _ in filters if name in FACETS)
    values = [text, *(value for name, value in filters if name in FACETS)]
    matching = f"SELECT hits.rowid AS rowid FROM hits JOIN facets f ON f.rowid = hits.rowid " \
               f"WHERE hits MATCH ?{where}"
    top = db.execute(
        "SELECT f.id, snippet(hits, 0, '<mark>', '</mark>', ' … ', 24), bm25(hits, 2.0, 0.5) AS score "
        f"FROM hits JOIN facets f ON f.rowid = hits.rowid WHERE hits MATCH ?{where} ORDER BY score LIMIT ?",
        [*values, limit]).fetchall()
    facets = {name: db.execute(f"SELECT {name}, COUNT(*) AS n FROM facets WHERE rowid IN ({matching}) "
                               f"GROUP BY {name} ORDER BY n DESC LIMIT 20", values).fetchall()
              for name in FACETS}
    return top, facets
