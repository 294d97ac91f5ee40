"""Commitment extraction: who will do what, by when, with what target.

Two passes keep the cost proportional to the candidates: a lexical prefilter over every
sentence, then the trained English pipeline only on the sentences that pass it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from corpus.actors import canonical_actor, is_first_person
from corpus.dates import find_deadline
from corpus.models import Commitment, Document, Sentence, Target
from corpus.nlp import english
from corpus.themes import assign_themes

CUES = re.compile(
    r"\b(?:will|shall|should|must|commit(?:s|ted|ting)?|pledges?|aims? to|ambitions?|"
    r"intends? to|plans? to|wants? (?:to|every|all|each)|propose[sd]? to|recommend(?:s|ed|ation)?|"
    r"'ll|are determined to|goal is|target is)\b",
    re.IGNORECASE,
)
MODALS = {"will": "will", "shall": "will", "'ll": "will", "should": "should", "must": "must"}
VERB_TRIGGERS = {"commit": "commit", "pledge": "pledge", "aim": "aim", "intend": "aim", "plan": "aim",
                 "want": "aim", "propose": "aim", "recommend": "should", "determine": "commit"}
NOUN_TRIGGERS = {"ambition": "aim", "aim": "aim", "goal": "aim", "target": "aim", "pledge": "pledge"}
CHANGE_VERBS = {"rise", "increase", "grow", "fall", "decline", "continue", "remain", "become", "reach",
                "double", "exceed", "peak", "face", "outstrip", "happen", "occur", "change", "drop", "age"}
DOCUMENT_PARTS = {"chapter", "section", "annex", "appendix", "figure", "table", "box", "page", "paragraph"}
NON_AGENTS = {"demand", "number", "population", "cost", "costs", "pressure", "need", "needs", "prevalence",
              "rate", "rates", "share", "proportion", "gap", "spending", "figure", "expectancy", "it",
              "this", "that", "these", "those", "which", "there", "what", "people", "patients", "many",
              "londoners", "residents", "some", "most", "more", "fewer", "they", "he", "she", "you",
              "funding", "growth", "budget", "activity", "admissions", "incidence"}
CONSEQUENCE_VERBS = {"mean", "help", "allow", "enable", "require", "lead", "result", "give", "make", "build",
                     "bring", "save", "free", "cost", "take", "depend", "vary", "matter", "benefit", "play"}
REPORTING_VERBS = {"expect", "estimate", "predict", "forecast", "project", "suggest", "show", "say", "find",
                   "think", "believe", "anticipate", "know", "likely", "indicate"}
TARGET_RE = re.compile(
    r"(?P<text>(?P<cur>£)\s?(?P<num>\d[\d,]*(?:\.\d+)?)\s?(?P<mult>bn|billion|m\b|million|k\b)?"
    r"|(?P<num2>\d[\d,]*(?:\.\d+)?)\s?(?P<pct>%|per cent|percent)"
    r"|(?P<num3>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?\s?(?:million|thousand)|\d+)\s+(?P<what>(?:more\s+|new\s+|extra\s+|additional\s+)?"
    r"(?:[a-z][a-z-]+\s){0,3}?(?:people|children|adults|staff|nurses|doctors|GPs|places|patients|women|workers|"
    r"homes|schools|link workers|Londoners|sites|teams|services|beds|hubs|practices|young people|organisations|"
    r"boroughs|appointments|referrals|smokers|lives|deaths|years|pilots|schemes)))",
    re.IGNORECASE,
)


def commitment_id(document_id: str, text: str) -> str:
    """A stable id: the same sentence in the same document always gets the same id."""
    normalised = " ".join(text.lower().split())
    return hashlib.sha1(f"{document_id}|{normalised}".encode()).hexdigest()[:12]


def is_candidate(sentence: Sentence) -> bool:
    """The cheap lexical prefilter: could this sentence (or bullet with its lead-in) be a commitment?"""
    if sentence.is_heading or sentence.text.rstrip().endswith("?") or len(sentence.text) < 12:
        return False
    return bool(CUES.search(sentence.text) or (sentence.lead_in and CUES.search(sentence.lead_in)))


def parse_text(sentence: Sentence) -> str:
    """What the parser sees: a bullet is read as the end of its lead-in ("We will:" + "- publish a plan")."""
    if sentence.lead_in:
        return f"{sentence.lead_in.rstrip(':').rstrip()} {sentence.text}"
    return sentence.text


def extract_commitments(document: Document, nlp=None) -> list[Commitment]:
    """Find every commitment in a document, plus one entry per priority or ambition heading."""
    nlp = nlp or english()
    candidates = [s for s in document.sentences if is_candidate(s)]
    found = []
    parsed_all = nlp.pipe((parse_text(s) for s in candidates), batch_size=64)
    for sentence, parsed in zip(candidates, parsed_all, strict=True):
        commitment = analyse(parsed, sentence, document)
        if commitment:
            found.append(commitment)
    return priorities(document) + _unique(found)


def _unique(commitments: Iterable[Commitment]) -> list[Commitment]:
    seen: set[str] = set()
    return [c for c in commitments if not (c.id in seen or seen.add(c.id))]


def priorities(document: Document) -> list[Commitment]:
    """Each "Priority N: ..." or "Ambition N: ..." heading is itself a commitment of kind priority."""
    out = []
    for section in document.sections:
        if section.priority_number is None:
            continue
        heading = section.heading
        out.append(Commitment(
            id=commitment_id(document.id, heading), document=document.id, section=section.eid,
            page=section.page_start, text=heading, actor=publisher_actor(document), actor_is_publisher=True,
            action="prioritise", deadline="", deadline_by=None, targets=(), themes=assign_themes(heading),
            strength="priority", kind="priority", confidence=1.0, char_start=0, char_end=0,
        ))
    return out


def publisher_actor(document: Document) -> str:
    """"We" in a jointly published document: all its publishers, as one would write them."""
    names = document.meta.publishers
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def find_trigger(parsed):
    """Return (head verb, strength) of the clause that makes the sentence a commitment, or None."""
    options = []
    for token in parsed:
        strength, head = None, None
        if token.lower_ in MODALS and token.dep_ in ("aux", "auxpass") and token.head.pos_ in ("VERB", "AUX"):
            strength, head = MODALS[token.lower_], token.head
        elif token.lower_ in ("committed", "determined") and token.dep_ in ("acomp", "ROOT", "amod") \
                and any(c.lower_ == "to" for c in token.children):
            strength, head = "commit", token
        elif token.pos_ == "VERB" and token.lemma_.lower() in VERB_TRIGGERS and token.tag_ != "VBD":
            strength, head = VERB_TRIGGERS[token.lemma_.lower()], token
        elif token.pos_ == "NOUN" and token.lemma_.lower() in NOUN_TRIGGERS and token.dep_ == "nsubj" \
                and any(c.dep_ == "poss" for c in token.children):
            strength, head = NOUN_TRIGGERS[token.lemma_.lower()], token.head
        if head is not None and head.dep_ not in ("relcl", "acl", "pcomp", "amod"):
            depth = sum(1 for _ in head.ancestors)
            options.append((depth, token.i, head, strength))
    if not options:
        return None
    _, _, head, strength = min(options, key=lambda o: (o[0], o[1]))
    return head, strength


def subject_of(head):
    for verb in (head, *head.ancestors):
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass", "csubj"):
                return child
        if verb.dep_ not in ("conj", "xcomp", "ccomp"):
            break
    return None


def is_forecast(head, subject) -> bool:
    """A prediction or description rather than a promise ("demand will rise", "this will help")."""
    if any(a.lemma_.lower() in REPORTING_VERBS for a in head.ancestors):
        return True
    if subject is not None and is_document_part(subject):
        return True  # "Chapter 4 will set out ..." announces what follows; it promises nothing
    if subject is None or is_agent(subject):
        return False
    if head.lemma_.lower() in CHANGE_VERBS | CONSEQUENCE_VERBS:
        return True
    return subject.lower_ in NON_AGENTS and subject.dep_ != "nsubjpass"


def is_document_part(subject) -> bool:
    """ "Chapter 4", "the next section", "Annex B": the subject or a word naming it is part of a document."""
    named = [subject, *(c for c in subject.children if c.dep_ in ("compound", "nmod"))]
    return any(t.lemma_.lower() in DOCUMENT_PARTS for t in named)


def is_agent(subject) -> bool:
    """We, or a party we know by name: what they say they will do is a promise, not a forecast."""
    return is_first_person(subject.text) or canonical_actor(phrase_of(subject)) is not None


def phrase_of(token) -> str:
    """The words `token` heads, as written: tokens joined by spaces gave "London 's NHS", which no actor's
    name matches, and "sub - regional" in the actor shown."""
    return token.doc[token.left_edge.i:token.right_edge.i + 1].text


def analyse(parsed, sentence: Sentence, document: Document) -> Commitment | None:
    """Decide whether a parsed candidate is a commitment and, if so, fill in its fields."""
    trigger = find_trigger(parsed)
    if trigger is None:
        return None
    head, strength = trigger
    subject = subject_of(head)
    if is_forecast(head, subject):
        return None
    actor, by_publisher = resolve_actor(subject, head, document)
    deadline = find_deadline(parse_text(sentence), document.meta.issued)
    targets = find_targets(sentence.text)
    kind = "recommendation" if strength == "should" else "target" if targets and deadline else "commitment"
    section = document.section(sentence.section)
    return Commitment(
        id=commitment_id(document.id, sentence.text), document=document.id, section=sentence.section,
        page=sentence.page, text=sentence.text, actor=actor, actor_is_publisher=by_publisher,
        action=action_of(head), deadline=deadline.text if deadline else "",
        deadline_by=deadline.by if deadline else None, targets=targets,
        themes=assign_themes(sentence.text, sentence.lead_in, section.heading if section else ""),
        strength=strength, kind=kind, confidence=confidence(strength, by_publisher, actor, deadline, targets),
        char_start=sentence.char_start, char_end=sentence.char_end,
    )


def resolve_actor(subject, head, document: Document) -> tuple[str, bool]:
    """Name the party that must act; "we", "our ambition" and an agentless passive mean the publisher."""
    if subject is None or is_first_person(subject.text):
        return publisher_actor(document), True
    owner = next((c for c in subject.children if c.dep_ == "poss"), None)
    if subject.lemma_.lower() in NOUN_TRIGGERS and owner is not None:
        return resolve_actor(owner, head, document)
    if subject.dep_ == "nsubjpass" and not canonical_actor(phrase_of(subject)):
        agent = next((c for c in head.children if c.dep_ == "agent"), None)
        if agent is None:
            return publisher_actor(document), True
        phrase = phrase_of(agent)[3:].strip()
        return canonical_actor(phrase) or phrase, False
    known = canonical_actor(phrase_of(subject))
    if known:
        return known, False
    words = list(subject.subtree)
    while words and words[0].dep_ in ("det", "punct"):  # "the five pilots" acts as "five pilots"
        words.pop(0)
    while words and words[-1].dep_ == "punct":
        words.pop()
    return (subject.doc[words[0].i:words[-1].i + 1].text if words else subject.text)[:80], False


def action_of(head) -> str:
    """The verb's lemma; for "commit to", "aim to", "continue to", "is to" the verb they introduce."""
    lemma = head.lemma_.lower()
    if lemma in VERB_TRIGGERS or lemma in ("be", "continue", "seek", "committed", "determined"):
        inner = next((c for c in head.children if c.dep_ in ("xcomp", "advcl", "ccomp") and c.pos_ == "VERB"),
                     None)
        if inner is None:
            comp = next((c for c in head.children if c.dep_ == "prep"), None)
            inner = next((t for t in comp.subtree if t.pos_ == "VERB"), None) if comp is not None else None
        if inner is not None:
            head = inner
    particle = next((c.text.lower() for c in head.children if c.dep_ == "prt"), "")
    return f"{head.lemma_.lower()} {particle}".strip()


def find_targets(text: str) -> tuple[Target, ...]:
    out = []
    for match in TARGET_RE.finditer(text):
        out.append(_target(match))
    return tuple(t for t in out if t is not None)


def _target(match: re.Match) -> Target | None:
    if match.group("cur"):
        scale = {"bn": 1e9, "billion": 1e9, "m": 1e6, "million": 1e6, "k": 1e3}
        mult = scale.get((match.group("mult") or "").lower(), 1)
        return Target(float(match.group("num").replace(",", "")) * mult, "GBP", "", match.group("text"))
    if match.group("pct"):
        return Target(float(match.group("num2").replace(",", "")), "%", "", match.group("text"))
    raw = match.group("num3").lower()
    number = float(re.sub(r"[^\d.]", "", raw) or 0) * (1e6 if "million" in raw else 1e3 if "thousand" in raw else 1)
    if 1900 <= number <= 2100 and "," not in raw:
        return None  # a year, not a quantity
    return Target(number, "", match.group("what").strip(), match.group("text"))


def confidence(strength: str, by_publisher: bool, actor: str, deadline, targets) -> float:
    score = {"will": 0.7, "commit": 0.75, "pledge": 0.75, "must": 0.6, "should": 0.6, "aim": 0.6}[strength]
    score += 0.1 if (by_publisher or canonical_actor(actor)) else 0.0
    score += 0.1 if deadline else 0.0
    score += 0.05 if targets else 0.0
    return round(min(score, 0.95), 2)
