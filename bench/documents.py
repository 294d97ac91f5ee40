"""A synthetic corpus as files: policy-style digests and a manifest, for the whole pipeline to read.

The same seed and scale give the same files. Each document has a title, numbered sections, page
markers, paragraphs of about 120 words (one search passage each), commitments with actors, deadlines
and targets inside the paragraphs, one priority with its framing and listed actions, and sentences that
say which earlier documents it builds on or implements, by title, so that the pipeline finds lineage
the way it does in real documents. Scales as in bench/synthetic.py: S has the bundled corpus's size,
M 10,000 commitments in 50,000 passages, L 100,000 in 500,000.
"""

from __future__ import annotations

import random
from pathlib import Path

from bench.synthetic import PUBLISHERS, SCALES, TOPICS, Vocabulary, commitment, filler, vocabulary

PER_DOCUMENT = 100  # commitments in each document, as in bench/synthetic.py
PARAGRAPHS_PER_PAGE = 3
PARAGRAPHS_PER_SECTION = 24
FIRST_YEAR, YEARS = 2012, 10


def write_corpus(folder: Path, scale: str, seed: int = 7) -> int:
    """Write the scale's documents under `folder` (texts/ and manifest.toml); return how many."""
    commitments, passages = SCALES[scale]
    rng = random.Random(seed)
    words = vocabulary(rng)
    count = max(2, commitments // PER_DOCUMENT)
    (folder / "texts").mkdir(parents=True, exist_ok=True)
    titles = [f"{rng.choice(TOPICS).capitalize()} Plan {d:05d}" for d in range(count)]
    entries = []
    for d in range(count):
        meta = metadata(d, count, titles[d], rng)
        earlier = [titles[e] for e in sorted(rng.sample(range(d), min(d, 3)))] if d else []
        text = document_text(rng, words, titles[d], earlier, commitments // count, passages // count)
        (folder / "texts" / f"{meta['id']}.md").write_text(text, encoding="utf-8")
        entries.append(meta)
    (folder / "manifest.toml").write_text("".join(manifest_entry(m) for m in entries), encoding="utf-8")
    return count


def stand_in_examples(count: int) -> list:
    """The example SPARQL queries with the bundled documents they name replaced by synthetic ones in the same
    role, so that at scale they walk real lineage rather than find nothing: the newest document for Our Vision
    for London (it builds on earlier ones), the oldest for Better Health for London (built on most), and one
    in the middle for the Long Term Plan (cited by some, with sections)."""
    from dataclasses import replace

    from graph.examples import load_examples

    roles = {"ovl-2019": count - 1, "bhfl-2014": 0, "ltp-2019": count // 2}
    out = []
    for example in load_examples():
        query = example.query
        for bundled, number in roles.items():
            query = query.replace(f'"{bundled}"', f'"synthetic-{number:05d}"')
        out.append(replace(example, query=query))
    return out


def metadata(d: int, count: int, title: str, rng: random.Random) -> dict:
    """Documents spread in order over the years, so each can build on those before it."""
    day = d * YEARS * 365 // count
    year, rest = FIRST_YEAR + day // 365, day % 365
    return {"id": f"synthetic-{d:05d}", "title": title, "publishers": [rng.choice(PUBLISHERS)],
            "issued": f"{year}-{1 + rest // 31:02d}-{1 + rest % 28:02d}", "kind": "plan"}


def manifest_entry(meta: dict) -> str:
    publishers = ", ".join(f'"{p}"' for p in meta["publishers"])
    return (f'[[document]]\nid = "{meta["id"]}"\ntitle = "{meta["title"]}"\npublishers = [{publishers}]\n'
            f'issued = "{meta["issued"]}"\nkind = "{meta["kind"]}"\nfile = "texts/{meta["id"]}.md"\n\n')


def document_text(rng: random.Random, words: Vocabulary, title: str, earlier: list[str], promises: int,
                  paragraphs: int) -> str:
    """One digest: a summary citing earlier documents, a priority with its actions, then the body."""
    lines = [f"# {title}", "", "<!-- page 2 -->", "## 1 Summary", "", filler(rng, words, 40), ""]
    for number, other in enumerate(earlier):
        verb = ("builds on", "implements", "responds to")[number % 3]
        lines += [f"This plan {verb} {other}.", ""]
    topic = rng.choice(TOPICS)
    lines += [f"### 1.1 Priority 1: Improving {topic}", "", f"Partners will act together on {topic}. "
              + filler(rng, words, 30), "", "Partners will:"]
    actions = min(5, promises)
    lines += [f"- {action[0].lower()}{action[1:]}" for action in (commitment(rng)[0] for _ in range(actions))]
    lines.append("")
    homes = set(rng.sample(range(paragraphs), min(promises - actions, paragraphs)))
    for p in range(paragraphs):
        if p % PARAGRAPHS_PER_SECTION == 0:
            lines += [f"## {2 + p // PARAGRAPHS_PER_SECTION} {rng.choice(TOPICS).capitalize()}", ""]
        if p % PARAGRAPHS_PER_PAGE == 0:
            lines += [f"<!-- page {3 + p // PARAGRAPHS_PER_PAGE} -->", ""]
        text = filler(rng, words, rng.randint(90, 150))
        if p in homes:
            half = text.find(". ", len(text) // 2) + 1 or len(text)
            text = f"{text[:half]} {commitment(rng)[0]} {text[half:].strip()}"
        lines += [text.strip(), ""]
    return "\n".join(lines)
