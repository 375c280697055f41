"""Reader of PubMed XML (``PubmedArticleSet`` with any number of ``PubmedArticle``/``PubmedBookArticle``).

Safety: a file that declares any entity (``<!ENTITY`` anywhere in it, the only way XML gets
entity expansion, external entities or parameter entities) is refused before parsing; the
standard library's expat parser never fetches an external DTD (PubMed's own DOCTYPE line is
fine), and an undeclared entity reference is a parse error. No new dependency is needed.

Structured abstracts: each ``AbstractText`` becomes a ``Label: text`` paragraph that goes
through the same layout as the PubMed page and MEDLINE (see ``metabolero.ingest.text``).
Journal: ``MedlineTA`` (what the PubMed page shows, e.g. "Future Oncol"), else the ISO
abbreviation without full stops. MeSH terms in the page's form (``Descriptor / qualifier*``).
``GeneralNote`` -> ``("note", ...)``, ``Chemical`` -> ``("substance", ...)``,
``Keyword`` -> ``("keyword", ...)``; ``DataBankList`` accession numbers -> ``trials``.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Optional

from ..errors import IngestError
from ..records import Document
from .text import build_document

_YEAR = re.compile(r"\b(1[89]\d{2}|20\d{2})\b")


def parse_xml(text: str, where: str) -> ET.Element:
    """Return the root element of XML text, refusing entity declarations; raises IngestError."""
    # anywhere, not only in the prolog: a comment before the DOCTYPE must not hide a declaration
    if "<!ENTITY" in text:
        raise IngestError(where, "XML declares entities (<!ENTITY>): refused, as entity expansion and external "
                                 "entities are unsafe (PubMed XML never declares any)")
    # the declared encoding no longer applies to decoded text
    text = re.sub(r"^\s*<\?xml[^>]{0,200}\?>", "", text, count=1)
    try:
        return ET.fromstring(text)
    except ET.ParseError as exc:
        msg = str(exc)
        kind = "truncated XML" if ("no element found" in msg or "unclosed token" in msg) else "malformed XML"
        raise IngestError(where, f"{kind} ({msg})") from None


def _text(el: Optional[ET.Element]) -> str:
    """Return all text inside ``el`` (inline markup such as <i>, <sup> flattened), or ''."""
    if el is None:
        return ""
    return "".join(el.itertext())


def _find_text(el: ET.Element, path: str) -> Optional[str]:
    found = el.find(path)
    t = _text(found).strip() if found is not None else ""
    return t or None


def _year(article: ET.Element) -> Optional[int]:
    for path in ("Journal/JournalIssue/PubDate/Year", "Journal/JournalIssue/PubDate/MedlineDate",
                 "ArticleDate/Year"):
        t = _find_text(article, path)
        if t and (m := _YEAR.search(t)):
            return int(m.group(1))
    return None


def _mesh(citation: ET.Element) -> list[str]:
    out = []
    for heading in citation.findall("MeshHeadingList/MeshHeading"):
        d = heading.find("DescriptorName")
        if d is None:
            continue
        head = _text(d).strip() + ("*" if d.get("MajorTopicYN") == "Y" else "")
        quals = heading.findall("QualifierName")
        if not quals:
            out.append(head)
        for q in quals:
            out.append(f"{head} / {_text(q).strip()}" + ("*" if q.get("MajorTopicYN") == "Y" else ""))
    return out


def _abstract(abstract: Optional[ET.Element]) -> list[str]:
    if abstract is None:
        return []
    paras = []
    for part in abstract.findall("AbstractText"):
        body = _text(part).strip()
        label = (part.get("Label") or "").strip()
        paras.append(f"{label}: {body}" if label and body else body or label)
    return paras


def _article_document(node: ET.Element, doc_id: str, source: Optional[str]) -> Document:
    """Return the Document of one PubmedArticle (or PubmedBookArticle, or bare MedlineCitation)."""
    if node.tag == "MedlineCitation":
        citation, data = node, None
    else:
        citation = node.find("MedlineCitation")
        citation = citation if citation is not None else node.find("BookDocument")
        data = node.find("PubmedData")
        if data is None:
            data = node.find("PubmedBookData")
    if citation is None:
        citation = node
    article = citation.find("Article")
    if article is None:
        article = citation            # BookDocument keeps title and abstract at its own level
    title = _find_text(article, "ArticleTitle") or _find_text(article, "VernacularTitle") \
        or _find_text(article, "Book/BookTitle")
    abstract = _abstract(article.find("Abstract"))
    journal = _find_text(citation, "MedlineJournalInfo/MedlineTA")
    if not journal:
        iso = _find_text(article, "Journal/ISOAbbreviation")
        journal = iso.replace(".", "") if iso else _find_text(article, "Journal/Title")
    doi = None
    for e in article.findall("ELocationID"):
        if e.get("EIdType") == "doi" and _text(e).strip():
            doi = _text(e).strip()
            break
    if doi is None and data is not None:
        for e in data.findall("ArticleIdList/ArticleId"):
            if e.get("IdType") == "doi" and _text(e).strip():
                doi = _text(e).strip()
                break
    pmid = _find_text(citation, "PMID")
    meta = [("substance", _text(c).strip()) for c in citation.findall("ChemicalList/Chemical/NameOfSubstance")]
    meta += [("keyword", _text(k).strip()) for k in citation.findall("KeywordList/Keyword")]
    meta += [("note", _text(g).strip()) for g in citation.findall("GeneralNote")]
    registry = [_text(a).strip() for a in article.findall("DataBankList/DataBank/AccessionNumberList/AccessionNumber")]
    ptypes = [_text(p).strip() for p in article.findall("PublicationTypeList/PublicationType")]
    return build_document(doc_id, source, "pubmed_xml", title, abstract, journal=journal, year=_year(article),
                          doi=doi, pmid=pmid, publication_types=ptypes, mesh_terms=_mesh(citation),
                          registry_ids=registry, meta=meta)


_ARTICLE_TAGS = ("PubmedArticle", "PubmedBookArticle")


def parse_pubmed_xml(text: str, doc_id: str, source: Optional[str] = None) -> list[Document]:
    """Return one Document per article of PubMed XML text (format 'pubmed_xml').

    A single article takes ``doc_id``; articles of a multi-article file take their PMID
    (else ``doc_id-n``) and ``source#n`` (n from 1). Raises IngestError for unsafe,
    malformed or truncated XML and for XML that is not PubMed's.
    """
    where = source or doc_id
    root = parse_xml(text, where)
    if root.tag in _ARTICLE_TAGS or root.tag == "MedlineCitation":
        nodes = [root]
    elif root.tag in ("PubmedArticleSet", "PubmedBookArticleSet", "MedlineCitationSet"):
        nodes = [n for n in root if n.tag in _ARTICLE_TAGS or n.tag == "MedlineCitation"]
    else:
        raise IngestError(where, f"XML root <{root.tag}> is not PubMed XML (expected <PubmedArticleSet>)")
    if not nodes:
        raise IngestError(where, "PubMed XML without any <PubmedArticle>")
    try:
        if len(nodes) == 1:
            return [_article_document(nodes[0], doc_id, source)]
        docs = []
        for n, node in enumerate(nodes, 1):
            pmid = _find_text(node, "MedlineCitation/PMID") or _find_text(node, "BookDocument/PMID") \
                or _find_text(node, "PMID")
            docs.append(_article_document(node, pmid or f"{doc_id}-{n}", f"{source or doc_id}#{n}"))
        return docs
    except RecursionError:
        raise IngestError(where, "XML nested too deeply") from None
