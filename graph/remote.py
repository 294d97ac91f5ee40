"""The graph in a SPARQL 1.1 server instead of the embedded store: writing it there, and reading it back."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result

from corpus.errors import DataDirError
from graph.dialects import VIRTUOSO, accepted, closure_graph, dialect_of, repaired, rewrite
from graph.namespaces import PREFIXES

MOVE_TIMEOUT = 3600  # seconds for the request that moves every staging graph into place
STAGING = "staging/"  # under the base: where a batched write puts each graph before it moves into place
RETIRED = "retired/"  # under the base: where a graph waits, when replaced in parts, until every part is in
# Virtuoso compiles each request into one SQL procedure: here it took 700 MOVEs in one request and refused
# 1,000 ("Query too large, variables in state over the limit"), which is a corpus of about 1,000 documents.
# It also times a request out (MaxQueryExecutionTime): moving 1.2 million triples in one ran past 60 s.
STATEMENTS_AT_ONCE = 500
TRIPLES_AT_ONCE = 100_000


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A SPARQL 1.1 server that holds the graph instead of the embedded store.

    Its default graph must be the union of its named graphs (Oxigraph: `serve --union-default-graph`;
    Fuseki: `tdb2:unionDefaultGraph true`; Virtuoso: by default), as the embedded store's is. `batch` is
    the most triples one update request carries (0: the whole graph in one request).
    """

    query: str
    update: str
    batch: int = 0


def write_remote(dataset: Dataset, endpoint: Endpoint, base: str) -> int:
    """Replace our graphs on the server (those named under `base`) with the dataset's; return the quads we
    hold there.

    Graphs not under our base are left alone: a shared or managed server holds other people's, and
    Virtuoso keeps its own configuration in graphs. With no batch size, one request does it all, and a
    server applies one request as one transaction (Oxigraph does: a request that fails half-way leaves the
    previous graph), so readers never see half a graph. Servers that cap a request (Virtuoso turns each
    into SQL and refuses past 10,000 lines of it) get batches into staging graphs, then one short request
    that moves every staging graph into place: a failure before the move leaves the previous graph.
    Virtuoso refuses even that request past some hundreds of graphs, or times it out past about a million
    triples, so there the moves go in parts (`_move_in_parts`), and a failed part puts the previous graphs
    back. When none of our graphs is on the server yet, batches go straight into place.
    """
    old = _our_graphs(endpoint, base)
    graphs = [g for g in dataset.graphs() if len(g) and isinstance(g.identifier, URIRef)]
    if dialect_of(endpoint.query) == VIRTUOSO:
        graphs.append(closure_graph(dataset, base))
    if endpoint.batch:
        _write_staged(graphs, endpoint, base, old)
    else:
        drops = "".join(f"DROP SILENT GRAPH <{g}> ;\n" for g in sorted(old | {str(g.identifier) for g in graphs}))
        try:
            post(endpoint.update, drops + _insert((g.identifier, g) for g in graphs), "application/sparql-update")
        except DataDirError as exc:  # most often the size of the one request: Oxigraph's server takes 128 MiB
            raise DataDirError(f"{exc} (the whole graph went in one request; if the server limits a request's "
                               "size, set POLICYGRAPH_SPARQL_UPDATE_BATCH to the most triples a request may "
                               "carry: about 1000 for Virtuoso, 200000 for Oxigraph's server)") from exc
    count = _select(endpoint, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_ours(base)} }}", "n")
    return int(count[0])


def _write_staged(graphs: list[Graph], endpoint: Endpoint, base: str, old: set[str]) -> None:
    aside = (base + STAGING, base + RETIRED)
    _drop(endpoint, sorted(g for g in old if g.startswith(aside)))  # left by a build that failed
    serving = {g for g in old if not g.startswith(aside)}
    # with nothing of ours served yet, the graphs go straight into place: no reader loses anything, and a
    # failure drops what went in, which leaves the server as it was
    staging = {str(g.identifier): _aside(base, STAGING, str(g.identifier)) if serving else str(g.identifier)
               for g in graphs}
    try:
        for graph in graphs:
            target = URIRef(staging[str(graph.identifier)])
            for triples in batches(graph, endpoint.batch):
                post(endpoint.update, _insert([(target, triples)]), "application/sparql-update")
        if not serving:
            return
        gone = sorted(serving - set(staging))
        if dialect_of(endpoint.query) == VIRTUOSO:
            _move_in_parts(endpoint, base, staging, {str(g.identifier): len(g) for g in graphs}, serving, gone)
            return
        moves = [f"MOVE SILENT GRAPH <{s}> TO GRAPH <{g}>" for g, s in staging.items()]
        # one transaction moves the whole graph: at L (2.4 million triples) the Oxigraph server took more than
        # the 300 s any other request is given
        post(endpoint.update, " ;\n".join([f"DROP SILENT GRAPH <{g}>" for g in gone] + moves),
             "application/sparql-update", timeout=MOVE_TIMEOUT)
    except DataDirError:
        _drop(endpoint, sorted(staging.values()), quiet=True)
        raise


def _ours(base: str) -> str:
    return f'FILTER(STRSTARTS(STR(?g), "{_literal(base)}"))'


def _our_graphs(endpoint: Endpoint, base: str) -> set[str]:
    """The names of the graphs under `base` on the server."""
    return set(_select(endpoint, f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_ours(base)} }}", "g"))


def _aside(base: str, folder: str, graph: str) -> str:
    """Where `graph` is kept under `folder` (staging or retired) of the base while a write is under way."""
    return f"{base}{folder}{hashlib.sha1(graph.encode()).hexdigest()[:20]}"


def _move_in_parts(endpoint: Endpoint, base: str, staging: dict[str, str], sizes: dict[str, int],
                   serving: set[str], gone: list[str]) -> None:
    """Move the staging graphs into place in parts, for a server that will not take them all in one request.

    Each graph they replace (and each one `gone`) is moved aside rather than dropped until the last part is
    in, so that a failed part can put the previous graph back. Between parts, readers see some documents new
    and some old: the price of a server that cannot do it in one transaction.
    """
    retire = lambda g: f"MOVE SILENT GRAPH <{g}> TO GRAPH <{_aside(base, RETIRED, g)}>"  # noqa: E731
    steps = [([retire(g)], 0) for g in gone]
    for target, staged in staging.items():  # a graph's two moves in one request, so it is never missing
        moves = [retire(target)] * (target in serving) + [f"MOVE SILENT GRAPH <{staged}> TO GRAPH <{target}>"]
        steps.append((moves, sizes[target]))
    try:
        _in_parts(endpoint, steps, timeout=MOVE_TIMEOUT)
    except DataDirError:
        _put_back(endpoint, base, [*staging, *gone], serving)
        raise
    _drop(endpoint, [_aside(base, RETIRED, g) for g in sorted(serving)])


def _put_back(endpoint: Endpoint, base: str, targets: list[str], serving: set[str]) -> None:
    """After a failed part: each graph moved aside goes back, and each new graph that had no predecessor
    goes. What is there is asked first, since the failed part may or may not have been applied."""
    there = _our_graphs(endpoint, base)
    steps = []
    for target in targets:
        retired = _aside(base, RETIRED, target)
        if retired in there:
            steps.append(([f"MOVE SILENT GRAPH <{retired}> TO GRAPH <{target}>"], 0))
        elif target in there and target not in serving:
            steps.append(([f"DROP SILENT GRAPH <{target}>"], 0))
    with contextlib.suppress(DataDirError):  # putting back must not hide why the move failed
        _in_parts(endpoint, steps, timeout=MOVE_TIMEOUT)


def batches(graph: Graph, size: int) -> Iterator[list[tuple]]:
    """The graph's triples in lists of about `size`, each blank node with every triple it is in (a label
    names the same blank node only within one request), so one batch may run over `size`."""
    parent: dict[BNode, BNode] = {}

    def root(node: BNode) -> BNode:
        while parent.get(node, node) != node:
            node = parent[node]
        return node

    for s, _, o in graph:
        if isinstance(s, BNode) and isinstance(o, BNode) and root(s) != root(o):
            parent[root(s)] = root(o)
    groups: dict[object, list[tuple]] = defaultdict(list)
    for triple in graph:
        s, _, o = triple
        groups[root(s) if isinstance(s, BNode) else root(o) if isinstance(o, BNode) else s].append(triple)
    batch: list[tuple] = []
    for triples in groups.values():
        batch.extend(triples)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert(parts) -> str:
    # INSERT {…} WHERE {} rather than INSERT DATA: Virtuoso refuses blank nodes in INSERT DATA; with one
    # solution, each label is one fresh blank node, as INSERT DATA would make it
    blocks = []
    for name, triples in parts:
        graph = triples if isinstance(triples, Graph) else _graph(triples)
        blocks.append(f"GRAPH <{name}> {{\n{graph.serialize(format='nt')}}}")
    return "INSERT {\n" + "\n".join(blocks) + "\n} WHERE {}"


def _graph(triples: list[tuple]) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def _drop(endpoint: Endpoint, graphs: list[str], quiet: bool = False) -> None:
    try:
        _in_parts(endpoint, [([f"DROP SILENT GRAPH <{g}>"], 0) for g in graphs])
    except DataDirError:
        if not quiet:  # cleaning up after a failure must not hide the failure
            raise


def _in_parts(endpoint: Endpoint, steps: list[tuple[list[str], int]], timeout: float = 300) -> None:
    """Send each step's update statements, in order, in requests of at most STATEMENTS_AT_ONCE statements and
    TRIPLES_AT_ONCE triples moved (a step's own count); a step's statements share one request."""
    part: list[str] = []
    triples = 0
    for statements, moved in steps:
        if part and (len(part) + len(statements) > STATEMENTS_AT_ONCE or triples + moved > TRIPLES_AT_ONCE):
            post(endpoint.update, " ;\n".join(part), "application/sparql-update", timeout=timeout)
            part, triples = [], 0
        part += statements
        triples += moved
    if part:
        post(endpoint.update, " ;\n".join(part), "application/sparql-update", timeout=timeout)


def _select(endpoint: Endpoint, query: str, variable: str) -> list[str]:
    # a form-encoded POST: every server takes it (Virtuoso 7.2 hangs on application/sparql-query)
    answer = post(endpoint.query, urllib.parse.urlencode({"query": query}), "application/x-www-form-urlencoded",
                  "application/sparql-results+json")
    return [b[variable]["value"] for b in json.loads(answer)["results"]["bindings"] if variable in b]


def _literal(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


class RemoteStore(SPARQLStore):
    """rdflib's SPARQL store, asking for one result type by the query's form, passing the server's own
    message on when it refuses a query, and making up for the server's dialect (graph.dialects)."""

    def __init__(self, query_url: str) -> None:
        super().__init__(query_endpoint=query_url, returnFormat="json")
        self.dialect = dialect_of(query_url)

    def _query(self, query: str, default_graph=None, named_graph=None) -> Result:
        self._queries += 1
        text = rewrite(query, self.dialect)
        body = urllib.parse.urlencode({"query": text})
        try:
            answer = _request(self.query_endpoint, body, "application/x-www-form-urlencoded", accepted(text))
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").split("\n\nSPARQL query:")[0].strip()[:500]
            raise ValueError(f"the SPARQL server refused the query ({exc.code}): {detail}") from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise DataDirError(f"cannot reach the SPARQL server at {self.query_endpoint}: {reason}") from exc
        content, kind = answer
        return repaired(Result.parse(io.BytesIO(content), content_type=kind), self.dialect)


def remote_dataset(endpoint: Endpoint) -> Dataset:
    """The graph on a SPARQL server, read through rdflib's SPARQLStore: queries run on the server."""
    dataset = Dataset(store=RemoteStore(endpoint.query), default_union=True)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    dataset.policygraph_source = ("endpoint", endpoint.query)
    return dataset


def post(url: str, body: str, content_type: str, accept: str = "*/*", timeout: float = 300) -> bytes:
    """POST to a SPARQL server.

    :raises DataDirError: naming the URL and what the server or the network said.
    """
    try:
        return _request(url, body, content_type, accept, timeout)[0]
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace")[:300]
        raise DataDirError(f"the SPARQL server at {url} refused the request ({exc.code}): {detail}") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DataDirError(f"cannot reach the SPARQL server at {url}: {reason}") from exc


def _request(url: str, body: str, content_type: str, accept: str, timeout: float = 300) -> tuple[bytes, str]:
    request = urllib.request.Request(url, data=body.encode("utf-8"), method="POST",
                                     headers={"Content-Type": content_type, "Accept": accept})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - the operator's own URL
        return response.read(), response.headers.get("Content-Type", accept).split(";")[0].strip()
