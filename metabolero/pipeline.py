"""Batch extraction: paths -> documents -> Extraction records, one bad file never sinking a batch.

This module sits above ingest, extract and km and below meta, review and report (which build
on it; it imports none of them): it joins a PDF's text records with the records of its results
tables and the hazard ratios reconstructed from its KM figures.
"""
from __future__ import annotations

import dataclasses
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Optional, TextIO

from .errors import MetaboleroError
from .records import Document, Extraction


@dataclass(frozen=True)
class Failure:
    """A source that could not be read or extracted: the file and a one-line reason."""

    path: str
    reason: str


@dataclass(frozen=True)
class Extracted:
    """One document and what was extracted from it."""

    document: Document
    extraction: Extraction


class Progress:
    """Progress on stderr: a line every ``every`` seconds (or per item when not a terminal)."""

    def __init__(self, enabled: bool = True, stream: Optional[TextIO] = None, every: float = 1.0):
        self.enabled = enabled
        # looked up per use: sys.stderr may be replaced (tests, notebooks) after import
        self._stream = stream
        self.every = every
        self.n_ok = 0
        self.n_failed = 0
        self._last = 0.0
        self._t0 = time.perf_counter()

    def step(self, ok: bool, label: str = "") -> None:
        """Count one document (ok or failed) and print a progress line when one is due."""
        if ok:
            self.n_ok += 1
        else:
            self.n_failed += 1
        now = time.perf_counter()
        if self.enabled and now - self._last >= self.every:
            self._last = now
            n = self.n_ok + self.n_failed
            print(f"  ... {n} documents ({self.n_failed} failed), {n / max(now - self._t0, 1e-9):.1f}/s {label}",
                  file=self._stream or sys.stderr, flush=True)

    @property
    def seconds(self) -> float:
        """Seconds (wall clock) since the progress started."""
        return time.perf_counter() - self._t0


class _PdfReader:
    """Reads a PDF once for the batch reader, keeping its tables and figures until extraction."""

    def __init__(self):
        self.content: dict[str, object] = {}

    def __call__(self, path: Path) -> list[Document]:
        from .ingest.pdf import read_pdf_full

        content = read_pdf_full(path)
        self.content[content.document.id] = content
        return [content.document]


def _pdf_extraction(doc: Document, content, ext: Extraction) -> Extraction:
    """Add a PDF's table records and digitised KM figures (with reconstructed HRs) to its text records."""
    from .extract.tables import outside_tables, records_from_table

    t_ratios, t_medians = [], []
    for table in content.tables:
        r, m = records_from_table(table, ext.id)
        t_ratios.extend(r)
        t_medians.extend(m)
    # the tables' text is part of the PDF's Document (for provenance): text records repeating a
    # table's values are dropped, the table records kept
    table_records = t_ratios + t_medians
    ratios = outside_tables(ext.ratios, doc, table_records) + t_ratios
    medians = outside_tables(ext.medians, doc, table_records) + t_medians
    figures = [_figure_payload(f) for f in content.figures]
    return dataclasses.replace(ext, ratios=tuple(ratios), medians=tuple(medians), km_figures=tuple(figures))


def _figure_payload(fig) -> dict:
    """Return the JSON form of a digitised figure, with the HR reconstructed from its curves."""
    from .km import hr_from_figure

    payload = fig if isinstance(fig, dict) else fig.to_dict()
    payload = dict(payload)
    arms = payload.get("arms") or []
    if len(arms) >= 2 and payload.get("kind", "km") != "image":
        try:
            payload["reconstructed_hr"] = hr_from_figure(arms)
        except MetaboleroError as exc:
            payload["reconstructed_hr"] = None
            payload["warning"] = f"HR not reconstructed: {exc}"
    return payload


def extract_document(doc: Document, pdf_content=None) -> Extraction:
    """Return the Extraction of one document; for a PDF with its tables' records and KM figures.

    ``pdf_content`` is the PDF's ``read_pdf_full`` result when the caller already has it;
    otherwise a PDF document's source file is read again for its tables and figures.
    """
    from .extract import extract

    ext = extract(doc)
    if doc.format == "pdf" and pdf_content is None and doc.source:
        from .ingest.pdf import read_pdf_full

        pdf_content = read_pdf_full(doc.source.split("#", 1)[0])
    if pdf_content is not None:
        ext = _pdf_extraction(doc, pdf_content, ext)
    return ext


def iter_extractions(paths: Iterable[Path]) -> Iterator[Extracted | Failure]:
    """Yield an ``Extracted`` per readable document and a ``Failure`` per unreadable source, streaming."""
    from .ingest import IngestFailure, iter_documents

    pdfs = _PdfReader()
    for item in iter_documents([Path(p) for p in paths], pdf_reader=pdfs):
        if isinstance(item, IngestFailure):
            yield Failure(str(item.path), item.reason)
            continue
        try:
            ext = extract_document(item, pdfs.content.pop(item.id, None))
        except MetaboleroError as exc:
            yield Failure(item.source or item.id, str(exc))
            continue
        except (RecursionError, MemoryError) as exc:
            yield Failure(item.source or item.id, f"document too large or deeply nested ({type(exc).__name__})")
            continue
        except Exception as exc:  # an extractor bug on one document is reported, never sinks the batch
            yield Failure(item.source or item.id, f"internal error while extracting ({type(exc).__name__}: {exc})")
            continue
        yield Extracted(item, ext)


def print_failures(failures: list[Failure], stream: Optional[TextIO] = None) -> None:
    """Print one line per failed source, then a count."""
    if not failures:
        return
    stream = stream or sys.stderr
    print(f"{len(failures)} file(s) failed:", file=stream)
    for f in failures:
        print(f"  {f.path}: {f.reason}", file=stream)


def extract_paths(paths: Iterable[Path], jsonl: Path, progress: bool = True) -> int:
    """Write one JSON line per document to ``jsonl`` ('-' = stdout); return 0, or 1 if any file failed."""
    out: Optional[TextIO] = None
    failures: list[Failure] = []
    prog = Progress(progress)
    to_stdout = str(jsonl) == "-"
    if not to_stdout:
        Path(jsonl).parent.mkdir(parents=True, exist_ok=True)
    out = sys.stdout if to_stdout else open(jsonl, "w", encoding="utf-8")
    try:
        for item in iter_extractions(paths):
            if isinstance(item, Failure):
                failures.append(item)
                print(f"metabolero: {item.path}: {item.reason}", file=sys.stderr)
                prog.step(False)
                continue
            out.write(json.dumps(item.extraction.to_dict(), ensure_ascii=False) + "\n")
            prog.step(True)
    finally:
        if not to_stdout:
            out.close()
    if progress or failures:
        print(f"extracted {prog.n_ok} document(s) in {prog.seconds:.1f} s; {len(failures)} failed"
              + ("" if to_stdout else f"; wrote {jsonl}"), file=sys.stderr)
    print_failures(failures)
    return 1 if failures else 0
