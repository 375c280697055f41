"""Reader of PubMed abstract pages saved or copied as text (as in shared/seeds/bolero2_pubmed.txt).

Layouts understood: title, then the citation line ("Future Oncol. 2012 Jun;8(6):651-7. doi: ...")
then the abstract (the seed's layout); the citation line first, then the title, authors and
an "Abstract" heading (the page as a browser copies it, page chrome and all); and PubMed's
"Abstract (text)" export (numbered records "1. Future Oncol. ...", lines wrapped, author list
and "Author information:" between title and abstract), which may hold several records.
The abstract ends at the first heading of the page's trailing lists ("Publication types",
"MeSH terms", "Keywords:", "Copyright", "PMID:" ...).

Lists are read under their headings, one item a line, with or without bullets. A bullet list
with no heading that follows the MeSH list after a blank gap is taken for the Substances list
(the next list of the page, whose heading is lost by some copies). MeSH terms keep the page's
form, ``Descriptor / qualifier`` with ``*`` marking a major topic; substances, keywords and
registry ids go to ``Document.meta`` as ``("substance", ...)``, ``("keyword", ...)``.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Optional

from ..errors import IngestError
from ..records import Document
from .detect import CITATION, NUMBERED
from .text import build_document, clean_lines, paragraphs

_BULLET = re.compile(r"^[\u2022\u25e6\u25aa\u25cf\u2023\u2043\u00b7*\-\u2013]\s+")
_LIST_HEADINGS = {
    "publication types": "ptype", "mesh terms": "mesh", "substances": "substance",
    "supplementary concepts": "concept", "associated data": "databank", "secondary source id": "databank",
    "grants and funding": "grant", "keywords": "keyword",
}
# headings after which the page holds no more abstract text
_END_HEADINGS = re.compile(
    r"^(?:publication types|mesh terms|substances|supplementary concepts|associated data|grants and funding|"
    r"keywords|conflict of interest statement|comment in|comment on|erratum in|update of|update in|"
    r"retraction in|expression of concern in|similar articles|cited by|references|related information|"
    r"linkout - more resources|full text links|figures|supplementary info|mentions|cite|"
    r"investigators|collaborators|personal name as subject|secondary source id)\s*:?$", re.I)
_END_LINE = re.compile(r"^(?:copyright\b|©|\(c\) \d{4}|keywords?:|pmid:\s*\d|pmcid:|doi:\s*10\.|"
                       r"trial registration:\s*clinicaltrials\.gov\s*$)", re.I)
_META_LINE = re.compile(r"^(?:pmid:|pmcid:|doi:|epub\b|free pmc article|free article|item in clipboard|"
                        r"review\.?$|meta-analysis\.?$|clinical trial\.?$)", re.I)
# an author list as the page prints it: "Hope S Rugo 1, Jane Doe 2" / "Affiliations"
_AUTHORS = re.compile(r"^(?:(?i:affiliations?|authors?|collaborators|expand)$"
                      r"|[A-Z][\w'.-]{0,40}(?: [\w'.-]{1,40}){0,4} \d{1,2}(?:\s?,|$))")
_PMID = re.compile(r"\bPMID:\s*(\d{1,9})\b")
_DOI = re.compile(r"\bdoi:\s*(10\.\d{4,9}/\S{1,200})", re.I)


def _item(line: str) -> str:
    return _BULLET.sub("", line).strip()


def parse_pubmed_page(text: str, doc_id: str, source: Optional[str] = None,
                      meta: tuple[tuple[str, str], ...] = ()) -> Document:
    """Return the Document of one PubMed abstract page given as text (format 'pubmed_page')."""
    where = source or doc_id
    lines = clean_lines(text)
    # browsers copy the journal onto its own line before ". 2012 Jun;8(6):651-7."
    merged: list[str] = []
    for ln in lines:
        if ln.startswith(". ") and merged and merged[-1]:
            merged[-1] += ln
        else:
            merged.append(ln)
    lines = [_unnumbered(ln) for ln in merged]
    n = len(lines)

    cit_idx = next((i for i, ln in enumerate(lines[:60]) if ln and CITATION.match(ln)), None)
    journal = year = None
    doi = pmid = None
    if cit_idx is not None:
        m = CITATION.match(lines[cit_idx])
        journal, year = m.group("journal").strip(), int(m.group("year"))
    after = cit_idx + 1 if cit_idx is not None else 0
    if cit_idx is not None:
        # a citation wrapped onto the next line ("... Epub 2019 Feb" / "1.") continues until it ends with "."
        tail = lines[cit_idx]
        while after < n and lines[after] and not tail.endswith("."):
            tail = lines[after]
            after += 1
    abstract_heading = next((i for i in range(after, n) if lines[i].lower() in ("abstract", "abstract:")), None)

    title_lines: list[str] = []
    between = [] if abstract_heading is None else \
        [ln for ln in lines[after:abstract_heading] if ln and not _META_LINE.match(ln)]
    if cit_idx is not None and not between and any(lines[:cit_idx]):
        # seed layout: the title is the block just above the citation line (page chrome above it ignored)
        i = cit_idx - 1
        while i >= 0 and not lines[i]:
            i -= 1
        while i >= 0 and lines[i] and not _END_HEADINGS.match(lines[i]):
            title_lines.insert(0, lines[i])
            i -= 1
        body_start = after if abstract_heading is None else abstract_heading + 1
    elif between:
        # browser layout: citation (with its doi/Epub lines), title, authors, affiliations, "Abstract"
        i = after
        while i < abstract_heading and (not lines[i] or _META_LINE.match(lines[i])):
            i += 1
        while i < abstract_heading and lines[i] and not _META_LINE.match(lines[i]) \
                and not _AUTHORS.match(lines[i]):
            title_lines.append(lines[i])
            i += 1
        body_start = abstract_heading + 1
    else:
        # no citation line: the first block is the title, unless an "Abstract" heading comes first
        i = after
        while i < n and (not lines[i] or _META_LINE.match(lines[i])):
            i += 1
        if abstract_heading is None or i < abstract_heading:
            while i < n and lines[i] and not _END_HEADINGS.match(lines[i]):
                title_lines.append(lines[i])
                i += 1
        body_start = abstract_heading + 1 if abstract_heading is not None else i

    body_start = _skip_front_matter(lines, body_start)
    end = next((i for i in range(body_start, n) if lines[i] and _END_HEADINGS.match(lines[i])), n)
    body: list[str] = []
    stop = end
    # in text with blank lines, a copyright/PMID line ends the abstract only at the start of a
    # block (a wrapped abstract line may begin with "copyright" or "doi: 10....")
    blocks = any(not lines[i] for i in range(body_start, end))
    for i in range(body_start, end):
        ln = lines[i]
        if ln and _END_LINE.match(ln) and (not blocks or i == body_start or not lines[i - 1]):
            stop = i
            break
        body.append(ln)
    raw_paragraphs = paragraphs(body)
    # identifiers: in the header (citation line, "PMID: ... DOI: ..."), else just after the abstract
    for ln in lines[:body_start] + lines[stop:stop + 20]:
        if pmid is None and (mm := _PMID.search(ln)):
            pmid = mm.group(1)
        if doi is None and (mm := _DOI.search(ln)):
            doi = mm.group(1)

    lists = _read_lists(lines[stop:])
    ptypes = lists.get("ptype", [])
    mesh = lists.get("mesh", [])
    pairs = list(meta)
    pairs += [("substance", s) for s in lists.get("substance", [])]
    pairs += [("keyword", k) for k in lists.get("keyword", [])]
    if not title_lines and not raw_paragraphs:
        raise IngestError(where, "PubMed page without a title or abstract")
    return build_document(doc_id, source, "pubmed_page", " ".join(title_lines), raw_paragraphs,
                          journal=journal, year=year, doi=doi, pmid=pmid, publication_types=ptypes,
                          mesh_terms=mesh, registry_ids=lists.get("databank", []), meta=pairs)


def parse_pubmed_pages(text: str, doc_id: str, source: Optional[str] = None,
                       meta: tuple[tuple[str, str], ...] = ()) -> list[Document]:
    """Return one Document per record of page text (several in PubMed's "Abstract (text)" export).

    That export numbers its records, each starting with "N. Journal. Year ..." after a blank
    line; a single record takes ``doc_id``, several take their PMID (else ``doc_id-n``) and
    ``source#n``.
    """
    lines = text.split("\n")
    starts = []
    for i, ln in enumerate(lines):
        s = ln.strip()
        if s[:1].isdigit() and (i == 0 or not lines[i - 1].strip()) and _unnumbered(s) != s:
            starts.append(i)
    if len(starts) < 2:
        return [parse_pubmed_page(text, doc_id, source, meta)]
    docs = []
    bounds = starts[1:] + [len(lines)]
    for n, (a, b) in enumerate(zip(starts, bounds), 1):
        chunk = "\n".join(lines[a:b])
        d = parse_pubmed_page(chunk, f"{doc_id}-{n}", f"{source or doc_id}#{n}", meta)
        docs.append(dataclasses.replace(d, id=d.pmid) if d.pmid else d)
    return docs


def _unnumbered(line: str) -> str:
    """Return a numbered citation line ("1. Future Oncol. 2012 ...") without its record number."""
    if line[:1].isdigit():
        rest = NUMBERED.sub("", line)
        if rest != line and CITATION.match(rest):
            return rest
    return line


_FRONT_HEADINGS = re.compile(r"^(?:author information|collaborators|investigators|comment in|comment on|"
                             r"erratum in|erratum for|update of|update in|republished in|retraction in|"
                             r"expression of concern in)\b", re.I)
_NAME = re.compile(r"^(?:[A-Z][\w'\u2019.-]{0,30})(?: [A-Z][\w'\u2019.-]{0,30}){0,3}(?:\(\d{1,3}(?:,\d{1,3})*\))?$")


def _is_author_list(block: str) -> bool:
    """True for 'Rugo HS(1), Keck S(2).' / 'Baselga J, Campone M, et al.': names, commas, a final stop."""
    core = block.rstrip(".").replace(", et al", "").replace(" et al", "")
    if len(core) > 3000:
        return False
    items = [i.strip() for i in core.split(",") if i.strip()]
    # every item a name, each with initials ("Rugo HS") or an affiliation mark ("Hope S Rugo(1)")
    return (len(items) > 1 or "(" in block) and all(
        _NAME.match(i) and (re.search(r"\(\d", i) or re.search(r"(?:^| )[A-Z]{1,3}(?:\(|$)", i)) for i in items)


def _skip_front_matter(lines: list[str], start: int) -> int:
    """Return the index of the first abstract line after authors, affiliations and notices.

    PubMed's "Abstract (text)" export puts these between the title and the abstract, each
    as its own block: an author list, "Author information:" with affiliations, "Comment in" ...
    """
    i, n = start, len(lines)
    while i < n:
        while i < n and not lines[i]:
            i += 1
        j = i
        while j < n and lines[j]:
            j += 1
        block = " ".join(lines[i:j])
        if j > i and (_FRONT_HEADINGS.match(block) or _is_author_list(block)
                      or all(_META_LINE.match(ln) for ln in lines[i:j])):
            i = j
            continue
        return i
    return i


def _read_lists(lines: list[str]) -> dict[str, list[str]]:
    """Return the items of the page's trailing lists, keyed by list kind."""
    lists: dict[str, list[str]] = {}
    current: Optional[str] = None
    blanks = 0
    for ln in lines:
        if not ln:
            blanks += 1
            continue
        low = ln.lower().rstrip(":").strip()
        if low in _LIST_HEADINGS:
            current, blanks = _LIST_HEADINGS[low], 0
            lists.setdefault(current, [])
            continue
        if ln.lower().startswith("keywords:"):
            lists.setdefault("keyword", []).extend(k.strip().rstrip(".") for k in ln[9:].split(";") if k.strip())
            current = None
            continue
        if _END_HEADINGS.match(ln):
            current, blanks = None, 0
            continue
        is_bullet = bool(_BULLET.match(ln))
        if current == "mesh" and blanks >= 2 and is_bullet:
            # an unheaded list after the MeSH list: the page's Substances list lost its heading
            current = "substance"
            lists.setdefault(current, [])
        blanks = 0
        if current is None:
            continue
        if current == "keyword":
            lists[current].extend(k.strip().rstrip(".") for k in _item(ln).split(";") if k.strip())
        else:
            lists[current].append(_item(ln))
    return lists
