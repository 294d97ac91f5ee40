"""The search query language, parsed once into a small tree that each engine compiles.

    obesity children            both words (AND is the default)
    "social prescribing"        a phrase
    alcohol OR drugs            either; NOT smoking, -smoking: without
    (air OR noise) pollution    groups
    vaccin*                     any word starting so (search.wildcards, which needs the index's words)
    document:ltp-2019 actor:"NHS England" theme:obesity year:2019 deadline:2024 kind:commitment status:overdue
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.errors import BadQuery

FIELDS = ("document", "actor", "theme", "year", "deadline", "publisher", "kind", "status")
LEXER = re.compile(r'\s*(?:(?P<open>\()|(?P<close>\))|(?P<phrase>"[^"]*"?)'
                   r'|(?P<field>(?:' + "|".join(FIELDS) + r'):(?:"[^"]*"?|[^\s()"]+))'
                   r'|(?P<minus>-)(?=[^\s-])|(?P<word>[^\s()"]+))', re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Word:
    text: str


@dataclass(frozen=True, slots=True)
class Phrase:
    text: str


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    value: str


@dataclass(frozen=True, slots=True)
class Not:
    node: Node


@dataclass(frozen=True, slots=True)
class All:
    nodes: tuple[Node, ...]
    strict: bool = False  # written with AND: only records with every part, never widened to some


@dataclass(frozen=True, slots=True)
class Any:
    nodes: tuple[Node, ...]


Node = Word | Phrase | Field | Not | All | Any


def parse(query: str) -> Node:
    """The tree of `query`.

    :raises BadQuery: for unbalanced brackets or a query with nothing to search for.
    """
    parser = _Parser(_lex(query))
    node = parser.disjunction()
    if parser.peek() is not None:
        raise BadQuery(f"unbalanced ')' in the query {query!r}")
    if node is None:
        raise BadQuery(f"nothing to search for in {query!r}")
    return node


def _lex(query: str) -> list[tuple[str, str]]:
    found = []
    for match in LEXER.finditer(query):
        kind = match.lastgroup
        text = match.group(kind)
        if kind == "word" and text in ("AND", "OR", "NOT"):
            kind = text
        found.append((kind, text))
    return found


class _Parser:
    """Recursive descent: OR binds loosest, then AND (written or implied), then NOT."""

    def __init__(self, lexed: list[tuple[str, str]]):
        self.lexed, self.at = lexed, 0

    def peek(self) -> str | None:
        return self.lexed[self.at][0] if self.at < len(self.lexed) else None

    def take(self) -> tuple[str, str]:
        self.at += 1
        return self.lexed[self.at - 1]

    def disjunction(self) -> Node | None:
        nodes = [self.conjunction()]
        while self.peek() == "OR":
            self.take()
            nodes.append(self.conjunction())
        return _combine(Any, nodes)

    def conjunction(self) -> Node | None:
        nodes, written = [], False
        while self.peek() not in (None, "OR", "close"):
            if self.peek() == "AND":
                self.take()
                written = True
                continue
            nodes.append(self.negation())
        node = _combine(All, nodes)
        return All(node.nodes, strict=True) if written and isinstance(node, All) else node

    def negation(self) -> Node | None:
        if self.peek() in ("NOT", "minus"):
            self.take()
            inner = self.negation()
            return Not(inner) if inner is not None else None
        return self.atom()

    def atom(self) -> Node | None:
        if self.peek() is None:
            return None
        kind, text = self.take()
        if kind == "open":
            inner = self.disjunction()
            if self.peek() != "close":
                raise BadQuery("unbalanced '(' in the query: add the closing ')'")
            self.take()
            return inner
        if kind == "phrase":
            words = text.strip('"').strip()
            return Phrase(words) if words else None
        if kind == "field":
            name, value = text.split(":", 1)
            return Field(name.lower(), value.strip('"').strip()) if value.strip('" ') else None
        return Word(text)


def _combine(kind, nodes):
    nodes = tuple(n for n in nodes if n is not None)
    if not nodes:
        return None
    return nodes[0] if len(nodes) == 1 else kind(nodes)


def words_of(node: Node, negated: bool = False) -> list[str]:
    """The words and phrases a match must contain, for highlighting and spelling suggestions."""
    if isinstance(node, Word | Phrase):
        return [] if negated else [node.text]
    if isinstance(node, Not):
        return words_of(node.node, not negated)
    if isinstance(node, All | Any):
        return [w for n in node.nodes for w in words_of(n, negated)]
    return []


def split_filters(node: Node) -> tuple[Node | None, list[Field]]:
    """Take the field terms that stand at the top level of an AND out of the tree, as filters."""
    if isinstance(node, Field):
        return None, [node]
    if isinstance(node, All):
        fields = [n for n in node.nodes if isinstance(n, Field)]
        rest = [n for n in node.nodes if not isinstance(n, Field)]
        rest = _combine(All, rest)
        return (All(rest.nodes, node.strict) if isinstance(rest, All) else rest), fields
    return node, []


def replace_words(node: Node, change) -> Node:
    """The same tree with each Word or Phrase passed through `change` (which may return a subtree)."""
    if isinstance(node, Word | Phrase):
        return change(node)
    if isinstance(node, Not):
        return Not(replace_words(node.node, change))
    if isinstance(node, Any):
        return Any(tuple(replace_words(n, change) for n in node.nodes))
    if isinstance(node, All):
        return All(tuple(replace_words(n, change) for n in node.nodes), node.strict)
    return node


def prune(node: Node | None, keep) -> Node | None:
    """The tree without the words and phrases for which `keep` is false (None if nothing is left)."""
    if node is None or isinstance(node, Field):
        return node
    if isinstance(node, Word | Phrase):
        return node if keep(node) else None
    if isinstance(node, Not):
        inner = prune(node.node, keep)
        return Not(inner) if inner is not None else None
    pruned = _combine(type(node), [prune(n, keep) for n in node.nodes])
    return All(pruned.nodes, node.strict) if isinstance(node, All) and isinstance(pruned, All) else pruned


def unparse(node: Node) -> str:
    """The query as a user would type it (for "did you mean" links)."""
    if isinstance(node, Word):
        return node.text
    if isinstance(node, Phrase):
        return f'"{node.text}"'
    if isinstance(node, Field):
        return f'{node.name}:"{node.value}"' if " " in node.value else f"{node.name}:{node.value}"
    if isinstance(node, Not):
        return f"NOT {unparse(node.node)}"
    joiner = " OR " if isinstance(node, Any) else " AND " if node.strict else " "
    inner = joiner.join(unparse(n) for n in node.nodes)
    return f"({inner})" if isinstance(node, Any) else inner
