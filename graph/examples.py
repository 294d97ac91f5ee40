"""The library of example SPARQL queries in graph/queries/*.rq, each with a title and a description."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from corpus.errors import NotFound


@dataclass(frozen=True, slots=True)
class Example:
    name: str
    title: str
    description: str
    query: str


def load_examples() -> list[Example]:
    """Every example query, in file-name order."""
    folder = resources.files("graph") / "queries"
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".rq")), key=lambda f: f.name)
    return [parse_example(f.name[:-3], f.read_text(encoding="utf-8")) for f in files]


def parse_example(name: str, text: str) -> Example:
    """Read the `# title:` and `# description:` header lines; the rest is the query."""
    header = {}
    for line in text.splitlines():
        if line.startswith("# ") and ":" in line:
            key, value = line[2:].split(":", 1)
            header[key.strip()] = value.strip()
    return Example(name, header.get("title", name), header.get("description", ""), text)


def get_example(name: str) -> Example:
    """:raises NotFound: naming the examples there are."""
    for example in load_examples():
        if example.name == name:
            return example
    raise NotFound(f"no example query {name!r}; there are: {', '.join(e.name for e in load_examples())}")
