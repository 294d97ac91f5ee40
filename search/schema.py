"""The shape of the search index: one record per commitment (and per priority)."""

from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from search.spelling import SpellingFilter

FACETS = ("document", "year", "actor", "theme", "status")  # status is computed as of today, at query time


def analyzer():
    """Words, lower-cased, American spellings folded to British, stop words dropped, stemmed."""
    return RegexTokenizer() | LowercaseFilter() | SpellingFilter() | StopFilter() | StemFilter()


def make_schema() -> Schema:
    stemming = analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        kind=ID(stored=True),
        text=TEXT(analyzer=stemming, stored=True, field_boost=2.0),
        heading=TEXT(analyzer=stemming, stored=True),
        document=ID(stored=True),
        document_title=STORED,
        publisher=KEYWORD(stored=True, commas=True, scorable=False),
        year=ID(stored=True),
        actor=KEYWORD(stored=True, commas=True, lowercase=False),
        theme=KEYWORD(stored=True, commas=True),
        deadline=STORED,
        deadline_by=STORED,
        section=STORED,
        page=STORED,
    )
