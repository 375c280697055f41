"""metabolero.ingest: sources -> Documents, the format chosen by content rather than file name.

Formats (``Document.format``): ``pubmed_page`` (a PubMed abstract page as text), ``medline``
(MEDLINE/.nbib tagged records), ``pubmed_xml`` (PubmedArticleSet), ``text`` (anything else
that is text) and ``pdf`` (read by :mod:`metabolero.ingest.pdf`).

* :func:`read_path` reads one file into a list of Documents (raises ``IngestError``).
* :func:`read_text` does the same for text already in memory.
* :func:`iter_documents` streams a batch of files and folders, yielding an
  :class:`IngestFailure` for each file that cannot be read instead of raising.

Document ids: the file's stem for a single-record file; for the records of a multi-record
file (MEDLINE, PubMed XML, PubMed's numbered "Abstract (text)" export), the record's PMID
(else ``stem-n``), with ``source`` = ``path#n`` (n from 1).

Folder rule (walking a folder; files named explicitly are always read): entries whose
name starts with ``.`` or ``_`` are skipped, and so are the configuration and
documentation files of a corpus folder: names starting with ``README``, ``LICENSE`` or
``CHANGELOG`` and files ending in one of :data:`SKIPPED_SUFFIXES`
(``.toml .csv .tsv .json .jsonl .yaml .yml .ini .cfg .md .rst .py .db .sqlite .log .lock``).
Folders are walked in sorted name order (files and subfolders interleaved by name); symbolic
links to folders are not followed.

Unknown input: empty files, binaries (see :mod:`metabolero.ingest.detect`), archives, images,
HTML pages, JSON data, XML that is not PubMed's and text without any word are refused with
a reason; any other text is read as plain text.

Budgets: files over ``MAX_FILE_BYTES`` (256 MiB) and documents whose text is over
``MAX_DOCUMENT_CHARS`` (300,000 characters) are refused with a one-line reason, so no
input, e.g. a 1 MB single line, can make a later stage run away.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Union

from ..errors import IngestError, MetaboleroError
from ..records import Document
from .detect import MAX_FILE_BYTES, decode_bytes, is_pdf, looks_like_html, sniff_format
from .text import MAX_DOCUMENT_CHARS, read_plain

__all__ = ["IngestFailure", "read_path", "read_text", "iter_documents", "is_corpus_file",
           "SKIPPED_SUFFIXES", "MAX_FILE_BYTES", "MAX_DOCUMENT_CHARS"]

SKIPPED_SUFFIXES = frozenset({".toml", ".csv", ".tsv", ".json", ".jsonl", ".yaml", ".yml", ".ini", ".cfg",
                              ".md", ".rst", ".py", ".db", ".sqlite", ".sqlite3", ".log", ".lock"})
_SKIPPED_PREFIXES = ("readme", "license", "licence", "changelog")


@dataclass(frozen=True)
class IngestFailure:
    """A source that could not be read: the path and a one-line reason."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def read_text(text: str, doc_id: str, source: Optional[str] = None,
              warning: Optional[str] = None) -> list[Document]:
    """Return the Documents in ``text``, its format detected from content (one or more records).

    ``warning`` (e.g. a decoding fallback) is kept in each Document's meta as ``("encoding", ...)``.
    Raises IngestError naming ``source`` (or ``doc_id``) when the text cannot be read.
    """
    where = source or doc_id
    if not text.strip():
        raise IngestError(where, "empty file (only whitespace)")
    if looks_like_html(text):
        raise IngestError(where, "HTML page: not read (save the PubMed page as text, or export MEDLINE or XML)")
    fmt = sniff_format(text)
    meta = (("encoding", warning),) if warning else ()
    if fmt == "pubmed_xml":
        from .pubmedxml import parse_pubmed_xml

        docs = parse_pubmed_xml(text, doc_id, source)
    elif fmt == "medline":
        from .medline import parse_medline

        docs = parse_medline(text, doc_id, source)
    elif fmt == "pubmed_page":
        from .pubmed import parse_pubmed_pages

        return parse_pubmed_pages(text, doc_id, source, meta=meta)
    else:
        _check_prose(text, where)
        return [read_plain(text, doc_id, source, meta=meta)]
    if meta:
        import dataclasses

        docs = [dataclasses.replace(d, meta=d.meta + meta) for d in docs]
    return docs


_WORD = re.compile(r"[^\W\d_]{2}")


def _check_prose(text: str, where: str) -> None:
    """Refuse text that is data rather than a publication: JSON, or no words at all."""
    head = text.lstrip()[:1]
    if head in ("{", "[") and len(text) <= MAX_DOCUMENT_CHARS:
        try:
            json.loads(text)
        except ValueError:
            pass
        else:
            raise IngestError(where, "JSON data, not a publication (unknown format)")
    if not _WORD.search(text[:MAX_DOCUMENT_CHARS]):
        raise IngestError(where, "no words in this text (unknown format)")


def read_path(path: Union[str, os.PathLike], pdf_reader: Optional[Callable[[Path], list[Document]]] = None
              ) -> list[Document]:
    """Return the Documents of one file (several for multi-record MEDLINE/XML files).

    Raises IngestError(path, reason) for a missing, empty, binary, truncated, unsafe or
    unknown file. ``pdf_reader`` replaces ``metabolero.ingest.pdf.read_pdf`` for PDFs (the
    batch pipeline passes one that keeps the PDF's tables and figures, read in the same pass).
    """
    p = Path(path)
    where = str(p)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise IngestError(where, "no such file") from None
    except OSError as exc:
        raise IngestError(where, f"cannot read ({exc.strerror or exc})") from None
    if p.is_dir():
        raise IngestError(where, "is a folder (use iter_documents for folders)")
    if size > MAX_FILE_BYTES:
        raise IngestError(where, f"file of {size:,} bytes is over the {MAX_FILE_BYTES:,}-byte limit")
    try:
        with open(p, "rb") as fh:
            head = fh.read(1024)
            if is_pdf(head):
                return pdf_reader(p) if pdf_reader is not None else _read_pdf(p)
            data = head + fh.read()
    except OSError as exc:
        raise IngestError(where, f"cannot read ({exc.strerror or exc})") from None
    text, warning = decode_bytes(data, where)
    return read_text(text, p.stem, where, warning=warning)


def _read_pdf(p: Path) -> list[Document]:
    try:
        from .pdf import read_pdf
    except ImportError as exc:
        raise IngestError(str(p), f"PDF support unavailable ({exc})") from None
    return read_pdf(p)


def is_corpus_file(path: Union[str, os.PathLike]) -> bool:
    """Return True when a file met while walking a folder is read as a document (see module docstring)."""
    name = Path(path).name
    if name.startswith((".", "_")) or name.endswith("~"):
        return False
    if name.lower().startswith(_SKIPPED_PREFIXES):
        return False
    return Path(name).suffix.lower() not in SKIPPED_SUFFIXES


def _walk(folder: Path, recursive: bool) -> Iterator[Path]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        raise IngestError(str(folder), f"cannot list folder ({exc.strerror or exc})") from None
    for e in entries:
        if e.name.startswith((".", "_")):
            continue
        if e.is_dir(follow_symlinks=False):
            if recursive:
                yield from _walk(Path(e.path), recursive)
        elif e.is_file() and is_corpus_file(e.name):
            yield Path(e.path)


def iter_documents(paths: Iterable[Union[str, os.PathLike]], recursive: bool = True,
                   pdf_reader: Optional[Callable[[Path], list[Document]]] = None
                   ) -> Iterator[Union[Document, IngestFailure]]:
    """Yield the Documents of files and folders in order, and an IngestFailure for each unreadable file.

    Never raises for a bad input file: one bad file never sinks a batch. ``pdf_reader``: see
    :func:`read_path`.
    """
    for path in paths:
        p = Path(path)
        if p.is_dir():
            try:
                files = list(_walk(p, recursive))
            except IngestError as exc:
                yield IngestFailure(exc.path, exc.reason)
                continue
        else:
            files = [p]
        for f in files:
            yield from _read_one(f, pdf_reader)


def _read_one(f: Path, pdf_reader=None) -> Iterator[Union[Document, IngestFailure]]:
    try:
        docs = read_path(f, pdf_reader)
    except IngestError as exc:
        yield IngestFailure(str(f), exc.reason)
        return
    except MetaboleroError as exc:
        yield IngestFailure(str(f), str(exc))
        return
    except (RecursionError, MemoryError) as exc:
        yield IngestFailure(str(f), f"input too deeply nested or too large ({type(exc).__name__})")
        return
    except Exception as exc:  # a reader bug must not sink the batch; it is reported, not hidden
        yield IngestFailure(str(f), f"internal error while reading ({type(exc).__name__}: {exc})")
        return
    yield from docs
