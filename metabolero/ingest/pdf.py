"""Full-text PDF ingestion with pdfplumber: text in reading order, sections, tables, KM figures.

``read_pdf(path)`` returns one :class:`~metabolero.records.Document` (format ``"pdf"``) whose
``text`` is the article in reading order and whose ``sections`` label the parts
(FRONT, ABSTRACT, INTRODUCTION, METHODS, RESULTS, DISCUSSION, REFERENCES, TABLE).
``read_pdf_full(path)`` returns a :class:`PdfContent` with the same document plus the
results tables (:class:`PdfTable`, with page geometry and a DataFrame) and the Kaplan-Meier
figures digitised from vector paths (:mod:`metabolero.ingest.pdf_km`).

Decisions (documented behaviour):

* Encrypted (unreadable without a password), corrupt/truncated and zero-page files raise
  :class:`~metabolero.errors.IngestError` naming the file.
* A PDF without a text layer (scanned, image-only) also raises ``IngestError``: there is no
  text to extract from, and an empty Document would silently yield no records.
  Pages without text inside an otherwise textual PDF only add a warning in ``meta``.
* The per-file budget (:class:`PdfSettings`): at most ``max_pages`` pages are read and no
  page is started after ``time_budget`` seconds; both add a warning to ``meta`` rather than
  fail. A page that alone overruns ``hard_limit`` is interrupted (SIGALRM, in the main thread)
  and the file fails with ``IngestError``, so a batch never hangs on one file.
* Table text is appended after the body text, one ``TABLE`` section per table (cells
  separated by `` | ``, rows by newlines), so that table records can quote it
  (``quote == text[start:end]`` holds for them too). Their values come from
  :func:`metabolero.extract.tables.records_from_table`; the pipeline drops text records found
  inside ``TABLE`` sections (:func:`metabolero.extract.tables.outside_tables`).
* Reading order: words are grouped into lines per baseline and split at column gutters
  (vertical white strips found from word positions on each page); lines crossing a gutter
  (titles, a full-width abstract) and full-width tables/figures end the column block above
  them. Running headers/footers (repeated in the page margins) and page numbers are dropped,
  small raised reference markers are removed before words are formed, line-end hyphens are
  joined unless the halves form a compound used elsewhere in the document.
* Nothing is cached: the batch pipeline reads a PDF once with :func:`read_pdf_full` (through
  ``iter_documents(..., pdf_reader=...)``) and keeps its tables and figures with the Document.
"""
from __future__ import annotations

import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from ..errors import IngestError
from ..records import Document, Section

__all__ = [
    "PdfSettings", "PdfTable", "PdfContent", "read_pdf", "read_pdf_full", "km_figures_payload",
    "normalise_text",
]


# --------------------------------------------------------------------------- settings / results
@dataclass(frozen=True)
class PdfSettings:
    """Budget and switches of PDF reading.

    ``max_pages``: pages read at most (later pages are skipped with a warning);
    ``time_budget``: seconds per file after which no further page is started;
    ``hard_limit``: seconds after which reading is interrupted even inside a page (SIGALRM, main
    thread only; default ``2 * time_budget + 10``), raising IngestError;
    ``tables`` / ``figures``: look for results tables / vector KM figures.
    """

    max_pages: int = 200
    time_budget: float = 60.0
    hard_limit: Optional[float] = None
    tables: bool = True
    figures: bool = True
    password: str = ""


@dataclass
class PdfTable:
    """A table read from a PDF.

    ``page`` is 1-based (first page of the table), ``bbox`` (x0, top, x1, bottom) in PDF points on
    that page; ``header`` the column names; ``frame`` a DataFrame of the body rows (strings, '' for
    empty cells); ``cells[r][c]`` the same strings with ``cell_pages``/``cell_bboxes`` geometry;
    ``text_start`` the offset of the table's text in the Document and ``cell_offsets[(r, c)]``
    the (start, end) of each body cell there; ``caption`` the "Table N ..." line if found;
    ``method`` how it was found ("ruled" for pdfplumber's line finder, "aligned" for text alignment).
    """

    page: int
    bbox: tuple[float, float, float, float]
    header: list[str]
    cells: list[list[str]]
    cell_pages: list[list[int]] = field(default_factory=list)
    cell_bboxes: list[list[Optional[tuple]]] = field(default_factory=list)
    caption: Optional[str] = None
    method: str = "aligned"
    rotated: bool = False
    pages: tuple[int, ...] = ()
    text_start: Optional[int] = None
    cell_offsets: dict = field(default_factory=dict)
    header_offsets: dict = field(default_factory=dict)

    @property
    def frame(self):
        """Return the body rows as a pandas DataFrame with ``header`` as columns (strings)."""
        import pandas as pd

        cols = _unique_names(self.header)
        return pd.DataFrame([list(r) + [""] * (len(cols) - len(r)) for r in self.cells], columns=cols)

    def summary_frame(self):
        """Return ``frame`` (a DataFrame of the table's body rows)."""
        return self.frame

    def to_dict(self) -> dict:
        """Return a JSON-able description (page, bbox, caption, header, rows)."""
        return {"page": self.page, "pages": list(self.pages), "bbox": list(self.bbox), "caption": self.caption,
                "method": self.method, "rotated": self.rotated, "header": list(self.header),
                "rows": [list(r) for r in self.cells]}


@dataclass
class PdfContent:
    """Everything read from one PDF: the Document, its tables and its digitised KM figures."""

    document: Document
    tables: list[PdfTable] = field(default_factory=list)
    figures: list[Any] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary_frame(self):
        """Return one row per table and figure found: kind, page, bbox, caption/arms, size."""
        import pandas as pd

        rows = [{"kind": "table", "page": t.page, "pages": list(t.pages), "bbox": t.bbox,
                 "what": t.caption or " | ".join(t.header)[:80], "size": f"{len(t.cells)}x{len(t.header)}"}
                for t in self.tables]
        for f in self.figures:
            d = f if isinstance(f, dict) else f.to_dict()
            rows.append({"kind": d.get("kind", "km"), "page": d["page"], "pages": [d["page"]], "bbox": d.get("bbox"),
                         "what": ", ".join(a["arm"] for a in d.get("arms", [])) or d.get("note"),
                         "size": f"{len(d.get('arms', []))} arms" if d.get("arms") else ""})
        return pd.DataFrame(rows, columns=["kind", "page", "pages", "bbox", "what", "size"])


def _unique_names(names: list[str]) -> list[str]:
    seen: Counter = Counter()
    out = []
    for i, n in enumerate(names):
        n = n or f"col{i + 1}"
        seen[n] += 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out


# --------------------------------------------------------------------------- text normalisation
_CHAR_MAP = {
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st",
    "\u2212": "-", "\u00ad": "", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2002": " ", "\u2003": " ",
    "\u200b": "", "\ufeff": "",
}
_CHAR_RE = re.compile("|".join(map(re.escape, _CHAR_MAP)))


def normalise_text(s: str) -> str:
    """Return ``s`` with ligatures expanded, unicode minus as '-', odd spaces as ' ', soft hyphens dropped."""
    return _CHAR_RE.sub(lambda m: _CHAR_MAP[m.group(0)], s)


# --------------------------------------------------------------------------- opening
def _open(path: Path, settings: PdfSettings):
    import pdfplumber
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        head = path.open("rb").read(1024)
    except OSError as exc:
        raise IngestError(path, f"cannot read file: {exc.strerror or exc}") from exc
    if b"%PDF" not in head:
        raise IngestError(path, "not a PDF (no %PDF header)")
    try:
        pdf = pdfplumber.open(path, password=settings.password)
        n = len(pdf.pages)
    except PdfminerException as exc:
        inner = exc.args[0] if exc.args else exc
        name = type(inner).__name__
        if "Password" in name or "Encrypt" in name or "encrypt" in str(inner).lower():
            raise IngestError(path, "encrypted PDF: cannot be read without its password") from exc
        raise IngestError(path, f"corrupt or truncated PDF ({name}: {inner})") from exc
    except Exception as exc:  # pdfminer raises a zoo of types (PSEOF, KeyError, ValueError) on broken files
        raise IngestError(path, f"corrupt or truncated PDF ({type(exc).__name__}: {exc})") from exc
    if n == 0:
        pdf.close()
        raise IngestError(path, "PDF has zero pages")
    return pdf


# --------------------------------------------------------------------------- page model
@dataclass
class _Line:
    """One line of text inside one column: words on one baseline."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    words: list
    size: float
    font: str
    text: str = ""
    col: int = 0
    spanning: bool = False

    def __post_init__(self):
        self.text = " ".join(w["text"] for w in self.words)


def _is_bold(font: str) -> bool:
    f = font.lower()
    return "bold" in f or "black" in f or "heavy" in f or f.endswith(",b") or "-bd" in f


_MARKER_CHARS = set("0123456789,–-*†‡§¶abcdef")


def _drop_superscripts(chars, body_size: float):
    """Drop superscript reference markers (small raised digits) so that ``0.72¹⁴`` stays 0.72."""
    if not chars or body_size <= 0:
        return chars
    small = [c for c in chars if c["size"] < 0.85 * body_size and c["text"] in _MARKER_CHARS]
    if not small:
        return chars
    normal = [c for c in chars if c["size"] >= 0.95 * body_size]
    if not normal:
        return chars
    # index normal chars by rounded bottom to find the line each small char sits on
    drop = set()
    normal.sort(key=lambda c: c["x0"])
    import bisect

    xs = [c["x0"] for c in normal]
    for c in small:
        i = bisect.bisect_left(xs, c["x0"] - 3 * body_size)
        j = bisect.bisect_right(xs, c["x1"] + 3 * body_size)
        for n in normal[i:j]:
            # raised: the small glyph's baseline is clearly above the neighbour's, inside its height
            if n["top"] - 1 <= c["bottom"] <= n["bottom"] - 0.2 * n["size"] and n["top"] - 0.6 * body_size <= c["top"]:
                drop.add(id(c))
                break
    if not drop:
        return chars
    return [c for c in chars if id(c) not in drop]


def _words(chars):
    from pdfplumber.utils.text import extract_words

    return extract_words(chars, x_tolerance=1.5, y_tolerance=2.5, keep_blank_chars=False,
                         use_text_flow=False, extra_attrs=["size", "fontname"], expand_ligatures=True)


def _lines_from_words(words, page_no: int) -> list[_Line]:
    """Group words on the same baseline (split later at column gutters)."""
    words = sorted(words, key=lambda w: (round(w["bottom"], 0), w["x0"]))
    rows: list[list] = []
    for w in sorted(words, key=lambda w: w["bottom"]):
        placed = False
        for r in reversed(rows[-4:]):
            ref = r[0]
            if abs(w["bottom"] - ref["bottom"]) <= 0.3 * max(ref["size"], 1) and abs(w["size"] - ref["size"]) < 0.6 * ref["size"]:
                r.append(w)
                placed = True
                break
        if not placed:
            rows.append([w])
    out = []
    for r in rows:
        r.sort(key=lambda w: w["x0"])
        out.append(r)
    return out


def _split_row(row, gutters, page_no) -> list[_Line]:
    """Split one baseline row at column gutters (and at very wide gaps) into _Line fragments."""
    frags: list[list] = [[row[0]]]
    for w in row[1:]:
        prev = frags[-1][-1]
        gap = w["x0"] - prev["x1"]
        crosses = any(prev["x1"] <= g0 + 1 and w["x0"] >= g1 - 1 for g0, g1 in gutters)
        if crosses or gap > 3.0 * max(prev["size"], 1):
            frags.append([w])
        else:
            frags[-1].append(w)
    out = []
    for f in frags:
        sizes = Counter(round(w["size"], 1) for w in f)
        fonts = Counter(w["fontname"] for w in f)
        out.append(_Line(page_no, min(w["x0"] for w in f), min(w["top"] for w in f), max(w["x1"] for w in f),
                         max(w["bottom"] for w in f), f, sizes.most_common(1)[0][0], fonts.most_common(1)[0][0]))
    return out


def _find_gutters(rows, x_lo: float, x_hi: float) -> list[tuple[float, float]]:
    """Vertical white strips that separate text columns: x ranges no word covers in most rows.

    Lines that run across the whole text width (titles, a full-width abstract) may cross a
    gutter; they are allowed as long as the strip is empty in the many column lines.
    """
    if x_hi - x_lo < 50 or len(rows) < 3:
        return []
    width = int(x_hi - x_lo) + 1
    cover = [0] * width
    for r in rows:
        for w in r:
            a = max(0, int(w["x0"] - x_lo))
            b = min(width - 1, int(w["x1"] - x_lo))
            for i in range(a, b + 1):
                cover[i] += 1
    peak = max(cover)
    if peak == 0:
        return []
    # lines crossing the whole width (title, a full-width abstract) cover the gutter too, so the
    # gutter is a strip covered far less than the columns on either side of it
    thr = max(1.0, 0.35 * peak)
    gutters = []
    i = int(0.2 * width)
    end = int(0.8 * width)
    while i < end:
        if cover[i] <= thr:
            j = i
            while j < width and cover[j] <= thr:
                j += 1
            # the gutter proper is the least covered part of the strip (ragged line ends fringe it)
            low = min(cover[i:j])
            a, b, k = i, i, i
            while k < j:
                if cover[k] == low:
                    m = k
                    while m < j and cover[m] == low:
                        m += 1
                    if m - k > b - a:
                        a, b = k, m
                    k = m
                else:
                    k += 1
            if 6 <= b - a <= 0.4 * width:
                left = sum(1 for r in rows if any(w["x1"] <= x_lo + a + 1 for w in r))
                right = sum(1 for r in rows if any(w["x0"] >= x_lo + b - 1 for w in r))
                lmax = max(cover[:a]) if a else 0
                rmax = max(cover[b:]) if b < width else 0
                if left >= 2 and right >= 2 and min(lmax, rmax) >= 2 * low + 2:
                    gutters.append((x_lo + a, x_lo + b))
            i = j
        i += 1
    return gutters


def _reading_order(lines: list[_Line], gutters, barriers=()) -> list[_Line]:
    """Order lines: spanning lines in place; between them, column by column, top to bottom.

    ``barriers``: boxes taken out of the text (tables, figures); one that crosses a gutter
    ends the columns above it, like a full-width line does.
    """
    if not gutters:
        return sorted(lines, key=lambda l: (l.top, l.x0))
    bounds = [g[0] for g in gutters] + [float("inf")]
    for l in lines:
        l.spanning = any(l.x0 < g0 - 1 and l.x1 > g1 + 1 for g0, g1 in gutters)
        l.col = next(i for i, b in enumerate(bounds) if l.x0 < b)
    walls = [b for b in barriers if any(b[0] < g0 - 1 and b[2] > g1 + 1 for g0, g1 in gutters)]
    items = [(l.top, l) for l in lines] + [(b[1], None) for b in walls]
    items.sort(key=lambda it: it[0])
    out: list[_Line] = []
    band: list[_Line] = []
    for _, l in items:
        if l is None or l.spanning:
            out.extend(sorted(band, key=lambda x: (x.col, x.top, x.x0)))
            band = []
            if l is not None:
                out.append(l)
        else:
            band.append(l)
    out.extend(sorted(band, key=lambda x: (x.col, x.top, x.x0)))
    return out


# --------------------------------------------------------------------------- headers / footers
_PAGE_NO_RE = re.compile(r"^(page\s*)?\d{1,4}(\s*(of|/)\s*\d{1,4})?$", re.I)


def _margin_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().lower())


def _drop_running(pages_lines: list[list[_Line]], heights: list[float], body_size: float = 0.0) -> list[list[_Line]]:
    """Remove running headers/footers (repeated on several pages) and bare page numbers.

    A section heading that happens to open two pages ("Results") is not a running header.
    """
    counts: Counter = Counter()
    for lines, h in zip(pages_lines, heights):
        keys = {_margin_key(l.text) for l in lines if l.top < 0.09 * h or l.bottom > 0.92 * h}
        counts.update(keys)
    n = len(pages_lines)
    out = []
    for lines, h in zip(pages_lines, heights):
        keep = []
        for l in lines:
            in_margin = l.top < 0.09 * h or l.bottom > 0.92 * h
            repeated = n >= 2 and counts[_margin_key(l.text)] >= 2 and _heading_name(l, body_size) is None
            if in_margin and (_PAGE_NO_RE.match(l.text.strip()) or repeated or _DOI_RE.fullmatch(l.text.strip())):
                continue
            keep.append(l)
        out.append(keep)
    return out


# --------------------------------------------------------------------------- sections
_SECTION_WORDS = [
    ("REFERENCES", re.compile(r"\b(references|bibliography|literature cited|works cited)\b", re.I)),
    ("ABSTRACT", re.compile(r"\b(abstract|summary)\b", re.I)),
    ("INTRODUCTION", re.compile(r"\b(introduction|background)\b", re.I)),
    ("METHODS", re.compile(r"\b(methods?|materials|patients and methods|study design)\b", re.I)),
    ("RESULTS", re.compile(r"\b(results?|findings)\b", re.I)),
    ("DISCUSSION", re.compile(r"\b(discussion|conclusions?|interpretation)\b", re.I)),
    ("ACKNOWLEDGEMENTS", re.compile(r"\b(acknowledge?ments?|funding|disclosures?|conflicts? of interest)\b", re.I)),
]


_BARE_HEADING_RE = re.compile(
    r"(Abstract|Summary|Introduction|Background|Methods|Materials and [Mm]ethods|Patients and [Mm]ethods|Results|"
    r"Discussion|Conclusions?|References|Bibliography|Literature [Cc]ited|Acknowledge?ments?)")


def _heading_name(line: _Line, body_size: float) -> Optional[str]:
    """Return the section label if ``line`` looks like a section heading, else None."""
    text = re.sub(r"^\s*(\d+(\.\d+)*\.?|[IVX]+\.)\s*", "", line.text).strip().rstrip(":").strip()
    if not text or len(text) > 40 or len(text.split()) > 4 or text.endswith("."):
        return None
    if re.match(r"(table|fig\.?|figure|supplementary)\b", text, re.I):
        return None  # "Table 2. Results" is a caption
    styled = _is_bold(line.font) or line.size > body_size * 1.08 or (text.isupper() and len(text) > 3)
    # a line holding nothing but a capitalised section word is a heading even in the body font
    bare = bool(_BARE_HEADING_RE.fullmatch(text))
    if not styled and not bare:
        return None
    for name, rx in _SECTION_WORDS:
        if rx.search(text):
            return name
    return None


# --------------------------------------------------------------------------- assembling text
_HYPHEN_END = re.compile(r"([A-Za-z\u00c0-\u024f]+)-$")


_LIST_ITEM_RE = re.compile(r"^\s*(\[\d{1,3}\]|\d{1,3}\.)\s+[A-Z]")


def _typical_gap(lines: list[_Line]) -> float:
    """The usual white space between two lines of one paragraph (median of small gaps), in points."""
    gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:])
            if a.page == b.page and a.col == b.col and 0 <= b.top - a.bottom <= a.size]
    return statistics.median(gaps) if gaps else 2.0


def _join_lines(lines: list[_Line], body_size: float) -> list[tuple[list[_Line], Optional[str]]]:
    """Group ordered lines into paragraphs: (lines, heading-name-or-None).

    A paragraph ends before a heading, at a gap clearly wider than the usual line spacing, at a
    change of font size or weight, and before a numbered item ("2. Smith J" in a reference list)
    when the line before it ends a sentence.
    """
    usual = _typical_gap(lines)
    paras: list[tuple[list[_Line], Optional[str]]] = []
    cur: list[_Line] = []
    for l in lines:
        head = _heading_name(l, body_size)
        if head is not None:
            if cur:
                paras.append((cur, None))
            paras.append(([l], head))
            cur = []
            continue
        if cur:
            prev = cur[-1]
            gap = l.top - prev.bottom
            size = max(prev.size, l.size)
            new_para = (
                (l.page == prev.page and l.col == prev.col and not (l.spanning ^ prev.spanning)
                 and gap > usual + max(2.0, 0.35 * size))
                or abs(l.size - prev.size) > 1.0
                or (_is_bold(l.font) != _is_bold(prev.font) and len(l.text) < 60)
                or (_LIST_ITEM_RE.match(l.text) is not None and prev.text.rstrip().endswith("."))
            )
            if new_para:
                paras.append((cur, None))
                cur = []
        cur.append(l)
    if cur:
        paras.append((cur, None))
    return paras


def _dehyphenate(parts: list[str], vocab: set[str]) -> str:
    out = ""
    for i, s in enumerate(parts):
        if i == 0:
            out = s
            continue
        m = _HYPHEN_END.search(out)
        nxt = re.match(r"[A-Za-z\u00c0-\u024f]+", s)
        if m and nxt and s[:1].islower():
            left, right = m.group(1), nxt.group(0)
            joined = (left + right).lower()
            hyph = f"{left}-{right}".lower()
            # a compound broken at its own hyphen ("bone-only") keeps it: the hyphenated form occurs
            # elsewhere, or both halves are words of the document while the joined form is not
            both_words = len(left) >= 4 and len(right) >= 4 and right.lower() in vocab
            keep = (joined not in vocab and (hyph in vocab or both_words)) or (left.isupper() and len(left) <= 4) \
                or any(ch.isdigit() for ch in left)
            if keep:
                out = out + s
            else:
                out = out[:-1] + s
        else:
            out = out + " " + s
    return out


def _assemble(pages_lines: list[list[_Line]], body_size: float):
    """Return (text, sections, line_spans) from ordered page lines."""
    all_lines = [l for pl in pages_lines for l in pl]
    # words of the document, not counting line-initial and line-final tokens (the halves of
    # words hyphenated at line ends would otherwise look like words)
    vocab = set()
    for l in all_lines:
        for w in l.words[1:-1]:
            t = w["text"].strip(".,;:()[]").lower()
            if t:
                vocab.add(t)
    paras = _join_lines(all_lines, body_size)
    # abstract headings: the level of the "Abstract" heading decides what closes the abstract
    text_parts: list[str] = []
    sections: list[tuple[str, int]] = []
    pos = 0
    abstract_level: Optional[float] = None
    in_abstract = False
    for plines, head in paras:
        if head is not None:
            l = plines[0]
            level = l.size + (0.5 if _is_bold(l.font) else 0)
            if head == "ABSTRACT":
                abstract_level = level
                in_abstract = True
                sections.append(("ABSTRACT", pos))
            elif in_abstract and abstract_level is not None and level < abstract_level - 0.3:
                pass  # a sub-heading of a structured abstract (PURPOSE, METHODS, RESULTS, ...)
            else:
                in_abstract = False
                sections.append((head, pos))
            para = normalise_text(l.text)
        else:
            para = _dehyphenate([normalise_text(l.text) for l in plines], vocab)
        text_parts.append(para)
        pos += len(para) + 1
    text = "\n".join(text_parts)
    if not any(name == "REFERENCES" for name, _ in sections):
        start = _unheaded_references(text_parts)
        if start is not None:
            sections = [(n, p) for n, p in sections if p < start] + [("REFERENCES", start)]
    if not sections or sections[0][1] > 0:
        sections.insert(0, ("FRONT", 0))
    secs = []
    for i, (name, start) in enumerate(sections):
        end = sections[i + 1][1] - 1 if i + 1 < len(sections) else len(text)
        secs.append(Section(name, start, max(start, end)))
    return text, secs


_REF_START_RE = re.compile(r"^\s*(\[1\]|1\.|1\s)\s*[A-Z][A-Za-z'\u00c0-\u024f-]+,?\s+[A-Z]")
_REF_CITE_RE = re.compile(r"\b(19|20)\d{2}\b\s*[;:,.]?\s*\d*\s*(\(\d+\))?\s*[:;,]\s*\d+|et al\.|doi\s*:", re.I)


def _unheaded_references(paragraphs: list[str]) -> Optional[int]:
    """Offset where a reference list without a heading starts at the end of the text, or None.

    A paragraph opening with "1. Surname A" (or "[1] ...") after the first 30% of the text, which
    together with the paragraphs after it cites at least two works (year then volume/pages,
    "et al.", "doi:"), starts the list.
    """
    offsets, pos = [], 0
    for p in paragraphs:
        offsets.append(pos)
        pos += len(p) + 1
    total = pos
    for k, p in enumerate(paragraphs):
        if offsets[k] < 0.3 * total or not _REF_START_RE.match(p):
            continue
        rest = " ".join(paragraphs[k:])
        if len(_REF_CITE_RE.findall(rest)) >= 2:
            return offsets[k]
    return None


# --------------------------------------------------------------------------- main entry points
def _page_lines(page, page_no: int, exclude: list[tuple], body: tuple[float, str]):
    """Return the text lines of one page outside the ``exclude`` boxes, split at column gutters."""
    body_size, body_font = body
    chars = [c for c in page.chars if c.get("upright", True)]
    if exclude:
        def inside(c, b, table_font):
            if not (b[0] - 1 <= c["x0"] and c["x1"] <= b[2] + 1 and b[1] - 1 <= c["top"] and c["bottom"] <= b[3] + 1):
                return False
            # body-font text that a badly placed table overlaps stays with the body
            if table_font and c["fontname"] == body_font and abs(c["size"] - body_size) < 0.2 and table_font != (round(body_size, 1), body_font):
                return False
            return True
        chars = [c for c in chars if not any(inside(c, b, tf) for b, tf in exclude)]
    chars = _drop_superscripts(chars, body_size)
    words = _words(chars)
    rows = _lines_from_words(words, page_no)
    x_lo = min((w["x0"] for w in words), default=0)
    x_hi = max((w["x1"] for w in words), default=0)
    gutters = _find_gutters(rows, x_lo, x_hi)
    lines = [frag for r in rows for frag in _split_row(r, gutters, page_no)]
    return lines, gutters


def read_pdf_full(path, settings: Optional[PdfSettings] = None) -> PdfContent:
    """Read a PDF: return a :class:`PdfContent` (Document in reading order, tables, KM figures).

    Raises IngestError for unreadable, encrypted, zero-page and image-only PDFs, and for a file
    whose reading overruns ``settings.hard_limit`` (one page that never ends).
    """
    settings = settings or PdfSettings()
    path = Path(path)
    limit = settings.hard_limit if settings.hard_limit is not None else settings.time_budget * 2 + 10
    try:
        # the deadline is switched off (on leaving the with) before the timeout is reported
        with _hard_deadline(limit):
            content = _read(path, settings)
    except _Timeout:
        raise IngestError(path, f"reading took longer than {limit:g} s (the time budget is checked "
                                "between pages; one page overran it); skipped") from None
    except (IngestError, MemoryError, KeyboardInterrupt):
        raise
    except Exception as exc:  # pdfminer/pdfplumber fail in many ways on odd files: one file, not the batch
        raise IngestError(path, f"could not be read ({type(exc).__name__}: {exc})") from exc
    return content


class _Timeout(BaseException):
    """Raised by the SIGALRM deadline; a BaseException so that per-page error handling lets it pass."""


class _hard_deadline:
    """Interrupt reading after ``seconds`` (SIGALRM; only in the main thread of a Unix process).

    The per-page budget only acts between pages; this guards against one page that never ends.
    Elsewhere (threads, Windows) it does nothing and the per-page budget is the only guard.
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.active = False

    def __enter__(self):
        import signal
        import threading

        if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread() \
                and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None) \
                and signal.getitimer(signal.ITIMER_REAL)[0] == 0:
            def _raise(signum, frame):
                raise _Timeout()

            self.previous = signal.signal(signal.SIGALRM, _raise)
            # repeating: a tick that lands in code that swallows it (a __del__) is followed by more
            signal.setitimer(signal.ITIMER_REAL, self.seconds, 0.25)
            self.active = True
        return self

    def __exit__(self, *exc):
        if self.active:
            import signal

            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
            finally:
                # restored even when a last tick raises here, so later reads get their deadline
                signal.signal(signal.SIGALRM, self.previous)
                self.active = False
        return False


def _read(path: Path, settings: PdfSettings) -> PdfContent:
    from . import pdf_tables

    t0 = time.perf_counter()
    pdf = _open(path, settings)
    warnings: list[str] = []
    tables: list[PdfTable] = []
    figures: list[Any] = []
    try:
        pages = pdf.pages
        n_pages = len(pages)
        if n_pages > settings.max_pages:
            warnings.append(f"only the first {settings.max_pages} of {n_pages} pages were read (page budget)")
        pages = pages[: settings.max_pages]
        all_chars = 0
        body_counter: Counter = Counter()
        # first pass over a few pages: the body font decides superscripts and headings
        for p in pages[:6]:
            for ch in p.chars:
                if ch["text"].strip():
                    body_counter[(round(ch["size"], 1), ch["fontname"])] += 1
        body = body_counter.most_common(1)[0][0] if body_counter else (10.0, "")
        body_size = body[0]
        pages_lines: list[list[_Line]] = []
        page_barriers: list[list[tuple]] = []
        heights: list[float] = []
        empty_pages = []
        for i, page in enumerate(pages, start=1):
            if i > 1 and time.perf_counter() - t0 > settings.time_budget:
                warnings.append(f"time budget of {settings.time_budget:g} s used up: pages {i}-{len(pages)} not read")
                break
            exclude: list[tuple] = []
            try:
                n_chars = len(page.chars)
                if settings.figures:
                    from .pdf_km import find_km_figures

                    figs = find_km_figures(page, i)
                    for f in figs:
                        exclude.append((f.bbox if hasattr(f, "bbox") else tuple(f["bbox"]), None))
                    figures.extend(figs)
                if settings.tables:
                    tabs = pdf_tables.find_tables(page, i, body, tuple(b for b, _ in exclude), warnings)
                    for t in tabs:
                        exclude.append((t.bbox, t._font))
                        if getattr(t, "_caption_bbox", None):
                            exclude.append((t._caption_bbox, None))
                    tables.extend(tabs)
                lines, _g = _page_lines(page, i, exclude, body)
            except IngestError:
                raise
            except Exception as exc:  # one damaged page must not lose the rest of the paper
                warnings.append(f"page {i}: could not be read ({type(exc).__name__}: {exc})")
                lines, n_chars = [], 0
            all_chars += n_chars
            if n_chars == 0:
                empty_pages.append(i)
                if _safe_images(page):
                    figures.append({"page": i, "kind": "image", "note": "image, not digitised"})
            else:
                # raster images large enough to be figures are reported, not silently ignored
                for im in _safe_images(page):
                    if (im["x1"] - im["x0"]) > 100 and (im["bottom"] - im["top"]) > 80:
                        figures.append({"page": i, "kind": "image",
                                        "bbox": [round(im["x0"], 1), round(im["top"], 1), round(im["x1"], 1),
                                                 round(im["bottom"], 1)], "note": "image, not digitised"})
            pages_lines.append(lines)
            page_barriers.append([b for b, _ in exclude] if n_chars else [])
            heights.append(float(page.height))
            if hasattr(page, "close"):
                page.close()  # drop the page's parsed objects: memory stays flat on long PDFs
        if all_chars == 0:
            raise IngestError(path, "no text layer (image-only or scanned PDF); OCR it first")
        if empty_pages:
            warnings.append(f"pages without text (images only?): {empty_pages}")
        # the article's DOI is printed on its first page (often in the running header or footer);
        # DOIs of the reference list are not the article's
        doi = _find_doi(" ".join(l.text for l in pages_lines[0])) if pages_lines else None
        pages_lines = _drop_running(pages_lines, heights, body_size)
        ordered = []
        for lines in pages_lines:
            ordered.append(_reading_order(lines, _gutters_of(lines), page_barriers[len(ordered)]))
        text, sections = _assemble(ordered, body_size)
        tables = pdf_tables.merge_continued(tables)
        text, sections = _append_tables(text, list(sections), tables)
        meta = [("pages", str(n_pages))] + [("warning", w) for w in warnings]
        title = _guess_title(ordered[0] if ordered else [], body_size)
        doc = Document(id=path.stem, text=text, source=str(path), format="pdf", title=title, doi=doi,
                       sections=tuple(sections), meta=tuple(meta))
        return PdfContent(doc, tables, figures, warnings)
    finally:
        pdf.close()


_DOI_RE = re.compile(r"\b(?:doi\s*:?\s*|https?://(?:dx\.)?doi\.org/)(10\.\d{4,9}/[^\s\"<>]+)", re.I)


def _find_doi(text: str) -> Optional[str]:
    """The first DOI written as 'doi:10....' or 'https://doi.org/10....' in ``text``, or None."""
    m = _DOI_RE.search(text)
    return m.group(1).rstrip(".,;)") if m else None


def _safe_images(page) -> list:
    """The page's images, or [] when pdfminer cannot parse them (the text is still usable)."""
    try:
        return list(page.images)
    except Exception:  # a broken image stream only loses the image report, noted by the caller's count
        return []


def _gutters_of(lines: list[_Line]):
    """Recover the gutters of a page from its already split line fragments."""
    rows = [[{"x0": l.x0, "x1": l.x1}] for l in lines]
    if not lines:
        return []
    return _find_gutters(rows, min(l.x0 for l in lines), max(l.x1 for l in lines))


def _guess_title(lines: list[_Line], body_size: float) -> Optional[str]:
    big = [l for l in lines[:12] if l.size >= body_size * 1.3]
    if not big:
        return None
    size = max(l.size for l in big)
    return " ".join(normalise_text(l.text) for l in big if l.size == size) or None


def _append_tables(text: str, sections: list[Section], tables: list[PdfTable]):
    """Append each table's text as a TABLE section and record cell offsets for provenance."""
    parts = [text]
    pos = len(text)
    for t in tables:
        block_start = pos + 1
        lines = []
        cur = block_start
        if t.caption:
            lines.append(t.caption)
            cur += len(t.caption) + 1
        hdr = " | ".join(t.header)
        t.header_offsets = {}
        off = cur
        for c, h in enumerate(t.header):
            t.header_offsets[c] = (off, off + len(h))
            off += len(h) + 3
        lines.append(hdr)
        cur += len(hdr) + 1
        t.cell_offsets = {}
        for r, row in enumerate(t.cells):
            off = cur
            for c, cell in enumerate(row):
                t.cell_offsets[(r, c)] = (off, off + len(cell))
                off += len(cell) + 3
            s = " | ".join(row)
            lines.append(s)
            cur += len(s) + 1
        block = "\n".join(lines)
        t.text_start = block_start
        parts.append(block)
        sections.append(Section("TABLE", block_start, block_start + len(block)))
        pos = block_start + len(block)
    return "\n".join(parts), sections


def read_pdf(path, settings: Optional[PdfSettings] = None) -> list[Document]:
    """Read a PDF into a one-element list of Documents (format 'pdf', text in reading order).

    Raises IngestError (naming the file) for encrypted, corrupt, zero-page and image-only PDFs.
    """
    return [read_pdf_full(path, settings).document]


def km_figures_payload(figures) -> list[dict]:
    """Return the JSON form of digitised figures: page, arms [{arm, curve, at_risk}] or image notes."""
    out = []
    for f in figures:
        out.append(dict(f) if isinstance(f, dict) else f.to_dict())
    return out
