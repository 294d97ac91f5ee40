"""Where the graph lives: the Oxigraph store on disk (written once per build, read by any number of processes),
or any SPARQL 1.1 server."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore

from corpus.errors import DataDirError
from graph.namespaces import PREFIXES


def write_store(dataset: Dataset, path: Path) -> int:
    """Bulk-load a dataset into a new on-disk store; return the number of quads."""
    data = dataset.serialize(format="nquads", encoding="utf-8")
    store = ox.Store(str(path))
    store.bulk_load(data, ox.RdfFormat.N_QUADS)
    store.flush()
    count = len(store)
    del store
    return count


def open_store(path: Path, read_only: bool = True) -> Dataset:
    """An rdflib Dataset over the store; queries run natively in Oxigraph over the union of graphs."""
    try:
        inner = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as exc:
        raise DataDirError(f"{path}: cannot open the graph store: {exc}") from exc
    dataset = Dataset(store=OxigraphStore(store=inner), default_union=True)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    if read_only:
        dataset.policygraph_source = ("oxigraph", str(path))  # how another process opens the same store
    return dataset


def memory_store(dataset: Dataset) -> Dataset:
    """The same dataset in an in-memory Oxigraph store (for tests and one-off commands)."""
    inner = ox.Store()
    inner.bulk_load(dataset.serialize(format="nquads", encoding="utf-8"), ox.RdfFormat.N_QUADS)
    out = Dataset(store=OxigraphStore(store=inner), default_union=True)
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace)
    return out


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A SPARQL 1.1 server that holds the graph instead of the embedded store.

    Its default graph must be the union of its named graphs (Oxigraph: `serve --union-default-graph`;
    Fuseki: `tdb2:unionDefaultGraph true`), as the embedded store's is.
    """

    query: str
    update: str


def write_remote(dataset: Dataset, endpoint: Endpoint, base: str) -> int:
    """Replace our graphs on the server (those named under `base`) with the dataset's, in one SPARQL
    UPDATE request; return the quads we hold there.

    One request, because a server applies one request as one transaction (Oxigraph does; a request that
    fails half-way leaves the previous graph there), so readers never see half a graph. Only graphs
    under our base are dropped: a shared or managed server holds other people's graphs, and Virtuoso
    keeps its own configuration in graphs that DROP ALL would take away.
    """
    ours = f'FILTER(STRSTARTS(STR(?g), "{_literal(base)}"))'
    listed = post(endpoint.query, f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {ours} }}",
                  "application/sparql-query", "application/sparql-results+json")
    old = {b["g"]["value"] for b in json.loads(listed)["results"]["bindings"]}
    graphs = [g for g in dataset.graphs() if len(g) and isinstance(g.identifier, URIRef)]
    drops = "".join(f"DROP SILENT GRAPH <{g}> ;\n" for g in sorted(old | {str(g.identifier) for g in graphs}))
    blocks = [f"GRAPH <{g.identifier}> {{\n{g.serialize(format='nt')}}}" for g in graphs]
    post(endpoint.update, drops + "INSERT DATA {\n" + "\n".join(blocks) + "\n}", "application/sparql-update")
    answer = post(endpoint.query, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {ours} }}",
                  "application/sparql-query", "application/sparql-results+json")
    return int(json.loads(answer)["results"]["bindings"][0]["n"]["value"])


def _literal(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def remote_dataset(endpoint: Endpoint) -> Dataset:
    """The graph on a SPARQL server, read through rdflib's SPARQLStore: queries run on the server."""
    dataset = Dataset(store=SPARQLStore(query_endpoint=endpoint.query, returnFormat="json"), default_union=True)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    dataset.policygraph_source = ("endpoint", endpoint.query)
    return dataset


def reopen(source: tuple[str, str]) -> Dataset:
    """The dataset a `policygraph_source` names, opened afresh (in a query's worker process)."""
    kind, where = source
    return open_store(Path(where)) if kind == "oxigraph" else remote_dataset(Endpoint(where, ""))


def post(url: str, body: str, content_type: str, accept: str = "*/*") -> bytes:
    """POST to a SPARQL server.

    :raises DataDirError: naming the URL and what the server or the network said.
    """
    request = urllib.request.Request(url, data=body.encode("utf-8"), method="POST",
                                     headers={"Content-Type": content_type, "Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=300) as response:  # noqa: S310 - the operator's own URL
            return response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace")[:300]
        raise DataDirError(f"the SPARQL server at {url} refused the request ({exc.code}): {detail}") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DataDirError(f"cannot reach the SPARQL server at {url}: {reason}") from exc
