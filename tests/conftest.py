"""Shared fixtures: the tiny fixture corpus and the bundled London corpus, each built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus.manifest import bundled_corpus_dir
from corpus.pipeline import corpus_sources, run_corpus
from graph.datadir import build_data_dir, open_data
from graph.namespaces import DEFAULT_BASE
from search.index import BACKENDS, build_index, open_index
from search.records import corpus_records
from web import create_app

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seeds" / "our-vision-for-london-announcement.txt"


@pytest.fixture(scope="session")
def fixture_dir(tmp_path_factory) -> Path:
    """A data directory holding a build of tests/fixtures/corpus."""
    data_dir = tmp_path_factory.mktemp("fixture-data")
    metas, sources = corpus_sources(FIXTURES / "corpus")
    build_data_dir(data_dir, sources, metas, DEFAULT_BASE)
    return data_dir


@pytest.fixture(scope="session")
def data(fixture_dir):
    return open_data(fixture_dir)


@pytest.fixture(scope="session")
def bundled_dir(tmp_path_factory) -> Path:
    """A data directory holding a build of the bundled London corpus."""
    data_dir = tmp_path_factory.mktemp("bundled-data")
    metas, sources = corpus_sources(bundled_corpus_dir())
    build_data_dir(data_dir, sources, metas, DEFAULT_BASE)
    return data_dir


@pytest.fixture(scope="session")
def bundled(bundled_dir):
    return open_data(bundled_dir)


def index_of(corpus_dir: Path, backend: str, folder: Path):
    metas, sources = corpus_sources(corpus_dir)
    build_index(corpus_records(run_corpus(sources, metas).extractions), folder, backend)
    return open_index(folder)


@pytest.fixture(scope="session")
def fixture_indexes(tmp_path_factory):
    """The fixture corpus's search indexes by name (a backend, or "tantivy-split"), each built when first asked for."""
    built = {}

    def get(name: str):
        if name not in built:
            built[name] = _fixture_index(name, tmp_path_factory.mktemp(f"index-{name}"))
        return built[name]
    return get


def _fixture_index(name: str, folder: Path):
    from search import tantivy_engine

    if name != "tantivy-split":
        return index_of(FIXTURES / "corpus", name, folder)
    past, tantivy_engine.SHARD_PAST = tantivy_engine.SHARD_PAST, 0
    try:
        split = index_of(FIXTURES / "corpus", "tantivy", folder)
    finally:
        tantivy_engine.SHARD_PAST = past
    assert len(split.engine.indexes) == tantivy_engine.SHARDS
    return split


@pytest.fixture(scope="session", params=[*BACKENDS, "tantivy-split"])
def index(request, fixture_indexes):
    """A search index of the fixture corpus, once in each engine, and once split in two as tantivy splits a
    large corpus: search tests must pass on all three."""
    return fixture_indexes(request.param)


@pytest.fixture(scope="session", params=BACKENDS)
def whole_index(request, fixture_indexes):
    """The same, in one piece only: for the order of near scores, since each half of a split index keeps
    its own BM25 statistics, and halves of a corpus of a few dozen records differ (of 672,000, they agree)."""
    return fixture_indexes(request.param)


@pytest.fixture(scope="session")
def bundled_extractions():
    metas, sources = corpus_sources(bundled_corpus_dir())
    return run_corpus(sources, metas).extractions


@pytest.fixture(scope="session", params=BACKENDS)
def bundled_index(request, tmp_path_factory, bundled_extractions):
    """A search index of the bundled London corpus, once in each engine."""
    folder = tmp_path_factory.mktemp(f"bundled-{request.param}")
    build_index(corpus_records(bundled_extractions), folder, request.param)
    return open_index(folder)


@pytest.fixture
def app(fixture_dir):
    return create_app({"TESTING": True, "DATA_DIR": str(fixture_dir)})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner():
    return CliRunner()
