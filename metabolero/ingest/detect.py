"""Deciding what a file is from its content: decoding bytes, refusing binaries, sniffing the format.

Decoding rule (documented choice): UTF-8 (a byte-order mark is dropped; UTF-16 with a BOM is
accepted too, and XML that declares another encoding is decoded with it); in text that is not
valid UTF-8, the valid UTF-8 stays and only the invalid bytes are read as Windows-1252 (Latin-1
for the five bytes Windows-1252 leaves undefined), and the Document records a warning in
``meta`` as ``("encoding", "...")``. Before
decoding, a file is refused as binary when it holds NUL bytes or when more than 5% of its
first 64 KiB are control characters; known binary containers (ZIP/Office, gzip, images) are
named in the error.
"""
from __future__ import annotations

import re
from typing import Optional

from ..errors import IngestError

MAX_FILE_BYTES = 256 * 1024 * 1024
"""Budget: files larger than this are refused before being read (PubMed's own XML exports are
split into files well under this)."""

FORMATS = ("pubmed_page", "medline", "pubmed_xml", "text", "pdf")

_MAGIC = (
    (b"PK\x03\x04", "ZIP archive (or Word/Excel file)"),
    (b"\x1f\x8b", "gzip-compressed file (decompress it first)"),
    (b"BZh", "bzip2-compressed file (decompress it first)"),
    (b"\xfd7zXZ\x00", "xz-compressed file (decompress it first)"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"\xd0\xcf\x11\xe0", "legacy Office document"),
    (b"{\\rtf", "RTF document (save it as plain text)"),
    (b"SQLite format 3\x00", "SQLite database"),
)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]{0,100}?encoding=[\"']([A-Za-z0-9._-]{1,40})[\"']")
_CONTROL_BYTES = frozenset(set(range(0, 9)) | {11} | set(range(14, 32)) | {127})


def is_pdf(head: bytes) -> bool:
    """Return True when the first bytes of a file carry the PDF signature."""
    return b"%PDF-" in head[:1024]


def decode_bytes(data: bytes, path: str) -> tuple[str, Optional[str]]:
    """Return ``(text, warning)`` for a file's bytes; ``warning`` is set when the fallback decoding was used.

    Raises IngestError for empty, binary and known non-text files.
    """
    if not data.strip():
        raise IngestError(path, "empty file" if not data else "empty file (only whitespace)")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise IngestError(path, f"unsupported file type: {what}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as exc:
            raise IngestError(path, f"bad UTF-16 text ({exc.reason} at byte {exc.start})") from exc
    head = data[:65536]
    if b"\x00" in head:
        raise IngestError(path, "binary file (holds NUL bytes); expected text, PubMed XML, MEDLINE or PDF")
    controls = sum(1 for b in head if b in _CONTROL_BYTES)
    if controls > 0.05 * len(head):
        raise IngestError(path, f"binary file ({controls / len(head):.0%} control characters); expected text, "
                                "PubMed XML, MEDLINE or PDF")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        where = f"byte 0x{data[exc.start]:02X} at offset {exc.start}"
    declared = _XML_ENCODING.match(data[:200])
    if declared:
        # XML names its own encoding: honour it when Python knows the codec
        name = declared.group(1).decode("ascii")
        try:
            return data.decode(name), None
        except (LookupError, UnicodeDecodeError):
            pass
    # keep the valid UTF-8 and read only the invalid bytes as Windows-1252 (files often mix both:
    # a UTF-8 abstract with a pasted "é" from an old editor); undefined cp1252 bytes as Latin-1
    text = data.decode("utf-8-sig", errors="surrogateescape")
    n_bad = 0

    def _legacy(m: re.Match) -> str:
        nonlocal n_bad
        raw = bytes(ord(c) - 0xDC00 for c in m.group())
        n_bad += len(raw)
        return "".join(_cp1252(b) for b in raw)

    text = _SURROGATES.sub(_legacy, text)
    # legacy-encoded prose has a few accented letters; a file that is mostly such bytes is not prose
    if n_bad > 0.2 * len(data):
        raise IngestError(path, f"binary file ({n_bad / len(data):.0%} of its bytes are not UTF-8 text)")
    # C1 controls (what undefined bytes become) in numbers mean the bytes were not text at all
    c1 = sum(1 for ch in text[:65536] if "\x80" <= ch <= "\x9f")
    if c1 > 0.05 * min(len(text), 65536):
        raise IngestError(path, f"binary file (not UTF-8: {where}, and not Windows-1252 or Latin-1 text either)")
    return text, f"not valid UTF-8 ({n_bad} byte(s), first {where}); those bytes read as Windows-1252"


_SURROGATES = re.compile("[\udc80-\udcff]+")


def _cp1252(b: int) -> str:
    try:
        return bytes([b]).decode("cp1252")
    except UnicodeDecodeError:
        return bytes([b]).decode("latin-1")


# --------------------------------------------------------------------------- sniffing
_XML_START = re.compile(r"^\s*(?:<\?xml|<!DOCTYPE|<!--|<[A-Za-z_][\w.:-]{0,100}(?:\s[^<>]{0,2000})?/?>)")
_MEDLINE_TAG = re.compile(r"^([A-Z][A-Z0-9]{1,3}) {0,3}- ")
_MEDLINE_TAGS = frozenset("""
PMID OWN STAT DCOM LR IS VI IP DP TI PG LID AB CI FAU AU AD LA GR PT DEP PL TA JT JID RN SB MH OT
OTO COIS EDAT MHDA CRDT PHST AID PST SO AUID PMC MID GN SI TT VTI BTI CTI ED FED ISBN CN IR FIR
""".split())
_PAGE_HEADINGS = re.compile(r"^(?:Publication types|MeSH terms|Substances|Abstract|Keywords:.*|PMID: ?\d+.*)$",
                            re.I)
# "Future Oncol. 2012 Jun;8(6):651-7." -- journal abbreviation, year, then issue or date details
CITATION = re.compile(
    r"^(?P<journal>[A-Z][^.;:]{0,150}?)\s?\.\s+(?P<year>(?:19|20)\d{2})"
    r"(?:\s+[A-Z][a-z]{2}(?:-[A-Z][a-z]{2})?)?(?:\s+\d{1,2}(?:-\d{1,2})?)?\s*(?:[;:.]|$)"
)

# PubMed's "Abstract (text)" export numbers its records: "1. Future Oncol. 2012 Jun;..."
NUMBERED = re.compile(r"^\d{1,5}\.\s+(?=[A-Z])")
_FULL_CITATION = re.compile(CITATION.pattern + r"\s*\d{1,5}(?:\([^)]{1,20}\))?:[A-Za-z0-9-]{1,20}\.")


def sniff_format(text: str) -> str:
    """Return the format of decoded text: 'pubmed_xml', 'medline', 'pubmed_page' or 'text'.

    Looks only at the first 60 lines (each cut to 400 characters), so it is quick on any input.
    """
    head = text[:200_000]
    if _XML_START.match(head[:2000]):
        return "pubmed_xml"
    lines = []
    for line in head.split("\n", 60)[:60]:
        lines.append(line[:400].rstrip())
    nonempty = [ln for ln in lines if ln.strip()]
    if not nonempty:
        return "text"
    first = _MEDLINE_TAG.match(nonempty[0])
    if first and first.group(1) in _MEDLINE_TAGS:
        tags = [m.group(1) for m in map(_MEDLINE_TAG.match, nonempty) if m]
        if sum(t in _MEDLINE_TAGS for t in tags) >= 2:
            return "medline"
    stripped = [ln.strip() for ln in nonempty]
    headings = sum(bool(_PAGE_HEADINGS.match(ln)) for ln in stripped)
    joined = [NUMBERED.sub("", ln) for ln in _join_split_citation(stripped[:15])]
    citation = any(CITATION.match(ln) and re.search(r"\d", ln[ln.find("."):]) for ln in joined)
    if citation and (headings or any(re.search(r"\bdoi:|\bPMID:", ln, re.I) for ln in stripped[:20])):
        return "pubmed_page"
    # a full citation with volume, issue and pages near the top is a page even without its lists
    if any(_FULL_CITATION.match(ln) for ln in joined[:5]):
        return "pubmed_page"
    if headings >= 2:
        return "pubmed_page"
    return "text"


def _join_split_citation(lines: list[str]) -> list[str]:
    """PubMed pages copied from a browser put the journal on its own line: 'Future Oncol' / '. 2012 Jun;...'."""
    out: list[str] = []
    for ln in lines:
        if ln.startswith(". ") and out:
            out[-1] = out[-1] + ln
        else:
            out.append(ln)
    return out


def looks_like_html(text: str) -> bool:
    """Return True for an HTML page (which metabolero does not read: save the page as text)."""
    return bool(re.match(r"^\s*(?:<!DOCTYPE\s+html|<html\b)", text[:2000], re.I))
