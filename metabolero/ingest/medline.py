"""Reader of MEDLINE/.nbib tagged records (PubMed's "MEDLINE" export; several records a file).

A field is ``TAG - value`` with the tag padded to four characters; a line starting with
spaces continues the field before it (joined with one space). Records start at ``PMID-``
(or, without PMIDs, are separated by blank lines). Fields used: PMID, TI, AB, DP (year),
TA (journal, as the PubMed page shows it; JT when TA is absent), LID/AID ``... [doi]``,
PT, MH, RN (substance names), OT (keywords), SI (registry ids, e.g.
``ClinicalTrials.gov/NCT00863655``) and GN (general notes, kept as ``("note", ...)``).

``MH`` lines such as ``Breast Neoplasms/*drug therapy/genetics`` are split into the PubMed
page's form, one term per qualifier: ``Breast Neoplasms / drug therapy*``,
``Breast Neoplasms / genetics`` (``*`` marks a major topic, written after the descriptor or
qualifier it belongs to).
"""
from __future__ import annotations

import re
from pathlib import PurePath
from typing import Optional

from ..errors import IngestError
from ..records import Document
from .text import build_document, clean_text

_FIELD = re.compile(r"^([A-Z][A-Z0-9]{1,3}) {0,3}-(?: (.*))?$")
_YEAR = re.compile(r"\b(1[89]\d{2}|20\d{2})\b")


def parse_records(text: str) -> list[list[tuple[str, str]]]:
    """Return the records of a MEDLINE file, each a list of ``(tag, value)`` in file order.

    Raises IngestError (with an empty path) naming the first line that is neither a field nor
    a continuation line.
    """
    fields: list[list] = []          # [tag, value, blank line before it]
    blank = False
    for lineno, raw in enumerate(clean_text(text).split("\n"), 1):
        line = raw.rstrip()
        if not line.strip():
            blank = True
            continue
        m = _FIELD.match(line)
        if m:
            fields.append([m.group(1), (m.group(2) or "").strip(), blank])
        elif line[0].isspace() and fields:
            fields[-1][1] = f"{fields[-1][1]} {line.strip()}".strip()
        else:
            raise IngestError("", f"line {lineno} ({line[:40]!r}) is neither a 'TAG - value' field "
                                  "nor an indented continuation")
        blank = False
    by_pmid = any(f[0] == "PMID" for f in fields)
    records: list[list[tuple[str, str]]] = []
    for tag, value, blank_before in fields:
        # records start at PMID- (or, in files without PMIDs, after a blank line)
        starts = tag == "PMID" if by_pmid else blank_before
        if not records or (starts and records[-1]):
            records.append([])
        records[-1].append((tag, value))
    return [r for r in records if r]


def _mesh_terms(value: str) -> list[str]:
    """Return the page-form MeSH terms of one MH field value."""
    pieces = [p.strip() for p in value.split("/")]
    descriptor = pieces[0]
    major = descriptor.startswith("*")
    descriptor = descriptor.lstrip("*").strip()
    head = descriptor + ("*" if major else "")
    if len(pieces) == 1:
        return [head]
    out = []
    for q in pieces[1:]:
        q_major = q.startswith("*")
        q = q.lstrip("*").strip()
        out.append(f"{head} / {q}" + ("*" if q_major else ""))
    return out


def _doi(fields: list[tuple[str, str]]) -> Optional[str]:
    for tag in ("LID", "AID"):
        for t, v in fields:
            if t == tag and v.endswith("[doi]"):
                return v[: -len("[doi]")].strip()
    return None


def _substance(value: str) -> str:
    # "9HW64Q8G6G (Everolimus)" -> "Everolimus"; "0 (Androstadienes)" -> "Androstadienes"
    m = re.match(r"^[^(]*?\s\((.*)\)$", value)
    return m.group(1) if m else value


def record_document(fields: list[tuple[str, str]], doc_id: str, source: Optional[str]) -> Document:
    """Return the Document of one MEDLINE record's fields (format 'medline')."""
    def first(tag):
        return next((v for t, v in fields if t == tag), None)

    def every(tag):
        return [v for t, v in fields if t == tag]

    dp = first("DP") or ""
    ym = _YEAR.search(dp)
    mesh = [term for v in every("MH") for term in _mesh_terms(v)]
    meta = [("substance", _substance(v)) for v in every("RN")]
    meta += [("keyword", v) for v in every("OT")]
    meta += [("note", v) for v in every("GN")]
    title = first("TI") or first("BTI") or first("TT")
    abstract = every("AB")
    return build_document(doc_id, source, "medline", title, abstract,
                          journal=first("TA") or first("JT"), year=int(ym.group(1)) if ym else None,
                          doi=_doi(fields), pmid=first("PMID"), publication_types=every("PT"),
                          mesh_terms=mesh, registry_ids=every("SI"), meta=meta)


def parse_medline(text: str, doc_id: str, source: Optional[str] = None) -> list[Document]:
    """Return one Document per MEDLINE record of ``text``.

    A single record takes ``doc_id``; records of a multi-record file take their PMID (else
    ``doc_id-n``) and ``source#n`` (n from 1).
    """
    where = source or doc_id
    try:
        records = parse_records(text)
    except IngestError as exc:
        raise IngestError(where, f"malformed MEDLINE: {exc.reason}") from None
    if not any(t in ("TI", "AB", "BTI") for r in records for t, _ in r):
        raise IngestError(where, "MEDLINE file without any record holding a title (TI) or abstract (AB)")
    if len(records) == 1:
        return [record_document(records[0], doc_id, source)]
    docs = []
    for n, rec in enumerate(records, 1):
        pmid = next((v for t, v in rec if t == "PMID" and v), None)
        docs.append(record_document(rec, pmid or f"{doc_id}-{n}", f"{source or doc_id}#{n}"))
    return docs


def stem(path: str) -> str:
    """Return the document id of a file: its name without extension."""
    return PurePath(path).stem
