"""Mint IRIs in one place, deterministically: the same input always gives the same IRIs."""

from __future__ import annotations

import hashlib
import re

from rdflib import URIRef

from corpus.models import DocumentMeta


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def short_hash(*parts: str) -> str:
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:12]


class Ids:
    """IRIs under one base, e.g. https://w3id.org/policygraph/id/."""

    def __init__(self, base: str) -> None:
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def document(self, meta: DocumentMeta) -> URIRef:
        return URIRef(f"{self.base}doc/{slug(meta.publishers[0])}/{meta.year}/{meta.id}")

    def section(self, meta: DocumentMeta, eid: str) -> URIRef:
        return URIRef(f"{self.document(meta)}/{eid}") if eid else self.document(meta)

    def document_graph(self, meta: DocumentMeta) -> URIRef:
        return URIRef(f"{self.document(meta)}#graph")

    def commitment(self, commitment_id: str) -> URIRef:
        return URIRef(f"{self.base}commitment/{commitment_id}")

    def derivation(self, subject: str, relation: str, target: str, stated_in: str) -> URIRef:
        """One derivation node per link per stating document, so each document's graph owns its own."""
        return URIRef(f"{self.base}derivation/{short_hash(subject, relation, target, stated_in)}")

    def evidence(self, derivation: str, sentence: str) -> URIRef:
        return URIRef(f"{self.base}evidence/{short_hash(derivation, sentence)}")

    def org(self, name: str) -> URIRef:
        return URIRef(f"{self.base}org/{slug(name)}")

    def theme(self, theme_slug: str) -> URIRef:
        return URIRef(f"{self.base}theme/{theme_slug}")

    def scheme(self, name: str) -> URIRef:
        return URIRef(f"{self.base}scheme/{name}")

    def graph(self, name: str) -> URIRef:
        return URIRef(f"{self.base}graph/{name}")

    def family(self, meta: DocumentMeta) -> URIRef:
        return URIRef(f"{self.base}family/{meta.id}")

    def run(self, stamp: str) -> URIRef:
        return URIRef(f"{self.base}run/{stamp}")
