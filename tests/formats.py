"""Test helpers: one abstract rendered as PubMed page text, MEDLINE, PubMed XML and plain text.

An :class:`Abstract` is built from a gold annotation (``shared/gold/*.json``): its text gives
the abstract (labelled parts where the gold text has labels such as ``Background:`` or a
label line), and bibliographic data are made up from the gold id so that every field of the
readers is exercised (title with markup-significant characters, MeSH terms with major
topics and qualifiers, substances, a general note, a registry id).

The renderers follow the formats as PubMed writes them: MEDLINE wraps fields at 80
columns with six-space continuation lines and runs labelled parts together in one AB
field with capital labels; XML has one AbstractText per labelled part and escapes markup
characters; the page shows each part as ``Label: text`` and lists MeSH terms one qualifier
a line with ``*`` for major topics.
"""
from __future__ import annotations

import re
import textwrap
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Optional

# Labels seen in the gold abstracts (the helper's own list, independent of the readers')
GOLD_LABELS = ("background", "methods", "method", "results", "conclusion", "conclusions", "purpose",
               "patients and methods", "findings", "interpretation", "objective", "introduction",
               "design, setting, and methods", "introduction/methods", "aims", "funding",
               "research design and methods")
_LABEL_LINE = re.compile(r"^(?P<label>[A-Za-z][A-Za-z ,/]{2,40}?):?$")
_LABEL_PREFIX = re.compile(r"^(?P<label>[A-Za-z][A-Za-z ,/]{2,40}?):\s+(?P<text>\S.*)$")

JOURNALS = ("N Engl J Med", "Lancet Oncol", "J Clin Oncol", "Future Oncol", "Ann Oncol", "JAMA Oncol")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MESH_POOL = (
    ("Humans", False, ()),
    ("Breast Neoplasms", False, (("drug therapy", True), ("mortality", False))),
    ("Antineoplastic Agents", True, (("therapeutic use", False),)),
    ("Female", False, ()),
    ("Receptor, ErbB-2", False, (("genetics", False), ("metabolism", True))),
    ("Disease-Free Survival", True, ()),
    ("Middle Aged", False, ()),
)
SUBSTANCES = (("0", "Antineoplastic Agents"), ("EC 2.7.10.1", "Receptor, ErbB-2"), ("9HW64Q8G6G", "Everolimus"))


@dataclass
class Abstract:
    """One abstract with its bibliographic data, as the renderers need it."""

    id: str
    title: str                                   # as MEDLINE/XML print it: with a final full stop
    parts: list[tuple[Optional[str], str]]       # (label as printed or None, text on one line)
    journal: str
    year: int
    month: str
    doi: str
    pmid: str
    publication_types: list[str]
    mesh: list[tuple[str, bool, tuple[tuple[str, bool], ...]]]
    substances: list[tuple[str, str]]
    notes: list[str]
    registry: list[str]
    quotes: list[str] = field(default_factory=list)

    # ------------------------------------------------------------------ expected values
    def expected_title(self) -> str:
        return self.title.rstrip(".").rstrip()

    def expected_mesh(self) -> list[str]:
        out = []
        for desc, major, quals in self.mesh:
            head = desc + ("*" if major else "")
            if not quals:
                out.append(head)
            for q, qmajor in quals:
                out.append(f"{head} / {q}" + ("*" if qmajor else ""))
        return out

    def expected_publication_types(self) -> list[str]:
        return [p for p in self.publication_types if p != "Journal Article"]

    def expected_trials(self) -> list[str]:
        return [self.acronym] + self.registry

    @property
    def acronym(self) -> str:
        return f"METAB-{int(self.pmid) % 1000}"


def _gold_parts(text: str) -> list[tuple[Optional[str], str]]:
    parts: list[tuple[Optional[str], str]] = []
    pending = None
    for line in (ln.strip() for ln in text.split("\n")):
        if not line:
            continue
        m = _LABEL_LINE.match(line)
        if m and m.group("label").lower() in GOLD_LABELS:
            pending = m.group("label")
            continue
        m = _LABEL_PREFIX.match(line)
        if m and m.group("label").lower() in GOLD_LABELS:
            parts.append((m.group("label"), " ".join(m.group("text").split())))
            pending = None
            continue
        first, _, rest = line.partition(" ")
        if first.isupper() and first.lower() in GOLD_LABELS and rest:
            # an all-capital label printed without its colon: "BACKGROUND Coronavirus disease ..."
            parts.append((first, " ".join(rest.split())))
            pending = None
            continue
        line = " ".join(line.split())
        if pending is not None:
            parts.append((pending, line))
            pending = None
        elif parts:
            # an unlabelled line continues the part before it, as MEDLINE's AB field would show it
            label, prev = parts[-1]
            parts[-1] = (label, f"{prev} {line}")
        else:
            parts.append((None, line))
    # a labelled part may run into the next label on the same line ("... survival. Methods: 4724 ...")
    # (capital first letter, any case after it: "Patients and Methods:", "RESULTS:")
    inner = re.compile(r"(?<=[.!?] )(%s): " % "|".join(f"{lab[0].upper()}(?i:{re.escape(lab[1:])})"
                                                     for lab in GOLD_LABELS))
    split: list[tuple[Optional[str], str]] = []
    for label, text in parts:
        if label is None:
            split.append((label, text))
            continue
        pieces = inner.split(text)
        split.append((label, pieces[0].rstrip()))
        split.extend((pieces[i], pieces[i + 1].rstrip()) for i in range(1, len(pieces) - 1, 2))
    return split


def abstract_from_gold(gold: dict, index: int) -> Abstract:
    """Return an Abstract holding a gold annotation's text, with made-up bibliographic data."""
    pmid = str(39_000_000 + index)
    gid = gold["id"]
    mesh = [MESH_POOL[(index + k) % len(MESH_POOL)] for k in range(4)]
    a = Abstract(
        id=gid,
        title="",
        parts=_gold_parts(gold["text"]),
        journal=JOURNALS[index % len(JOURNALS)],
        year=2000 + index % 25,
        month=MONTHS[index % 12],
        doi=f"10.9999/mtb.{gid.lower()}.{index}",
        pmid=pmid,
        publication_types=["Clinical Trial, Phase III", "Journal Article", "Randomized Controlled Trial"][index % 2:],
        mesh=mesh,
        substances=list(SUBSTANCES[: 1 + index % 3]),
        notes=[f"metabolero source: gold {gid}; facts row: METAB/primary/PFS"],
        registry=[f"NCT{10_000_000 + index * 7919:08d}"],
        quotes=[r["quote"] for r in gold.get("ratios", []) + gold.get("medians", []) if r.get("quote")],
    )
    a.title = (f"Drug A & drug B versus <placebo> in patients aged \u226518 years "
               f"(study {gid}): the {a.acronym} trial.")
    return a


# --------------------------------------------------------------------------- renderers
def _page_parts(a: Abstract) -> list[str]:
    return [f"{label}: {text}" if label else text for label, text in a.parts]


def to_page(a: Abstract, layout: str = "seed") -> str:
    """Return the abstract as PubMed page text: 'seed' layout (title first) or 'browser' (citation first)."""
    cite = f"{a.journal}. {a.year} {a.month};{a.year - 1990}(3):101-9. doi: {a.doi}."
    mesh = "\n".join(f"  \u2022 {t}" for t in a.expected_mesh())
    ptypes = "\n".join(f"  \u2022 {t}" for t in a.expected_publication_types())
    subs = "\n".join(f"  \u2022 {name}" for _, name in a.substances)
    body = "\n\n".join(_page_parts(a))
    title = a.expected_title()       # page copies often lose the final full stop
    if layout == "seed":
        return (f"{title}\n\n{cite}\n\n\n{body}\n\nPublication types\n\n{ptypes}\n\nMeSH terms\n\n{mesh}"
                f"\n\n\n{subs}")
    return (f"{a.journal}\n. {a.year} {a.month};{a.year - 1990}(3):101-9.\n doi: {a.doi}.\n\n{a.title}\n\n"
            f"Smith J 1, Doe A 2\nAffiliations\n\nPMID: {a.pmid}\nDOI: {a.doi}\n\nAbstract\n\n{body}\n\n"
            f"\u00a9 {a.year} The Authors.\n\nKeywords: trial; survival.\n\n"
            f"Associated data\n\n  \u2022 ClinicalTrials.gov/{a.registry[0]}\n\n"
            f"Publication types\n\n{ptypes}\n\nMeSH terms\n\n{mesh}\n\nSubstances\n\n{subs}\n")


def to_abstract_export(abstracts: list[Abstract], width: int = 80) -> str:
    """Return PubMed's "Abstract (text)" export of the abstracts: numbered records, lines wrapped."""
    def wrap(text: str) -> str:
        return "\n".join(textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False))

    records = []
    for n, a in enumerate(abstracts, 1):
        cite = f"{n}. {a.journal}. {a.year} {a.month};{a.year - 1990}(3):101-9. doi: {a.doi}. Epub {a.year} Jan 2."
        body = "\n".join(wrap(f"{label.upper()}: {text}" if label else text) for label, text in a.parts)
        records.append(f"{wrap(cite)}\n\n{wrap(a.title)}\n\nSmith J(1), Doe A(2).\n\nAuthor information: \n"
                       f"(1)Invented Institute, Nowhere.\n(2)Elsewhere.\n\n{body}\n\n"
                       f"\u00a9 {a.year} The Authors.\n\nDOI: {a.doi}\nPMID: {a.pmid}  [Indexed for MEDLINE]\n")
    return "\n\n".join(records)


def _wrap(tag: str, value: str, width: int = 80) -> list[str]:
    return textwrap.wrap(value, width=width, initial_indent=f"{tag:<4}- ", subsequent_indent=" " * 6,
                         break_long_words=False, break_on_hyphens=False) or [f"{tag:<4}- "]


def to_medline(a: Abstract, width: int = 80) -> str:
    """Return the abstract as one MEDLINE record, fields wrapped at ``width`` columns."""
    ab = " ".join(f"{label.upper()}: {text}" if label else text for label, text in a.parts)
    lines = [f"PMID- {a.pmid}", "OWN - NLM", "STAT- MEDLINE", f"DP  - {a.year} {a.month}"]
    lines += _wrap("TI", a.title, width)
    lines += _wrap("LID", f"{a.doi} [doi]", width)
    lines += _wrap("AB", ab, width)
    lines += _wrap("CI", f"Copyright \u00a9 {a.year} The Authors.", width)
    lines += ["FAU - Smith, John", "AU  - Smith J", "LA  - eng"]
    lines += [f"SI  - ClinicalTrials.gov/{r}" for r in a.registry]
    lines += [ln for n in a.notes for ln in _wrap("GN", n, width)]
    lines += [f"PT  - {p}" for p in a.publication_types]
    lines += [f"TA  - {a.journal}", f"JT  - {a.journal} (full title)"]
    lines += [f"RN  - {num} ({name})" for num, name in a.substances]
    for desc, major, quals in a.mesh:
        value = ("*" if major else "") + desc + "".join(f"/{'*' if qm else ''}{q}" for q, qm in quals)
        lines += _wrap("MH", value, width)
    lines += [f"AID - {a.doi} [doi]", f"SO  - {a.journal}. {a.year} {a.month};{a.year - 1990}(3):101-9."]
    return "\n".join(lines) + "\n"


def to_medline_file(abstracts: list[Abstract], width: int = 80) -> str:
    """Return several MEDLINE records separated by blank lines, as PubMed exports them."""
    return "\n".join(to_medline(a, width) for a in abstracts)


def _article(a: Abstract) -> ET.Element:
    art = ET.Element("PubmedArticle")
    mc = ET.SubElement(art, "MedlineCitation", Status="MEDLINE", Owner="NLM")
    ET.SubElement(mc, "PMID", Version="1").text = a.pmid
    article = ET.SubElement(mc, "Article", PubModel="Print")
    journal = ET.SubElement(article, "Journal")
    issue = ET.SubElement(journal, "JournalIssue", CitedMedium="Print")
    date = ET.SubElement(issue, "PubDate")
    ET.SubElement(date, "Year").text = str(a.year)
    ET.SubElement(date, "Month").text = a.month
    ET.SubElement(journal, "Title").text = f"{a.journal} (full title)"
    ET.SubElement(journal, "ISOAbbreviation").text = a.journal.replace(" ", ". ") + "."
    # inline markup inside the title: its text must come out flat
    title = ET.SubElement(article, "ArticleTitle")
    head, found, tail = a.title.partition("Drug A")
    title.text = head
    if found:
        italic = ET.SubElement(title, "i")
        italic.text = found
        italic.tail = tail
    ET.SubElement(article, "ELocationID", EIdType="doi", ValidYN="Y").text = a.doi
    abstract = ET.SubElement(article, "Abstract")
    for label, text in a.parts:
        el = ET.SubElement(abstract, "AbstractText")
        if label:
            el.set("Label", label)
            el.set("NlmCategory", "UNASSIGNED")
        el.text = text
    ET.SubElement(abstract, "CopyrightInformation").text = f"\u00a9 {a.year} The Authors."
    banks = ET.SubElement(article, "DataBankList", CompleteYN="Y")
    bank = ET.SubElement(banks, "DataBank")
    ET.SubElement(bank, "DataBankName").text = "ClinicalTrials.gov"
    acc = ET.SubElement(bank, "AccessionNumberList")
    for r in a.registry:
        ET.SubElement(acc, "AccessionNumber").text = r
    ptl = ET.SubElement(article, "PublicationTypeList")
    for p in a.publication_types:
        ET.SubElement(ptl, "PublicationType", UI="D000000").text = p
    info = ET.SubElement(mc, "MedlineJournalInfo")
    ET.SubElement(info, "MedlineTA").text = a.journal
    chems = ET.SubElement(mc, "ChemicalList")
    for num, name in a.substances:
        chem = ET.SubElement(chems, "Chemical")
        ET.SubElement(chem, "RegistryNumber").text = num
        ET.SubElement(chem, "NameOfSubstance", UI="D000001").text = name
    mhl = ET.SubElement(mc, "MeshHeadingList")
    for desc, major, quals in a.mesh:
        mh = ET.SubElement(mhl, "MeshHeading")
        ET.SubElement(mh, "DescriptorName", UI="D000002", MajorTopicYN="Y" if major else "N").text = desc
        for q, qm in quals:
            ET.SubElement(mh, "QualifierName", UI="Q000001", MajorTopicYN="Y" if qm else "N").text = q
    for n in a.notes:
        ET.SubElement(mc, "GeneralNote", Owner="NOTNLM").text = n
    data = ET.SubElement(art, "PubmedData")
    ids = ET.SubElement(data, "ArticleIdList")
    ET.SubElement(ids, "ArticleId", IdType="pubmed").text = a.pmid
    ET.SubElement(ids, "ArticleId", IdType="doi").text = a.doi
    return art


def to_xml(abstracts: list[Abstract]) -> str:
    """Return a PubmedArticleSet holding the abstracts, with PubMed's DOCTYPE line."""
    root = ET.Element("PubmedArticleSet")
    for a in abstracts:
        root.append(_article(a))
    ET.indent(root)
    return ('<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
            '1st January 2024//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_240101.dtd">\n'
            + ET.tostring(root, encoding="unicode") + "\n")


def to_text(a: Abstract) -> str:
    """Return the abstract as plain text: title, blank line, then one paragraph per part."""
    return a.expected_title() + "\n\n" + "\n\n".join(_page_parts(a)) + "\n"
