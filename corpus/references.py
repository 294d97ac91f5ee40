"""Lineage statements: which earlier documents a document builds on, implements, responds to or cites.

References are found by name (titles, short names and acronyms from the manifest) and the
relation is read from the cue nearest before the name ("building on", "in response to",
"to implement the recommendations of", ...). A cue in a section heading ("Building on Better
Health for London") governs the names in that section that have no cue of their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from corpus.models import Commitment, Document, DocumentMeta, Reference, Sentence

CUES: tuple[tuple[str, str], ...] = (
    ("implements", r"to implement|implement(?:s|ed|ing)?|in implementing|deliver(?:s|ing)? on|"
                   r"to deliver|take[sn]? forward|taking forward|put into practice|as agreed in|"
                   r"under the terms of"),
    ("responds-to", r"in response to|a response to|respond(?:s|ed|ing)? to|in light of|in the light of|"
                    r"reacting to|following the publication of"),
    ("builds-on", r"build(?:s|ing)? on|built on|build(?:s|ing)? upon|draw(?:s|ing)? on|drew on|"
                  r"extend(?:s|ing)?|continu(?:es|ing) the work of|develop(?:s|ing)? further|inform(?:ed)? by|"
                  r"based on|follow(?:s|ing)? on from|picks? up|in line with"),
    ("refreshes", r"refresh(?:es|ed|ing)?|update[sd]?|updating|renew(?:s|ed|ing)?"),
    ("supersedes", r"supersed(?:es|ed|ing)|replac(?:es|ed|ing)"),
    ("cites", r"as set out in|set out in|as described in|described in|as committed in|as announced in|"
              r"according to|as recommended (?:by|in)|cited in|see"),
)
CUE_RE = re.compile("|".join(rf"(?P<c{i}>\b(?:{pattern})\b)" for i, (_, pattern) in enumerate(CUES)),
                    re.IGNORECASE)
ANAPHOR = re.compile(r"\b(?:this|that|these|those|the|its|their)\s+(?:\w+\s+){0,2}?"
                     r"(?:programme|plan|report|strategy|memorandum|agreement|paper|work|document|"
                     r"recommendations|commitments|ambitions|review|vision)\b", re.IGNORECASE)
CONFIDENCE = {"sentence": 0.9, "anaphor": 0.75, "heading": 0.7, "mention": 0.5}
LINEAGE_RELATIONS = ("builds-on", "implements", "responds-to", "refreshes", "supersedes")


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    document: str
    text: str


class AliasTable:
    """Recognise names of known documents in text, longest name first."""

    def __init__(self, metas: Iterable[DocumentMeta], extra: dict[str, str] | None = None) -> None:
        self.metas = {m.id: m for m in metas}
        names: dict[str, str] = {}
        for meta in self.metas.values():
            for alias in meta.aliases:
                for variant in alias_variants(alias):
                    names.setdefault(variant.lower(), meta.id)
        for name, doc in (extra or {}).items():
            names.setdefault(name.lower(), doc)
        self.extra = dict(extra or {})
        self.by_name = names
        # One trie of words, not an alternation of every name: with a thousand known documents the
        # alternation tried each name at each position, and extraction slowed tenfold (bench scale L)
        self.pattern = re.compile(rf"(?<![\w-]){_trie_regex(names)}(?![\w-])", re.IGNORECASE) if names else None

    def find(self, text: str) -> list[Mention]:
        if self.pattern is None:
            return []
        out = []
        for match in self.pattern.finditer(text):
            found = match.group(0)
            key = " ".join(normalise_quotes(found).split()).lower()
            doc = self.by_name.get(key)
            if doc and (not _is_acronym(key) or found.isupper()):
                out.append(Mention(match.start(), match.end(), doc, found))
        return out


    def with_abbreviations(self, document: Document) -> AliasTable:
        """This table plus the document's own list of abbreviations, where an entry names a known document."""
        extra = {}
        for short, long in abbreviations(document):
            targets = {m.document for m in self.find(long)}
            if len(targets) == 1 and short.lower() not in self.by_name:
                extra[short] = targets.pop()
        return AliasTable(self.metas.values(), {**self.extra, **extra}) if extra else self


ABBREVIATIONS = re.compile(r"^(?:abbreviations|acronyms|glossary)(?:\s+and\s+\w+)?$", re.IGNORECASE)
ENTRY = re.compile(r"^(?P<short>[A-Z][A-Za-z0-9&]{1,9})\s*(?:[:–—=-]|\t|\s{2,})\s*(?P<long>\S.{3,120})$")


def glossary_sections(document: Document) -> set[str]:
    return {s.eid for s in document.sections if ABBREVIATIONS.match(s.heading.strip())}


def abbreviations(document: Document) -> list[tuple[str, str]]:
    """(abbreviation, what it stands for) from a section headed Abbreviations, Acronyms or Glossary."""
    glossary = glossary_sections(document)
    found = []
    for sentence in document.sentences:
        if sentence.section in glossary and not sentence.is_heading:
            entry = ENTRY.match(sentence.text.strip().rstrip("."))
            if entry:
                found.append((entry.group("short"), entry.group("long").strip()))
    return found


def _word_regex(word: str) -> str:
    return re.escape(word).replace("'", "['\u2019]")


def _trie_regex(names: Iterable[str]) -> str:
    """A pattern matching any of `names` (words separated by any space), the longest where several
    start at one place: a trie of their words, so matching follows one branch instead of trying each."""
    trie: dict = {}
    for name in names:
        node = trie
        for word in name.split():
            node = node.setdefault(word, {})
        node[""] = {}  # a name ends here

    def pattern(node: dict) -> str:
        words = sorted((w for w in node if w), key=lambda w: (-len(w), w))  # longer first: "NHSE" before "NHS"
        branches = [_word_regex(w) + (rf"(?:\s+{pattern(node[w])})" + ("?" if "" in node[w] else "")
                                      if any(node[w]) and set(node[w]) != {""} else "") for w in words]
        return "(?:" + "|".join(branches) + ")"

    return pattern(trie)


def _is_acronym(name: str) -> bool:
    return len(name) <= 6 and " " not in name


def normalise_quotes(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')


def alias_variants(alias: str) -> set[str]:
    """A title and the forms it is cited by: without "The" or "of Understanding".

    A subtitle is never dropped: "Better Health for London: Next Steps" must not shrink to its parent's title."""
    alias = normalise_quotes(alias.strip())
    out = {alias}
    if alias.lower().startswith("the "):
        out.add(alias[4:])
    if alias.endswith(" of Understanding"):
        out.add(alias[: -len(" of Understanding")])
    return {v for v in out if len(v) >= 3 or (len(v) >= 2 and v.isupper())}


def extract_references(document: Document, known: AliasTable,
                       commitments: Iterable[Commitment] = ()) -> list[Reference]:
    """Find every statement in the document about how it (or another document) derives from an earlier one."""
    known = known.with_abbreviations(document)
    by_sentence = {(c.char_start, c.char_end): c.id for c in commitments if c.kind != "priority"}
    by_section = {c.section: c.id for c in commitments if c.kind == "priority"}
    issued = document.meta.issued
    heading_cue: dict[str, str] = {}
    last_seen: str | None = None
    refs: list[Reference] = []
    glossary = glossary_sections(document)  # a list of names states no lineage
    for sentence in document.sentences:
        if sentence.section in glossary:
            continue
        if sentence.is_heading:
            heading_cue[sentence.section] = _first_cue(sentence.text) or ""
            last_seen = None
        found, last_seen = read_sentence(sentence, document, known, heading_cue, last_seen)
        for subject, target, relation, cited, how in found:
            if target == subject or not _earlier(known.metas.get(target), issued):
                continue
            commitment = by_sentence.get((sentence.char_start, sentence.char_end)) or (
                by_section.get(sentence.section) if subject == document.id else "")
            refs.append(Reference(document.id, subject, target, relation, cited, sentence.text, sentence.page,
                                  sentence.section, CONFIDENCE[how], commitment or ""))
    return dedupe(refs)


def _earlier(meta: DocumentMeta | None, issued: str) -> bool:
    return meta is not None and meta.issued[:7] <= issued[:7]


def _first_cue(text: str) -> str | None:
    match = CUE_RE.search(text)
    return _cue_relation(match) if match else None


def _cue_relation(match: re.Match) -> str:
    index = next(int(name[1:]) for name, value in match.groupdict().items() if value)
    return CUES[index][0]


def read_sentence(sentence: Sentence, document: Document, known: AliasTable,
                  heading_cue: dict[str, str], last_seen: str | None):
    """Return the (subject, target, relation, cited as, how) statements in one sentence."""
    text = normalise_quotes(sentence.text)
    mentions = known.find(text)
    cues = list(CUE_RE.finditer(text))
    out = []
    governed: set[int] = set()
    pending = None  # a lineage cue still waiting for its document ("to implement the ideas set out in X")
    for cue_index, cue in enumerate(cues):
        relation = _cue_relation(cue)
        if relation == "cites" and pending:
            relation = pending
        end = cues[cue_index + 1].start() if cue_index + 1 < len(cues) else len(text)
        subject = _subject_before(cue, mentions, text, document.id)
        objects = [m for m in mentions if cue.end() <= m.start < end and m.document != document.id]
        for mention in objects:
            out.append((subject, mention.document, relation, mention.text, "sentence"))
            governed.add(mention.start)
        anaphor = ANAPHOR.search(text, cue.end(), end)
        if not objects and anaphor and last_seen:
            out.append((subject, last_seen, relation, anaphor.group(0), "anaphor"))
        waiting = not objects and not (anaphor and last_seen) and relation in LINEAGE_RELATIONS
        pending = relation if waiting else None
    section_cue = heading_cue.get(sentence.section) or ""
    for mention in mentions:
        if mention.document == document.id or mention.start in governed:
            continue
        if section_cue and section_cue in LINEAGE_RELATIONS:
            out.append((document.id, mention.document, section_cue, mention.text, "heading"))
        else:
            out.append((document.id, mention.document, "cites", mention.text, "mention"))
    others = [m.document for m in mentions if m.document != document.id]
    return out, (others[-1] if others else last_seen)


def _subject_before(cue: re.Match, mentions: list[Mention], text: str, current: str) -> str:
    """The document a cue is about: a name just before it ("the Next Steps plan to implement"), else this one."""
    before = [m for m in mentions if m.end <= cue.start()]
    if before:
        gap = text[before[-1].end:cue.start()]
        if not re.search(r"[,;:()]", gap) and len(gap.split()) <= 3:
            return before[-1].document
    return current


def dedupe(refs: list[Reference]) -> list[Reference]:
    """Keep one reference per (subject, target, relation, evidence sentence), the most confident."""
    best: dict[tuple, Reference] = {}
    for ref in refs:
        key = (ref.subject, ref.target, ref.relation, ref.evidence)
        if key not in best or ref.confidence > best[key].confidence:
            best[key] = ref
    return list(best.values())


# A title nobody has told us about: capitalised words (small joining words allowed), maybe with its year.
TITLE = re.compile(r"(?:the\s+)?((?:[A-Z][\w’'&-]*)(?:\s+(?:[A-Z][\w’'&:-]*|of|and|for|in|on|to|the)){1,10}"
                   r"(?:\s*\((?:19|20)\d\d\))?)")


def unknown_citations(document: Document, known: AliasTable) -> list[tuple[str, str, Sentence]]:
    """(relation, title as written, sentence) for each document a lineage cue names that we do not know."""
    found = []
    for sentence in document.sentences:
        text = normalise_quotes(sentence.text)
        spans = [(m.start, m.end) for m in known.find(text)]
        for cue in CUE_RE.finditer(text):
            title = TITLE.match(text, cue.end() + 1) if text[cue.end():cue.end() + 1] == " " else None
            if title:
                found += [(_cue_relation(cue), name, sentence) for name in _titles(title, spans)]
    return found


def _titles(title: re.Match, known: list[tuple[int, int]]) -> list[str]:
    """The unknown titles in a match: "the X and the Y" names two documents, "the Health and Care Act" one."""
    names, at = [], title.start(1)
    for part in re.split(r"(\s+and\s+the\s+)", title.group(1)):
        start, end = at, at + len(part)
        at = end
        name = part.rstrip(" ,;:")
        if re.fullmatch(r"\s+and\s+the\s+", part) or any(s < end and start < e for s, e in known):
            continue
        if sum(w[:1].isupper() for w in name.split()) >= 2:
            names.append(name)
    return names
