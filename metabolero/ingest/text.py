"""Text normalisation shared by every reader, the abstract layout, and the plain-text reader.

Every reader hands the title and the raw abstract paragraphs to :func:`build_document`, so
the same abstract gives the same ``Document.text`` whatever format it arrived in:

* whitespace: line ends become ``\\n``; tabs, no-break and other Unicode spaces become one
  space; runs of spaces collapse; zero-width characters and soft hyphens are dropped;
  text is put in Unicode NFC form (composed accents). No other character is changed.
* layout: ``title``, a blank line, then the abstract. A structured abstract has one
  paragraph per labelled part, written ``LABEL: text`` with the label in capitals, parts
  separated by a blank line (MEDLINE runs the parts together in one ``AB`` field; the
  PubMed page and PubMed XML show them apart, in any letter case). Unlabelled paragraphs
  of an abstract are joined with one space, as MEDLINE's ``AB`` field joins them.
  A trailing full stop of the title is dropped (MEDLINE and XML print it, page copies
  often do not).
* labels: a paragraph starts a labelled part when it begins with a label followed by a
  colon; a label is either all capitals (``RESULTS:``, ``CONCLUSIONS AND RELEVANCE:``) or
  made only of the words structured abstracts use (``Patients and methods:``), and a known
  label may also stand alone on its line before its text (``Background``). Once an
  abstract starts with a label, later labels after a sentence end split it into parts.

Metadata: MeSH terms keep the PubMed page's form, ``Descriptor / qualifier`` with ``*`` after
a major topic (MEDLINE's ``Breast Neoplasms/*drug therapy`` becomes
``Breast Neoplasms / drug therapy*``); the publication type "Journal Article", which nearly every
record has and the PubMed page does not list, is dropped so that all formats agree.

``Document.sections`` then holds ``TITLE``, ``ABSTRACT`` and one section per labelled part,
named by NLM category where the label maps to one (``FINDINGS`` -> ``RESULTS``,
``PATIENTS AND METHODS`` -> ``METHODS``, ``INTERPRETATION`` -> ``CONCLUSIONS``), else by
the label itself; a part's section starts after its ``LABEL: ``.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterable, Optional, Sequence

from ..errors import IngestError
from ..records import Document, Section

# --------------------------------------------------------------------------- whitespace
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_DROP = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# C0 controls other than tab/newline/CR/FF/VT, DEL, and C1 controls carry no text
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\x80-\x9f]")


def clean_text(text: str) -> str:
    """Return ``text`` with unified line ends, Unicode NFC and no control/zero-width characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")
    text = _DROP.sub("", text)
    text = _CONTROLS.sub("", text)
    return unicodedata.normalize("NFC", text)


def squash(text: str) -> str:
    """Return ``text`` on one line: every whitespace run (newlines included) becomes one space."""
    return _SPACES.sub(" ", clean_text(text).replace("\n", " ")).strip()


def clean_lines(text: str) -> list[str]:
    """Return the lines of ``text``, each stripped and with whitespace runs collapsed."""
    return [_SPACES.sub(" ", line).strip() for line in clean_text(text).split("\n")]


def paragraphs(lines: Sequence[str]) -> list[str]:
    """Return the blocks of non-empty lines (separated by blank lines), each joined with spaces.

    A line holding only a known label (``Results``) is a block of its own.
    """
    out, block = [], []
    for line in lines:
        if line and _heading_label(line) is not None:
            # a label alone on its line ("Results") heads the text below it, even without a blank line
            if block:
                out.append(" ".join(block))
                block = []
            out.append(line)
        elif line:
            block.append(line)
        elif block:
            out.append(" ".join(block))
            block = []
    if block:
        out.append(" ".join(block))
    return out


# --------------------------------------------------------------------------- labels
# Words that structured-abstract labels are made of; a mixed-case label counts only when
# every word is one of these (so "Patients with cancer:" is not taken for a label).
_LABEL_WORDS = frozenset("""
abstract aim aims analysis and authors authors' background backgrounds case clinical collection
conclusion conclusions context criteria data design discussion endpoint endpoints evaluation
evidence experimental extraction findings funding hypothesis implications importance
interpretation intervention interventions introduction key known level limitations main
materials measure measurements measures method methodology methods new objective objectives of
outcome outcomes participants patients perspective perspectives population practice primary
procedures purpose purposes question rationale recommendations registration relevance
research result results review scope search secondary selection setting settings significance
source sources statistical study subjects summary synthesis trial trials what
""".split())

# Labels that may stand alone on a line above their text (no colon needed).
_HEADING_LABELS = frozenset("""
background backgrounds introduction context importance purpose purposes objective objectives aim
aims rationale methods method design setting participants patients interventions results
findings conclusion conclusions interpretation discussion summary funding
""".split()) | {"materials and methods", "patients and methods", "methods and materials",
                "trial registration", "main outcomes and measures", "main outcome measures",
                "conclusions and relevance", "background and purpose", "background and aims",
                "methods and findings", "design, setting, and participants"}

_CATEGORY = {
    "BACKGROUND": "BACKGROUND", "BACKGROUNDS": "BACKGROUND", "INTRODUCTION": "BACKGROUND",
    "CONTEXT": "BACKGROUND", "IMPORTANCE": "BACKGROUND", "RATIONALE": "BACKGROUND",
    "BACKGROUND AND PURPOSE": "BACKGROUND", "BACKGROUND AND AIMS": "BACKGROUND",
    "BACKGROUND AND OBJECTIVES": "BACKGROUND",
    "PURPOSE": "OBJECTIVE", "PURPOSES": "OBJECTIVE", "OBJECTIVE": "OBJECTIVE",
    "OBJECTIVES": "OBJECTIVE", "AIM": "OBJECTIVE", "AIMS": "OBJECTIVE", "HYPOTHESIS": "OBJECTIVE",
    "METHOD": "METHODS", "METHODS": "METHODS", "MATERIALS AND METHODS": "METHODS",
    "PATIENTS AND METHODS": "METHODS", "METHODS AND MATERIALS": "METHODS", "DESIGN": "METHODS",
    "SETTING": "METHODS", "PARTICIPANTS": "METHODS", "PATIENTS": "METHODS",
    "INTERVENTION": "METHODS", "INTERVENTIONS": "METHODS", "MEASUREMENTS": "METHODS",
    "MAIN OUTCOME MEASURES": "METHODS", "MAIN OUTCOMES AND MEASURES": "METHODS",
    "STUDY DESIGN": "METHODS", "EXPERIMENTAL DESIGN": "METHODS",
    "DESIGN, SETTING, AND PARTICIPANTS": "METHODS", "DESIGN, SETTING, AND METHODS": "METHODS",
    "DATA SOURCES": "METHODS", "STUDY SELECTION": "METHODS", "DATA EXTRACTION": "METHODS",
    "SEARCH METHODS": "METHODS", "SELECTION CRITERIA": "METHODS",
    "DATA COLLECTION AND ANALYSIS": "METHODS", "INTRODUCTION/METHODS": "METHODS",
    "RESEARCH DESIGN AND METHODS": "METHODS", "MATERIAL AND METHODS": "METHODS",
    "SUBJECTS AND METHODS": "METHODS", "STUDY DESIGN AND METHODS": "METHODS",
    "EXPERIMENTAL PROCEDURES": "METHODS", "MAIN OUTCOME MEASURE": "METHODS",
    "SETTING AND PARTICIPANTS": "METHODS", "DESIGN AND SETTING": "METHODS", "METHODOLOGY": "METHODS",
    "BACKGROUND & AIMS": "BACKGROUND", "AIMS/HYPOTHESIS": "OBJECTIVE", "METHODS AND RESULTS": "RESULTS",
    "CONCLUSIONS/SIGNIFICANCE": "CONCLUSIONS", "CONCLUSIONS/INTERPRETATION": "CONCLUSIONS",
    "RESULTS": "RESULTS", "RESULT": "RESULTS", "FINDINGS": "RESULTS", "MAIN RESULTS": "RESULTS",
    "DATA SYNTHESIS": "RESULTS", "METHODS AND FINDINGS": "RESULTS",
    "CONCLUSION": "CONCLUSIONS", "CONCLUSIONS": "CONCLUSIONS", "INTERPRETATION": "CONCLUSIONS",
    "CONCLUSIONS AND RELEVANCE": "CONCLUSIONS", "AUTHORS' CONCLUSIONS": "CONCLUSIONS",
    "DISCUSSION": "CONCLUSIONS", "IMPLICATIONS": "CONCLUSIONS",
}

# Bounded quantifiers keep these linear on adversarial input.
_CAPS_LABEL = r"[A-Z][A-Z ,/&'()\-]{2,58}[A-Z)]"
_MIXED_LABEL = r"[A-Z][A-Za-z']{1,20}(?:[ ,/&\-]{1,3}[A-Za-z']{1,20}){0,7}"
_START_LABEL = re.compile(rf"^(?P<label>{_CAPS_LABEL}|{_MIXED_LABEL}):\s+(?=\S)")
_INNER_LABEL = re.compile(rf"(?<=[.!?)\]] )(?P<label>{_CAPS_LABEL}|{_MIXED_LABEL}):\s+(?=\S)")
_BARE_CAPS = re.compile(r"^(?P<label>[A-Z][A-Z ,/&\-]{2,40}[A-Z])\s+(?=[A-Z0-9(])")


def _label_words(label: str) -> list[str]:
    return [w for w in re.split(r"[ ,/&\-]+", label.lower()) if w]


def is_label(label: str) -> bool:
    """Return True when ``label`` reads as a structured-abstract label (see module docstring)."""
    letters = sum(c.isalpha() for c in label)
    if letters < 3 or len(label) > 60 or any(c.isdigit() for c in label):
        return False
    if label.upper() == label:
        return letters >= 4 or label.lower() in _LABEL_WORDS
    words = _label_words(label)
    return 0 < len(words) <= 8 and all(w in _LABEL_WORDS for w in words) and label[0].isupper()


def _is_inner_label(label: str) -> bool:
    """Inside a paragraph only capital labels and the usual ones split it ("... rate. Results: ...")."""
    if not is_label(label):
        return False
    return label.upper() == label or label.lower() in _HEADING_LABELS or label.upper() in _CATEGORY


def section_name(label: str) -> str:
    """Return the section name of a label: its NLM category where known, else the label in capitals."""
    up = " ".join(label.upper().split())
    return _CATEGORY.get(up, up)


def _heading_label(line: str) -> Optional[str]:
    """Return the label when ``line`` is only a known label (optionally with a colon), else None."""
    core = line.rstrip(":").strip()
    if core.lower() in _HEADING_LABELS:
        return core
    return None


def split_labelled(paragraph: str) -> list[tuple[Optional[str], str]]:
    """Split one paragraph into ``(label, text)`` parts; ``label`` None for an unlabelled paragraph."""
    m = _START_LABEL.match(paragraph)
    if not m or not is_label(m.group("label")):
        m2 = _BARE_CAPS.match(paragraph)
        # all-capital known labels are sometimes printed without their colon ("BACKGROUND Covid-19 ...")
        if m2 and m2.group("label").lower() in _HEADING_LABELS:
            return [(m2.group("label"), paragraph[m2.end():])]
        return [(None, paragraph)]
    parts: list[tuple[Optional[str], str]] = []
    label, pos = m.group("label"), m.end()
    for inner in _INNER_LABEL.finditer(paragraph, pos):
        if not _is_inner_label(inner.group("label")):
            continue
        parts.append((label, paragraph[pos:inner.start()].rstrip()))
        label, pos = inner.group("label"), inner.end()
    parts.append((label, paragraph[pos:]))
    return [(lab, txt) for lab, txt in parts if txt or lab]


def structure_paragraphs(raw: Iterable[str], merge_unlabelled: bool = True) -> list[tuple[Optional[str], str]]:
    """Return ``(label, text)`` parts of an abstract given as raw paragraphs (lines already joined).

    A paragraph that is only a known label becomes the label of the next paragraph. With
    ``merge_unlabelled`` (abstracts), an unlabelled paragraph joins the part before it with
    one space, as MEDLINE's AB field does; without it (plain text), paragraphs stay apart.
    """
    parts: list[tuple[Optional[str], str]] = []
    pending: Optional[str] = None
    for para in raw:
        para = squash(para)
        if not para:
            continue
        head = _heading_label(para)
        if head is not None:
            pending = head
            continue
        if pending is not None:
            para = f"{pending}: {para}"
            pending = None
        for label, text in split_labelled(para):
            if label is None and merge_unlabelled and parts:
                prev_label, prev_text = parts[-1]
                parts[-1] = (prev_label, f"{prev_text} {text}".strip())
            else:
                parts.append((label, text))
    if pending is not None:
        parts.append((None, pending))
    return parts


def compose(title: Optional[str], parts: Sequence[tuple[Optional[str], str]],
            title_section: bool = True) -> tuple[str, tuple[Section, ...]]:
    """Return ``(text, sections)``: title, blank line, then each part as its own paragraph.

    Offsets in the sections are character offsets into the returned text.
    """
    chunks: list[str] = []
    sections: list[Section] = []
    pos = 0

    def add(chunk: str) -> int:
        nonlocal pos
        if chunks:
            chunks.append("\n\n")
            pos += 2
        start = pos
        chunks.append(chunk)
        pos += len(chunk)
        return start

    if title:
        start = add(title)
        if title_section:
            sections.append(Section("TITLE", start, pos))
    abstract_start = None
    labelled: list[Section] = []
    for label, text in parts:
        if label is not None:
            prefix = f"{' '.join(label.upper().split())}: "
            start = add(prefix + text)
            labelled.append(Section(section_name(label), start + len(prefix), pos))
        else:
            start = add(text)
        if abstract_start is None:
            abstract_start = start
    if abstract_start is not None and title_section:
        sections.append(Section("ABSTRACT", abstract_start, pos))
    sections.extend(labelled)
    return "".join(chunks), tuple(sections)


def clean_title(title: Optional[str]) -> Optional[str]:
    """Return the title on one line without final full stops, or None when empty."""
    if not title:
        return None
    # every final full stop goes: a page copy may have lost the one MEDLINE prints
    t = squash(title).rstrip(".").rstrip()
    return t or None


# --------------------------------------------------------------------------- trials
_NCT = re.compile(r"\bNCT\d{8}\b")
_ACRONYM_NUM = re.compile(r"\b([A-Z][A-Za-z0-9]{1,15}(?:-[A-Z0-9]{1,8}){0,2}[- ]\d{1,4}[A-Z]?)\b")
_ACRONYM_TRIAL = re.compile(r"\b([A-Z][A-Z0-9]{2,15}(?:-[A-Z0-9]{1,8}){0,2})\s+(?:[Tt]rials?|[Ss]tudy)\b")
# an acronym alone in brackets: "... breast cancer (FERGI): a randomised ..."
_PAREN_ACRONYM = re.compile(r"\(([A-Z][A-Z0-9]{3,15}(?:[-/][A-Z0-9]{1,10}){0,2})\)")
# a name before the title's first colon: "PrE0102: fulvestrant with ...", "SOFT: ..."
_LEADING_ACRONYM = re.compile(r"^(?:The )?([A-Z][A-Za-z0-9]{1,15}(?:-[A-Za-z0-9]{1,8}){0,2})(?: trial| study)?:")
# Gene, protein and disease names that look like trial acronyms
_NOT_TRIALS = frozenset({
    "HER-2", "HIV-1", "HIV-2", "HPV-16", "HPV-18", "COVID-19", "SARS-COV-2", "BRCA-1", "BRCA-2",
    "EGFR-1", "III", "II", "IV", "RCT", "HER2", "NSCLC", "SCLC", "AML", "CLL", "CML", "HCC", "TNBC",
    "EGFR", "BRAF", "KRAS", "ALK", "PIK3CA", "BRCA", "BRCA1", "BRCA2", "ERBB2", "MACE", "COPD", "CKD",
    "HFREF", "HFPEF", "STEMI", "NSTEMI", "COVID", "MASH", "NASH", "NAFLD", "GIST", "MCRPC", "CRPC", "HNSCC",
    "ESCC", "RCC", "MDS", "DLBCL", "HIV", "HPV", "ICU", "IPD", "PFS", "DFS", "RFS", "EFS", "PD-1", "PD-L1",
    "CTLA-4", "IL-6", "IL-17", "IL-23", "TNF", "VEGF", "HER3", "TROP2", "CDK4", "CDK6", "BCR-ABL", "FLT3", "IDH1",
    "IDH2", "NPM1", "ER", "PR", "HR", "UK", "USA", "EU", "WHO", "NCCN", "ASCO", "ESMO", "GLP-1", "SGLT2", "DPP-4",
})


def _caps(s: str) -> int:
    return sum(c.isupper() for c in s)


def find_trials(title: Optional[str], extra: Iterable[str] = ()) -> tuple[str, ...]:
    """Return trial acronyms named in ``title`` and NCT/registry ids from ``extra`` metadata, deduplicated."""
    found: list[str] = []
    if title:
        for m in _ACRONYM_NUM.finditer(title):
            name = m.group(1)
            stem = re.split(r"[- ]", name)[0]
            letters = sum(c.isalpha() for c in stem)
            # a trial acronym has capitals: BOLERO-2, CAPItello-291, KEYNOTE-189 (not Phase 3, Type 2, Covid-19)
            if name.upper() not in _NOT_TRIALS and _caps(stem) >= 3 and letters >= 3:
                found.append(name)
        lead = _LEADING_ACRONYM.match(title)
        if lead and lead.group(1).upper() not in _NOT_TRIALS and lead.group(1) not in found:
            name = lead.group(1)
            if _caps(name) >= 3 or (_caps(name) >= 2 and any(c.isdigit() for c in name)):
                found.append(name)
        for m in _PAREN_ACRONYM.finditer(title):
            name = m.group(1)
            if name.upper() not in _NOT_TRIALS and name not in found:
                found.append(name)
        for m in _ACRONYM_TRIAL.finditer(title):
            name = m.group(1)
            if name.upper() not in _NOT_TRIALS and name not in found and not name.isdigit():
                found.append(name)
        found.extend(_NCT.findall(title))
    for item in extra:
        ids = _NCT.findall(item)
        found.extend(ids if ids else [item.split("/")[-1].strip()] if item.strip() else [])
    out: list[str] = []
    for f in found:
        if f and f not in out:
            out.append(f)
    return tuple(out)


# --------------------------------------------------------------------------- documents
MAX_DOCUMENT_CHARS = 300_000
"""Budget: a document whose text is longer is refused, so that no later stage can run away on it
(an abstract is ~2,000 characters, a full paper's text ~100,000)."""


def check_size(text: str, source: str) -> None:
    """Raise IngestError when ``text`` is over the per-document budget."""
    if len(text) > MAX_DOCUMENT_CHARS:
        raise IngestError(source, f"text of {len(text):,} characters is over the {MAX_DOCUMENT_CHARS:,}-character "
                                  "limit of one document (not an abstract or paper?)")


def build_document(doc_id: str, source: Optional[str], fmt: str, title: Optional[str],
                   abstract: Sequence[str], *, journal: Optional[str] = None, year: Optional[int] = None,
                   doi: Optional[str] = None, pmid: Optional[str] = None,
                   publication_types: Iterable[str] = (), mesh_terms: Iterable[str] = (),
                   registry_ids: Iterable[str] = (), meta: Iterable[tuple[str, str]] = ()) -> Document:
    """Return the Document of one abstract record: title and raw abstract paragraphs laid out by ``compose``."""
    title = clean_title(title)
    parts = structure_paragraphs(abstract, merge_unlabelled=True)
    text, sections = compose(title, parts)
    check_size(text, source or doc_id)
    ptypes = tuple(t for t in (squash(p) for p in publication_types) if t and t != "Journal Article")
    return Document(
        id=doc_id, text=text, source=source, format=fmt, title=title,
        journal=squash(journal) if journal else None, year=year,
        doi=clean_doi(doi), pmid=squash(pmid) if pmid else None,
        trials=find_trials(title, registry_ids),
        publication_types=_dedupe(ptypes), mesh_terms=_dedupe(squash(m) for m in mesh_terms if squash(m)),
        sections=sections, meta=tuple((k, squash(v)) for k, v in meta if squash(v)),
    )


def clean_doi(doi: Optional[str]) -> Optional[str]:
    """Return the DOI without URL prefix or trailing punctuation, or None."""
    if not doi:
        return None
    d = squash(doi)
    d = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", d, flags=re.I)
    d = d.rstrip(".,;")
    return d or None


def _dedupe(items: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for i in items:
        if i not in out:
            out.append(i)
    return tuple(out)


_TITLE_MAX = 300
_ABSTRACT_MAX = 10_000


def _looks_like_title(part: tuple[Optional[str], str], rest: int) -> bool:
    label, text = part
    return (label is None and rest > 0 and len(text) <= _TITLE_MAX and text[-1:] not in ".!?:;,"
            and text.lower() not in ("abstract", "summary") and any(c.isalpha() for c in text))


def read_plain(text: str, doc_id: str, source: Optional[str] = None,
               meta: Iterable[tuple[str, str]] = ()) -> Document:
    """Return the Document of plain text: normalised paragraphs, labelled parts as sections.

    Paragraphs are blocks separated by blank lines; inside a block, lines are joined with a
    space when the text is hard-wrapped (no line over 100 characters), else each line is its
    own paragraph. A first paragraph of at most 300 characters that does not end like a
    sentence (no final . ! ? : ; ,) and is followed by more text is the title; when the text
    after it is abstract-sized (at most 10,000 characters) it gets an ABSTRACT section, so that
    an abstract saved as plain text gets the same Document as from PubMed's formats.
    """
    check_size(text, source or doc_id)
    lines = clean_lines(text)
    nonempty = [ln for ln in lines if ln]
    if not nonempty:
        raise IngestError(source or doc_id, "no text (only whitespace)")
    wrapped = len(nonempty) >= 3 and max(len(ln) for ln in nonempty) <= 100
    raw = paragraphs(lines) if wrapped else nonempty
    parts = structure_paragraphs(raw, merge_unlabelled=False)
    title = None
    if _looks_like_title(parts[0], len(parts) - 1):
        title, parts = parts[0][1], parts[1:]
    short = sum(len(t) for _, t in parts) <= _ABSTRACT_MAX
    body, sections = compose(title, parts, title_section=title is not None and short)
    if title is not None and not short:
        sections = (Section("TITLE", 0, len(title)),) + sections
    return Document(id=doc_id, text=body, source=source, format="text", title=title,
                    trials=find_trials(title), sections=sections, meta=tuple(meta))
