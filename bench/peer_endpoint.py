"""The peer SPARQL endpoint: rdflib-endpoint (FastAPI) serving an N-Quads file from rdflib's default
in-memory store, with as many uvicorn worker processes as our server has.

    python -m bench.peer_endpoint FILE.nq PORT [WORKERS]
"""

from __future__ import annotations

import os
import sys


def make_app():
    from rdflib import Dataset
    from rdflib_endpoint import SparqlEndpoint

    from graph.namespaces import PREFIXES

    dataset = Dataset(default_union=True)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    dataset.parse(os.environ["PEER_NQUADS"], format="nquads")
    return SparqlEndpoint(graph=dataset, path="/", enable_update=False)


def main(path: str, port: int, workers: int) -> None:
    import uvicorn

    os.environ["PEER_NQUADS"] = path
    uvicorn.run("bench.peer_endpoint:make_app", factory=True, host="127.0.0.1", port=port, workers=workers,
                log_level="warning")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 2)
