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

import dataclasses
import re
import xml.etree.ElementTree as ET
from typing import Iterator, Optional

from ..errors import IngestError
from ..records import Document
from .text import build_document

_YEAR = re.compile(r"\b(1[89]\d{2}|20\d{2})\b")


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


_RECORD_TAGS = _ARTICLE_TAGS + ("MedlineCitation",)
_SET_TAGS = ("PubmedArticleSet", "PubmedBookArticleSet", "MedlineCitationSet")
_CHUNK = 1 << 20


def _stream_articles(text: str, where: str) -> Iterator[ET.Element]:
    """Yield each article element of PubMed XML as it is parsed, freeing it afterwards.

    Streaming keeps memory flat on large exports: an article's elements are dropped from
    the tree once its Document is made.
    """
    if "<!ENTITY" in text:
        raise IngestError(where, "XML declares entities (<!ENTITY>): refused, as entity expansion and external "
                                 "entities are unsafe (PubMed XML never declares any)")
    text = re.sub(r"^\s*<\?xml[^>]{0,200}\?>", "", text, count=1)
    parser = ET.XMLPullParser(events=("start", "end"))
    root: Optional[ET.Element] = None
    depth = 0
    try:
        for pos in range(0, max(len(text), 1), _CHUNK):
            parser.feed(text[pos:pos + _CHUNK])
            for event, el in parser.read_events():
                if event == "start":
                    depth += 1
                    if root is None:
                        root = el
                        if el.tag not in _SET_TAGS and el.tag not in _RECORD_TAGS:
                            raise IngestError(where, f"XML root <{el.tag}> is not PubMed XML "
                                                     "(expected <PubmedArticleSet>)")
                    continue
                depth -= 1
                if el.tag in _RECORD_TAGS and (depth == 0 or (depth == 1 and root.tag in _SET_TAGS)):
                    yield el
                    if depth == 1:
                        root.remove(el)
        parser.close()
    except ET.ParseError as exc:
        msg = str(exc)
        kind = "truncated XML" if ("no element found" in msg or "unclosed token" in msg) else "malformed XML"
        raise IngestError(where, f"{kind} ({msg})") from None


def parse_pubmed_xml(text: str, doc_id: str, source: Optional[str] = None) -> list[Document]:
    """Return one Document per article of PubMed XML text (format 'pubmed_xml').

    A single article takes ``doc_id``; articles of a multi-article file take their PMID
    (else ``doc_id-n``) and ``source#n`` (n from 1). Raises IngestError for unsafe,
    malformed or truncated XML and for XML that is not PubMed's.
    """
    where = source or doc_id
    docs: list[Document] = []
    try:
        for n, node in enumerate(_stream_articles(text, where), 1):
            pmid = (_find_text(node, "MedlineCitation/PMID") or _find_text(node, "BookDocument/PMID")
                    or _find_text(node, "PMID"))
            docs.append(_article_document(node, pmid or f"{doc_id}-{n}", f"{source or doc_id}#{n}"))
    except RecursionError:
        raise IngestError(where, "XML nested too deeply") from None
    if not docs:
        raise IngestError(where, "PubMed XML without any <PubmedArticle>")
    if len(docs) == 1:
        return [dataclasses.replace(docs[0], id=doc_id, source=source)]
    return docs
