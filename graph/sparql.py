"""SPARQL: read-only queries over the store, and their results in the standard formats."""

from __future__ import annotations

import io
import multiprocessing
import os
import re
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from oxrdflib import OxigraphStore
from oxrdflib._converter import from_ox
from pyparsing import ParseException, ParseResults
from rdflib import XSD, Dataset, Graph, Literal
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.query import Result

from corpus.errors import BadQuery, QueryTimeout
from graph.namespaces import sparql_prologue
from graph.native import Written, native_store, write_answer
from graph.slots import query_slot

RESULT_FORMATS = {"csv": "csv", "json": "json", "xml": "xml"}  # tsv is ours: rdflib has no TSV writer
GRAPH_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}
READ_ONLY = "updates are not allowed: this endpoint is read-only"
FORBIDDEN = {"ServiceGraphPattern": "SERVICE", "DatasetClause": "FROM / FROM NAMED"}
GRAPH_KINDS = ("CONSTRUCT", "DESCRIBE")
TRUNCATED_HEADER = "X-Policygraph-Truncated"
# rdflib's pyparsing grammar is not thread-safe (RDFLib/rdflib#1282): concurrent parses in the server's
# threads fail almost every time, so they take turns.
PARSER_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class QueryResult:
    kind: str  # SELECT | ASK | CONSTRUCT | DESCRIBE
    result: Result
    cut_at: int = 0  # the row cap (triples for CONSTRUCT/DESCRIBE) the answer was cut to; 0 when it is whole

    @property
    def variables(self) -> list[str]:
        return [str(v) for v in (self.result.vars or [])]

    def rows(self) -> list[tuple]:
        return [tuple(row) for row in self.result]

    @property
    def notice(self) -> str:
        return cut_notice(self.kind, self.cut_at)


def cut_notice(kind: str, cut_at: int) -> str:
    """What to tell the user when an answer was cut, so that it never is silently ("" when it was not)."""
    if not cut_at:
        return ""
    unit = "triples" if kind in GRAPH_KINDS else "rows"
    return (f"the answer was cut to its first {cut_at} {unit}, the cap (--max-rows, "
            "POLICYGRAPH_SPARQL_MAX_ROWS); add a LIMIT, or ORDER BY and OFFSET to page through it")


@dataclass(frozen=True, slots=True)
class _Answer:
    """An answer as plain values that a worker process can pickle back to the parent."""

    kind: str
    variables: tuple
    items: list | bool  # rows for SELECT, triples for CONSTRUCT/DESCRIBE, the answer for ASK
    cut: bool = False


def check_query(query: str) -> str:
    """Parse a query with our prefixes, refusing updates, SERVICE and FROM; return the full text.

    :raises BadQuery: with the parser's message (line and column) or the reason it is refused.
    """
    return _checked(query)[0]


MAX_QUERY_CHARS = 64 * 1024  # our longest example is under 1 kB; a VALUES block of some hundreds of IRIs fits
MAX_NESTING = 20  # rdflib's recursive parser overflows Python's stack near 40 levels of { ( [
NESTING = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                     r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*|([{([])|([})\]])')


def check_shape(query: str) -> None:
    """Refuse, before parsing, what would make the parser slow or crash: too long, or nested too deep.

    :raises BadQuery: saying which limit the query is over.
    """
    if len(query) > MAX_QUERY_CHARS:
        raise BadQuery(f"the query is {len(query):,} characters long; the limit is {MAX_QUERY_CHARS:,}")
    depth = deepest = 0
    for match in NESTING.finditer(query):  # strings, IRIs and comments match whole, so their brackets don't count
        depth += 1 if match.group(1) else -1 if match.group(2) else 0
        deepest = max(deepest, depth)
    if deepest > MAX_NESTING:
        raise BadQuery(f"the query nests groups {deepest} deep; the limit is {MAX_NESTING}")


def _checked(query: str) -> tuple[str, str]:
    """check_query, also returning the kind (SELECT, ASK, CONSTRUCT or DESCRIBE) the parser found."""
    check_shape(query)
    full = sparql_prologue() + query
    try:
        with PARSER_LOCK:
            tree = parseQuery(full)
    except RecursionError as exc:  # check_shape should have caught it; never a 500
        raise BadQuery("the query is nested too deeply to parse") from exc
    except ParseException as exc:
        if _is_update(full):
            raise BadQuery(READ_ONLY) from exc
        line = exc.lineno - sparql_prologue().count("\n")
        raise BadQuery(f"SPARQL syntax error at line {line}, column {exc.col}: {exc.msg}") from exc
    for name, label in FORBIDDEN.items():
        if _contains(tree, name):
            raise BadQuery(f"{label} is not allowed: queries may only read the local graph")
    return full, tree[-1].name.removesuffix("Query").upper()


def _is_update(text: str) -> bool:
    try:
        with PARSER_LOCK:
            parseUpdate(text)
    except ParseException:
        return False
    return True


def _contains(node, name: str) -> bool:
    if isinstance(node, CompValue):
        if node.name == name:
            return True
        return any(_contains(v, name) for v in node.values())
    if isinstance(node, (list, tuple, ParseResults)):
        return any(_contains(v, name) for v in node)
    return False


def run_query(dataset: Dataset, query: str, timeout: float | None = None,
              max_rows: int | None = None) -> QueryResult:
    """Run a read-only SPARQL query over the union of all graphs.

    timeout: seconds after which the query is stopped (None or 0: no limit, and no worker process).
    max_rows: the most rows (triples for CONSTRUCT/DESCRIBE) to keep (None or 0: all); a cut sets `cut_at`.
    :raises BadQuery: when the query does not parse, is not allowed, fails or runs past the time limit.
    """
    full, kind = _checked(query)
    return _as_result(_run(dataset, (full, kind, max_rows, None), timeout), max_rows)


def _run(dataset: Dataset, job: tuple, timeout: float | None) -> _Answer | Written:
    """Evaluate a job (query, kind, cap, format to write natively or None) within the time limit."""
    if timeout:
        return _in_worker(dataset, job, timeout)
    try:
        return _evaluate(dataset, *job)
    except (SyntaxError, ValueError, OSError) as exc:
        raise BadQuery(f"the query failed: {exc}") from exc


def _evaluate(dataset: Dataset, full: str, kind: str, cap: int | None, fmt: str | None = None) -> _Answer | Written:
    """Evaluate a checked query, reading at most one row past the cap: enough to know it was cut.

    With `fmt`, Oxigraph writes the answer in that format itself (graph.native).
    """
    if fmt:
        return write_answer(native_store(dataset), full, fmt, getattr(dataset, "default_union", False), cap)
    stop = cap + 1 if cap else None
    if kind in GRAPH_KINDS:
        return _Answer(kind, (), *_cut(list(islice(_triples(dataset, full), stop)), cap))
    result = dataset.query(full)  # lazy for SELECT: rows past `stop` are never computed
    if result.type == "ASK":
        return _Answer("ASK", (), bool(result.askAnswer))
    rows = [tuple(row) for row in islice(result, stop)]
    return _Answer("SELECT", tuple(result.vars or ()), *_cut(rows, cap))


def _cut(items: list, cap: int | None) -> tuple[list, bool]:
    if cap and len(items) > cap:
        return items[:cap], True
    return items, False


def _triples(dataset: Dataset, full: str) -> Iterator[tuple]:
    """A graph answer triple by triple: through rdflib, oxrdflib would build all of it before we could cut it."""
    store = dataset.store
    if not isinstance(store, OxigraphStore):
        return iter(dataset.query(full).graph)
    prefixes = {prefix: str(namespace) for prefix, namespace in dataset.namespaces()}
    native = store._inner.query(full, prefixes=prefixes,  # noqa: SLF001 - oxrdflib has no public way in
                                use_default_graph_as_union=getattr(dataset, "default_union", False))
    return (from_ox(triple) for triple in native)


def _as_result(outcome: _Answer, cap: int | None) -> QueryResult:
    result = Result(outcome.kind)
    if outcome.kind == "ASK":
        result.askAnswer = outcome.items
    elif outcome.kind == "SELECT":
        result.vars = list(outcome.variables)
        result.bindings = [dict(zip(result.vars, row, strict=True)) for row in outcome.items]
    else:
        result.graph = Graph()
        result.graph += outcome.items
    return QueryResult(outcome.kind, result, cap if outcome.cut else 0)


def _in_worker(dataset: Dataset, job: tuple, timeout: float) -> _Answer | Written:
    """Evaluate in another process, killed at the deadline.

    Oxigraph cannot cancel a query, and ORDER BY or an aggregate blocks inside one call, so checking the
    clock between rows would not stop it. A store read from a path or a URL is queried by a pool of
    waiting processes, each with the store open (see QueryPool); one is killed at the deadline and
    another started in its place. An in-memory store (tests, a server with GRAPH_IN_MEMORY) can only
    be inherited, by a fork for each query. Nothing writes to it, so whatever another thread held at
    the fork can only be a read, which does not stop the child's own reads.
    """
    deadline = time.monotonic() + timeout
    with query_slot(deadline):  # waiting for a turn counts against the time limit
        return _in_process(dataset, job, timeout, deadline - time.monotonic())


def _in_process(dataset: Dataset, job: tuple, timeout: float, remaining: float) -> _Answer | Written:
    source = getattr(dataset, "policygraph_source", None)
    if source:
        return POOL.run(tuple(source), job, timeout, remaining)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    worker = context.Process(target=_work, args=(sender, dataset, job), daemon=True)
    worker.start()
    sender.close()
    try:
        status, value = receiver.recv() if receiver.poll(remaining) else ("timeout", None)
    except EOFError:
        status, value = "died", None
    finally:
        worker.kill()  # no query outlives its deadline, whatever happened above
        worker.join()
        receiver.close()
    if status == "ok":
        return value
    raise _worker_error(status, value, timeout, worker.exitcode)


class QueryPool:
    """Processes that each hold a stored graph open and answer one query at a time.

    Forking and opening the store for every query cost about 30 ms a request under load; a waiting
    process answers at once. A process that runs past its deadline, or dies, is killed and not reused.
    The pool belongs to one process (a web worker): after a fork, the child starts its own. A new
    build is a new source, and the processes serving the old one are let go.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.idle: dict[tuple, list] = {}
        self.owner = os.getpid()

    def run(self, source: tuple, job: tuple, timeout: float, remaining: float) -> _Answer | Written:
        """Answer `job` in a waiting process, stopped after `remaining` seconds (of the limit, `timeout`)."""
        worker = self._take(source)
        process, connection = worker
        try:
            connection.send(job)
            status, value = connection.recv() if connection.poll(remaining) else ("timeout", None)
        except (EOFError, OSError):
            status, value = "died", None
        if status in ("timeout", "died"):
            process.kill()
            process.join()
            connection.close()
        else:
            self._give_back(source, worker)
        if status == "ok":
            return value
        raise _worker_error(status, value, timeout, process.exitcode)

    def _take(self, source: tuple):
        with self.lock:
            if self.owner != os.getpid():  # forked: those processes are the parent's to talk to
                self.idle, self.owner = {}, os.getpid()
            for other in [s for s in self.idle if s != source]:
                for process, connection in self.idle.pop(other):
                    process.kill()
                    connection.close()
            waiting = self.idle.setdefault(source, [])
            while waiting:  # one may have died while it waited (killed, out of memory): not handed out
                process, connection = waiting.pop()
                if process.is_alive():
                    return process, connection
                connection.close()
        return self._start(source)

    def _give_back(self, source: tuple, worker) -> None:
        with self.lock:
            if self.owner == os.getpid():
                self.idle.setdefault(source, []).append(worker)

    @staticmethod
    def _start(source: tuple):
        # a fork is a few milliseconds; the child opens the store afresh rather than use the inherited one,
        # since another thread may have held one of its locks at the fork (the soak saw children hang so)
        context = multiprocessing.get_context("fork")
        ours, theirs = context.Pipe()
        process = context.Process(target=_serve_queries, args=(theirs, ours, source), daemon=True)
        process.start()
        theirs.close()
        return process, ours


POOL = QueryPool()


def _serve_queries(connection, parents_end, source: tuple) -> None:
    from graph.store import reopen

    parents_end.close()
    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(number, signal.SIG_DFL)  # not the web server's handlers: a SIGTERM here must end us
    parent, dataset = os.getppid(), reopen(source)
    while True:
        # a sibling started later may hold a copy of our pipe, so no EOF is sure to come when the web
        # worker exits: look up every second whether it still exists
        if not connection.poll(1.0):
            if os.getppid() != parent:
                return
            continue
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return  # the web worker has gone
        _work(connection, dataset, job)


def _work(sender, dataset: Dataset, job: tuple) -> None:
    try:
        sender.send(("ok", _evaluate(dataset, *job)))
    except (SyntaxError, ValueError, OSError) as exc:
        sender.send(("bad", str(exc)))
    except Exception as exc:  # noqa: BLE001 - the parent raises it again; a traceback here would be lost
        sender.send(("error", f"{type(exc).__name__}: {exc}"))


def _worker_error(status: str, value: str | None, timeout: float, exitcode: int | None) -> Exception:
    if status == "timeout":
        return QueryTimeout(f"the query ran past the {timeout:g} s time limit and was stopped; "
                            "narrow it or add a LIMIT")
    if status == "died":
        return BadQuery(f"the query failed: the process running it died (exit code {exitcode}), "
                        "perhaps out of memory; narrow it or add a LIMIT")
    if status == "bad":
        return BadQuery(f"the query failed: {value}")
    return RuntimeError(value)


def serialise(result: QueryResult, fmt: str) -> str:
    """Write a result in a W3C format: csv/tsv/json/xml for SELECT and ASK, ttl/nt/jsonld/rdfxml for graphs."""
    if result.kind in ("CONSTRUCT", "DESCRIBE"):
        if fmt not in GRAPH_FORMATS:
            raise BadQuery(f"format {fmt!r} is not for {result.kind} (use {', '.join(GRAPH_FORMATS)})")
        return result.result.graph.serialize(format=GRAPH_FORMATS[fmt])
    if fmt == "table":
        return as_table(result)
    if fmt == "tsv":
        return as_tsv(result)
    if fmt not in RESULT_FORMATS:
        raise BadQuery(f"format {fmt!r} is not for {result.kind} (use table, tsv, {', '.join(RESULT_FORMATS)})")
    buffer = io.BytesIO()
    result.result.serialize(buffer, format=RESULT_FORMATS[fmt], encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def as_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 TSV: a header of ?variables, then each value in Turtle syntax."""
    if result.kind == "ASK":
        return "?_askResult\n" + ("true" if result.result.askAnswer else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines.extend("\t".join("" if v is None else tsv_term(v) for v in row) for row in result.rows())
    return "\n".join(lines) + "\n"


def tsv_term(term) -> str:
    """A term in Turtle syntax; a plain string without its xsd:string, which RDF 1.1 makes implicit."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term)).n3()
    return term.n3()


def as_table(result: QueryResult) -> str:
    if result.kind == "ASK":
        return "yes" if result.result.askAnswer else "no"
    header = result.variables
    rows = [["" if v is None else str(v) for v in row] for row in result.rows()]
    widths = [min(60, max([len(h)] + [len(r[i]) for r in rows])) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(c[:w].ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows)
    return "\n".join(lines)


MEDIA_TYPES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
    "tsv": "text/tab-separated-values", "ttl": "text/turtle", "nt": "application/n-triples",
    "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml",
}
BY_MEDIA_TYPE = {v: k for k, v in MEDIA_TYPES.items()} | {"application/json": "json", "application/xml": "xml"}
SELECT_FORMATS = ("json", "xml", "csv", "tsv")
GRAPH_FORMAT_KEYS = ("ttl", "nt", "jsonld", "rdfxml")


FORMAT_ALIASES = {  # what clients such as SPARQLWrapper send as ?format= or ?output=
    "turtle": "ttl", "n3": "ttl", "text/n3": "ttl", "n-triples": "nt", "ntriples": "nt", "json-ld": "jsonld",
    "rdf+xml": "rdfxml", "rdf": "rdfxml",
}


def choose_format(kind: str, accept: list[str], wanted: str | None = None) -> str:
    """Pick the output format: an explicit one if given, else the first acceptable for the query kind."""
    graph = kind in ("CONSTRUCT", "DESCRIBE")
    allowed = GRAPH_FORMAT_KEYS if graph else SELECT_FORMATS
    if wanted:
        wanted = BY_MEDIA_TYPE.get(wanted) or FORMAT_ALIASES.get(wanted.lower(), wanted.lower())
        if graph:
            wanted = {"xml": "rdfxml", "json": "jsonld"}.get(wanted, wanted)
        if wanted not in allowed:
            raise BadQuery(f"format {wanted!r} is not for {kind} (use {', '.join(allowed)})")
        return wanted
    for media_type in accept:
        if BY_MEDIA_TYPE.get(media_type) in allowed:
            return BY_MEDIA_TYPE[media_type]
    return allowed[0]


def answer(dataset: Dataset, query: str, accept: list[str], wanted: str | None = None,
           timeout: float | None = None, max_rows: int | None = None) -> tuple[bytes, str, dict[str, str]]:
    """Run a query for the SPARQL protocol: return the body, its media type and any extra headers.

    :raises BadQuery: for a query that does not parse, is not allowed, fails, runs past the time limit,
        or a format that does not fit.
    """
    reply = write(dataset, query, accept, wanted, timeout, max_rows)
    return reply.body, MEDIA_TYPES[reply.fmt], cut_headers(reply.cut_at)


@dataclass(frozen=True, slots=True)
class Reply:
    """An answer written out: its UTF-8 bytes, the format chosen, the query's kind and the cap it was cut to.

    Bytes, as Oxigraph writes them and HTTP sends them: an answer of 10,000 rows is several MB, and was
    decoded and encoded again on its way through."""

    body: bytes
    fmt: str
    kind: str
    cut_at: int = 0

    @property
    def notice(self) -> str:
        return cut_notice(self.kind, self.cut_at)


def write(dataset: Dataset, query: str, accept: list[str], wanted: str | None = None,
          timeout: float | None = None, max_rows: int | None = None) -> Reply:
    """Run a query and write its answer in the format asked for, or else the first acceptable (choose_format).

    On our own store, a SELECT or ASK answer in a W3C format is written by Oxigraph (graph.native);
    otherwise through rdflib.
    """
    full, kind = _checked(query)
    # the command line's table is ours, not a protocol format; a graph answer has none, as choose_format says
    fmt = "table" if wanted == "table" and kind not in GRAPH_KINDS else choose_format(kind, accept, wanted)
    if fmt in SELECT_FORMATS and native_store(dataset) is not None:
        written = _run(dataset, (full, kind, max_rows, fmt), timeout)
        return Reply(written.body, fmt, kind, written.cut_at)
    result = _as_result(_run(dataset, (full, kind, max_rows, None), timeout), max_rows)
    return Reply(serialise(result, fmt).encode("utf-8"), fmt, kind, result.cut_at)


def cut_headers(cut_at: int) -> dict[str, str]:
    """The HTTP sign of a cut answer: a header, as the W3C result formats have no place for a notice."""
    return {TRUNCATED_HEADER: str(cut_at)} if cut_at else {}


def service_description(endpoint: str) -> str:
    """A SPARQL 1.1 Service Description of the endpoint, in Turtle."""
    formats = " ".join(f"<http://www.w3.org/ns/formats/{name}>" for name in (
        "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV", "Turtle",
        "N-Triples", "JSON-LD", "RDF_XML"))
    return (
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n"
        f"<{endpoint}> a sd:Service ;\n"
        f"  sd:endpoint <{endpoint}> ;\n"
        "  sd:supportedLanguage sd:SPARQL11Query ;\n"
        "  sd:feature sd:UnionDefaultGraph ;\n"
        f"  sd:resultFormat {formats.replace(' ', ', ')} .\n"
    )
