"""A synthetic policy corpus, the same for a given seed and scale, as search records (see search/records.py).

Scales: S is the size of the bundled corpus; M has 10,000 commitments in 50,000 passages; L has 100,000 in
500,000 (about 50 million words). Words follow a Zipf-like law over a vocabulary of policy terms and
invented filler words, so common words match many records and rare ones few, as in real documents.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

SCALES = {"S": (500, 2_500), "M": (10_000, 50_000), "L": (100_000, 500_000)}  # commitments, passages
PER_DOCUMENT = 100  # commitments in each synthetic document

TOPICS = [
    "childhood obesity", "air quality", "mental health", "social prescribing", "rough sleeping", "smoking",
    "alcohol harm", "cancer screening", "diabetes prevention", "integrated care", "primary care", "workforce",
    "digital services", "sexual health", "tuberculosis", "health inequalities", "physical activity",
    "healthy food", "housing", "employment support", "dementia care", "maternity services", "suicide prevention",
    "knife crime", "social care", "urgent care", "community pharmacy", "hospital discharge", "carers",
    "learning disability", "autism", "vaccination", "oral health", "school readiness", "fuel poverty",
]
ACTORS = ["NHS England", "the Mayor", "London Councils", "Public Health England", "every borough",
          "integrated care systems", "the GLA", "primary care networks", "NHS trusts", "the government"]
PUBLISHERS = ["NHS England", "Greater London Authority", "London Councils", "Department of Health and Social Care",
              "Public Health England"]
VERBS = ["expand", "introduce", "fund", "reduce", "publish", "establish", "support", "improve", "halve",
         "double", "commission", "pilot", "extend", "review", "train"]
PLACES = ["across London", "in every borough", "for young people", "in the most deprived areas",
          "for older people", "in schools", "in hospitals", "for carers", "in primary care"]
DEADLINES = [("by 2020/21", "2021-03-31"), ("by 2023/24", "2024-03-31"), ("by 2025", "2025-12-31"),
             ("by 2028", "2028-12-31"), ("by 2030", "2030-12-31"), ("in 2019", "2019-12-31"), ("", "")]
THEMES = ["obesity", "mental-health", "tobacco", "alcohol", "air-quality", "workforce", "digital", "housing",
          "prevention", "children-young-people", "health-inequalities", "integration"]
SYLLABLES = ["ca", "re", "lo", "mi", "an", "te", "vor", "sel", "dun", "pra", "ist", "ow", "ket", "bal", "nen"]


@dataclass(frozen=True)
class Vocabulary:
    words: list[str]
    weights: list[float]


def vocabulary(rng: random.Random, size: int = 20_000) -> Vocabulary:
    """Policy words first (the most frequent), then invented words down a Zipf tail."""
    policy = sorted({w for phrase in TOPICS + PLACES for w in phrase.split()} | set(VERBS))
    invented = {"".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(size * 2)}
    words = policy + sorted(invented - set(policy))[: size - len(policy)]
    return Vocabulary(words, [1 / (rank + 8) for rank in range(len(words))])


def records(scale: str, seed: int = 7) -> Iterator[dict]:
    """Every record of the scale: per document, its record, its passages and its commitments."""
    commitments, passages = SCALES[scale]
    rng = random.Random(seed)
    words = vocabulary(rng)
    documents = max(1, commitments // PER_DOCUMENT)
    for d in range(documents):
        yield from document_records(rng, words, d, commitments // documents, passages // documents)


def document_records(rng: random.Random, words: Vocabulary, d: int, commitments: int, passages: int) -> Iterator[dict]:
    year = 2014 + d % 8
    doc = {"document": f"synthetic-{d:05d}", "document_title": f"{rng.choice(TOPICS).capitalize()} plan {d}",
           "publishers": [rng.choice(PUBLISHERS)], "year": year, "issued": f"{year}-{1 + d % 12:02d}-01"}
    summary = f"{doc['document_title']}. {filler(rng, words, 60)}"
    yield doc | {"id": doc["document"], "kind": "document", "text": summary, "heading": doc["document_title"],
                 **EMPTY}
    homes = sorted(rng.sample(range(passages), min(commitments, passages)))
    for p in range(passages):
        section = f"{1 + p // 25}.{1 + p % 25 // 5} {rng.choice(TOPICS).capitalize()}"
        page = 1 + p // 3
        passage_id = f"{doc['document']}~p{p}"
        promise = commitment(rng) if homes and homes[0] == p else None
        text = filler(rng, words, rng.randint(60, 200))
        if promise:
            homes.pop(0)
            text = f"{text[: len(text) // 2]} {promise[0]} {text[len(text) // 2:]}"
            yield doc | {"id": f"{passage_id}~c", "kind": "commitment", "text": promise[0], "heading": section,
                         **EMPTY, "actor": promise[1], "themes": promise[2], "deadline": promise[3],
                         "deadline_by": promise[4], "section": section, "page": page, "passage": passage_id}
        yield doc | {"id": passage_id, "kind": "passage", "text": text, "heading": section, **EMPTY,
                     "section": section, "page": page}


EMPTY = {"actor": "", "themes": [], "deadline": "", "deadline_by": "", "section": "", "page": None, "passage": "",
         "parent": ""}


def commitment(rng: random.Random) -> tuple[str, str, list[str], str, str]:
    actor, topic = rng.choice(ACTORS), rng.choice(TOPICS)
    deadline, by = rng.choice(DEADLINES)
    target = f" to {rng.randint(2, 900) * 100:,} people" if rng.random() < 0.3 else ""
    text = f"{actor[0].upper()}{actor[1:]} will {rng.choice(VERBS)} {topic} services{target} {rng.choice(PLACES)}"
    return (f"{text} {deadline}".strip() + ".", actor, rng.sample(THEMES, rng.randint(0, 2)), deadline, by)


def filler(rng: random.Random, words: Vocabulary, count: int) -> str:
    chosen = rng.choices(words.words, cum_weights=_cumulative(words), k=count)
    sentences = [" ".join(chosen[i:i + 15]) for i in range(0, count, 15)]
    return " ".join(s[0].upper() + s[1:] + "." for s in sentences if s)


_CUMULATIVE: dict[int, list[float]] = {}


def _cumulative(words: Vocabulary) -> list[float]:
    key = id(words)
    if key not in _CUMULATIVE:
        total, running = 0.0, []
        for w in words.weights:
            total += w
            running.append(total)
        _CUMULATIVE[key] = running
    return _CUMULATIVE[key]


def queries(seed: int = 11, count: int = 60) -> list[str]:
    """A mixed query set: single words, AND of two or three, phrases, OR and NOT, and field filters."""
    rng = random.Random(seed)
    single = [w for t in TOPICS for w in t.split()]
    kinds = [
        lambda: rng.choice(single),
        lambda: " ".join(rng.sample(single, 2)),
        lambda: " ".join(rng.sample(single, 3)),
        lambda: f'"{rng.choice([t for t in TOPICS if " " in t])}"',
        lambda: f"{rng.choice(single)} OR {rng.choice(single)}",
        lambda: f"{rng.choice(single)} NOT {rng.choice(single)}",
        lambda: f"{rng.choice(single)} year:{rng.randint(2014, 2021)}",
        lambda: f'{rng.choice(single)} actor:"{rng.choice(ACTORS)}"',
        lambda: f"{rng.choice(single)} kind:commitment",
    ]
    return [kinds[i % len(kinds)]() for i in range(count)]
