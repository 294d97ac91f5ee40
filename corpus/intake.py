"""Files and URLs handed to `policygraph ingest`: fetched, checked and described, ready for the pipeline."""

from __future__ import annotations

import re
import tempfile
import urllib.error
import urllib.request
from dataclasses import replace
from datetime import date
from pathlib import Path

from corpus.errors import CorpusError
from corpus.loaders import HTML_SUFFIXES, TEXT_SUFFIXES, max_bytes, read_text
from corpus.models import DocumentMeta
from corpus.pipeline import Source

TIMEOUT = 30  # seconds to wait for a URL
SUFFIXES = {"text/html": ".html", "application/pdf": ".pdf", "text/plain": ".txt", "text/markdown": ".md",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx"}


def source_for(path: Path, title: str = "", publishers: tuple[str, ...] = (), issued: str = "", ident: str = "",
               url: str = "") -> Source:
    """The file with its metadata: the options given, else what the file says of itself.

    :raises CorpusError: naming the file and what is missing or wrong.
    """
    found = file_metadata(path)
    title = title or found.get("title", "")
    issued = issued or found.get("issued", "")
    publishers = publishers or tuple(found.get("publishers", ()))
    missing = [f"--{name}" for name, value in (("title", title), ("issued", issued), ("publisher", publishers))
               if not value]
    if missing:
        raise CorpusError(f"{path}: the file does not say its {', '.join(m[2:] for m in missing)}; "
                          f"give {' and '.join(missing)}")
    check_issued(path, issued)
    meta = DocumentMeta(id=ident or make_id(title, issued), title=title, publishers=tuple(publishers),
                        issued=issued, url=url, kind="report", file=path.name)
    return Source(path, replace(meta, note=f"ingested from {url or path.name}"))


def file_metadata(path: Path) -> dict:
    """Title, publishers and issue date as the file states them (empty where it does not)."""
    if path.suffix.lower() in HTML_SUFFIXES:
        from corpus.html import html_metadata

        return html_metadata(path)
    if path.suffix.lower() == ".pdf":
        from corpus.pdf import pdf_metadata

        return pdf_metadata(path)
    if path.suffix.lower() == ".docx":
        from corpus.docx import docx_metadata

        return docx_metadata(path)
    if path.suffix.lower() not in TEXT_SUFFIXES:
        return {}
    first = next((line.strip() for line in read_text(path).splitlines() if line.strip()), "")
    return {"title": first.lstrip("#").strip()[:200]}


def check_issued(path: Path, issued: str) -> None:
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", issued):
        raise CorpusError(f"{path}: issue date {issued!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    parts = [int(p) for p in issued.split("-")] + [1, 1]
    try:
        date(parts[0], parts[1], parts[2])
    except ValueError as exc:
        raise CorpusError(f"{path}: issue date {issued!r} is not a real date ({exc})") from exc


def make_id(title: str, issued: str) -> str:
    """A short, stable id from the title's first words and the year: "nhs-long-term-plan-2019"."""
    words = re.findall(r"[a-z0-9]+", title.lower())
    return "-".join([*[w for w in words if w not in ("the", "a", "an", "of", "for", "and")][:5], issued[:4]])


def fetch(url: str, folder: Path, limit: int | None = None, timeout: float = TIMEOUT) -> Path:
    """Download `url` into `folder`, refusing what is too big or too slow.

    :raises CorpusError: naming the URL and the reason.
    """
    limit = limit or max_bytes()
    if not url.startswith(("http://", "https://")):
        raise CorpusError(f"{url}: only http:// and https:// addresses can be fetched")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (scheme checked above)
            kind = response.headers.get_content_type()
            body = response.read(limit + 1)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise CorpusError(f"{url}: could not fetch it ({getattr(exc, 'reason', exc)})") from exc
    if len(body) > limit:
        raise CorpusError(f"{url}: larger than {limit / 2**20:g} MB (POLICYGRAPH_MAX_FILE_MB sets the limit)")
    handle = tempfile.NamedTemporaryFile(dir=folder, suffix=SUFFIXES.get(kind, ".html"), delete=False)
    with handle:
        handle.write(body)
    return Path(handle.name)
