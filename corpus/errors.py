"""The one error hierarchy. Each edge (HTML, JSON, CLI) turns these into its own message."""


class PolicygraphError(Exception):
    """Base class: a problem a user can act on. `status` is the HTTP status at the web edge."""

    status = 500


class NotFound(PolicygraphError):
    status = 404


class BadInput(PolicygraphError):
    """A file, option or query that cannot be used as given."""

    status = 400


class BadQuery(BadInput):
    """A SPARQL or search query that does not parse or is not allowed."""


class QueryTimeout(BadQuery):
    """A query stopped at the time limit: the query is fine, answering it costs too much (as Fuseki, 503)."""

    status = 503


class ServerBusy(QueryTimeout):
    """No turn to run a query came within its time limit: the same query may well be answered shortly."""

    retry_after = 2  # seconds, sent as Retry-After


class CorpusError(BadInput):
    """A corpus file or manifest entry that cannot be read or parsed."""


class DataDirError(PolicygraphError):
    """The data directory is missing, locked or half-built."""

    status = 503
