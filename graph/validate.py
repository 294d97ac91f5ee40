"""Check a graph against the SHACL shapes in graph/shapes.ttl."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from rdflib import Dataset, Graph
from rdflib.namespace import SH


@dataclass(frozen=True, slots=True)
class Finding:
    severity: str  # Violation | Warning | Info
    focus: str
    path: str
    message: str


@dataclass(frozen=True, slots=True)
class Report:
    conforms: bool  # no violations (warnings allowed)
    findings: tuple[Finding, ...]


def shapes() -> Graph:
    return Graph().parse(data=(resources.files("graph") / "shapes.ttl").read_text(encoding="utf-8"),
                         format="turtle")


def as_graph(dataset: Dataset) -> Graph:
    """The union of every named graph as one in-memory graph, which pyshacl validates fastest."""
    graph = Graph()
    for triple in dataset.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"):
        graph.add(triple)
    return graph


def validate_graph(data: Graph) -> Report:
    """Validate with pyshacl; no inference, since lineage edges are materialised at build time."""
    from pyshacl import validate

    _, report, _ = validate(data, shacl_graph=shapes(), inference="none", allow_warnings=True)
    findings = []
    for result in report.subjects(SH.resultSeverity, None):
        severity = str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        findings.append(Finding(severity, str(report.value(result, SH.focusNode)),
                                str(report.value(result, SH.resultPath) or ""),
                                str(report.value(result, SH.resultMessage) or "")))
    findings.sort(key=lambda f: (f.severity, f.focus, f.path))
    return Report(not any(f.severity == "Violation" for f in findings), tuple(findings))


def validate_dataset(dataset: Dataset) -> Report:
    return validate_graph(as_graph(dataset))
