"""The same abstract gives the same Document (and records) whichever format it arrives in.

Every gold abstract (shared/gold/*.json) is rendered by tests/formats.py as PubMed page text
(seed and browser layouts, one file each, and PubMed's multi-record "Abstract (text)" export), MEDLINE (one multi-record file, fields wrapped at 80 columns), PubMed XML (one
multi-article file) and plain text, then read back.
"""
import json

import pytest

from metabolero.ingest import read_path
import formats


@pytest.fixture(scope="module")
def abstracts(shared):
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((shared / "gold").glob("*.json"))]
    assert len(golds) >= 50
    return [formats.abstract_from_gold(g, i) for i, g in enumerate(golds)]


@pytest.fixture(scope="module")
def readings(abstracts, tmp_path_factory):
    """{format name: {pmid: Document}} for every abstract in every format."""
    d = tmp_path_factory.mktemp("formats")
    (d / "all.nbib").write_text(formats.to_medline_file(abstracts), encoding="utf-8")
    (d / "all.xml").write_text(formats.to_xml(abstracts), encoding="utf-8")
    (d / "export.txt").write_text(formats.to_abstract_export(abstracts), encoding="utf-8")
    out = {"medline": {doc.id: doc for doc in read_path(d / "all.nbib")},
           "page_export": {doc.id: doc for doc in read_path(d / "export.txt")},
           "pubmed_xml": {doc.id: doc for doc in read_path(d / "all.xml")},
           "page_seed": {}, "page_browser": {}, "text": {}}
    for a in abstracts:
        for layout in ("seed", "browser"):
            f = d / layout / f"{a.pmid}.txt"
            f.parent.mkdir(exist_ok=True)
            f.write_text(formats.to_page(a, layout), encoding="utf-8")
            (doc,) = read_path(f)
            out[f"page_{layout}"][a.pmid] = doc
        f = d / "text" / f"{a.pmid}.txt"
        f.parent.mkdir(exist_ok=True)
        f.write_text(formats.to_text(a), encoding="utf-8")
        (doc,) = read_path(f)
        out["text"][a.pmid] = doc
    return out


def test_formats_detected_from_content(readings):
    for name, docs in readings.items():
        expected = "pubmed_page" if name.startswith("page") else name
        assert {d.format for d in docs.values()} == {expected}, name


def test_multi_record_files_give_one_document_per_record_keyed_by_pmid(abstracts, readings):
    pmids = {a.pmid for a in abstracts}
    assert set(readings["medline"]) == pmids
    assert set(readings["pubmed_xml"]) == pmids
    assert set(readings["page_export"]) == pmids
    sources = sorted(int(d.source.rsplit("#", 1)[1]) for d in readings["pubmed_xml"].values())
    assert sources == list(range(1, len(abstracts) + 1))


def test_same_text_in_every_format(abstracts, readings):
    for a in abstracts:
        texts = {name: docs[a.pmid].text for name, docs in readings.items()}
        reference = texts["medline"]
        for name, text in texts.items():
            assert text == reference, (a.id, name)
        # layout: title, blank line, abstract; every gold quote survives (whitespace-normalised:
        # some gold texts are hard-wrapped)
        assert reference.startswith(a.expected_title() + "\n\n"), a.id
        for q in a.quotes:
            assert " ".join(q.split()) in reference, (a.id, q)


def test_same_metadata_in_every_structured_format(abstracts, readings):
    for a in abstracts:
        for name in ("medline", "pubmed_xml", "page_seed", "page_browser", "page_export"):
            doc = readings[name][a.pmid]
            assert doc.title == a.expected_title(), (a.id, name)
            assert doc.journal == a.journal and doc.year == a.year and doc.doi == a.doi, (a.id, name)
            if name == "page_export":        # the export carries no lists
                assert doc.pmid == a.pmid and list(doc.trials) == [a.acronym]
                continue
            assert list(doc.publication_types) == a.expected_publication_types(), (a.id, name)
            assert list(doc.mesh_terms) == a.expected_mesh(), (a.id, name)
            substances = [v for k, v in doc.meta if k == "substance"]
            assert substances == [name_ for _, name_ in a.substances], (a.id, name)
            if name != "page_seed":          # the seed layout carries neither PMID nor registry ids
                assert doc.pmid == a.pmid, (a.id, name)
                assert list(doc.trials) == a.expected_trials(), (a.id, name)
            else:
                assert list(doc.trials) == [a.acronym]
        for name in ("medline", "pubmed_xml"):
            doc = readings[name][a.pmid]
            assert [v for k, v in doc.meta if k == "note"] == a.notes, (a.id, name)


def test_same_sections_in_every_format(abstracts, readings):
    for a in abstracts:
        ref = readings["medline"][a.pmid]
        for name, docs in readings.items():
            assert docs[a.pmid].sections == ref.sections, (a.id, name)
        # plain text finds the title too (a short first paragraph with no final full stop)
        assert readings["text"][a.pmid].title == a.expected_title()
        assert list(readings["text"][a.pmid].trials) == [a.acronym]
        # each labelled part of the gold text is a section holding exactly that part's text
        got = [ref.text[s.start:s.end] for s in ref.sections if s.name not in ("TITLE", "ABSTRACT")]
        want = [text for label, text in a.parts if label]
        assert got == want, a.id
        assert ref.section("TITLE") == a.expected_title()


def test_same_records_in_every_format(abstracts, readings):
    from metabolero.extract import extract
    n_records = 0
    for a in abstracts:
        results = {}
        for name, docs in readings.items():
            d = extract(docs[a.pmid]).to_dict()
            results[name] = {k: d[k] for k in ("ratios", "medians")}
        ref = results["medline"]
        n_records += len(ref["ratios"]) + len(ref["medians"])
        for name, res in results.items():
            assert res == ref, (a.id, name)
    assert n_records > len(abstracts)          # the comparison is not between empty lists


# --------------------------------------------------------------------------- generated abstracts
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from metabolero.ingest import read_text  # noqa: E402

_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789()%=<>&\u2265\u00e9\u2013-,;'\"/.:[]"
_word = st.from_regex(r"[A-Za-z\u00e9]{2}", fullmatch=True).flatmap(
    lambda c: st.text(alphabet=_CHARS, max_size=10).map(lambda w: c + w))
# words that mean something to one reader or another, placed inside sentences
_loaded = st.sampled_from(["Abstract", "Background", "RESULTS:", "Results:", "PMID:", "doi:", "Copyright",
                           "Keywords:", "MeSH", "terms", "\u2022", "TI", "-", "HR:", "Lancet.", "2012",
                           "Jun;8(6):651-7.", "Methods", "NCT01234567", "(ABCD-12)", "Review", "Epub"])
_sentence = st.tuples(_word, st.lists(st.one_of(_word, _loaded), max_size=25)).map(
    lambda t: " ".join([t[0], *t[1]]) + ".")
_paragraph = st.lists(_sentence, min_size=1, max_size=4).map(" ".join)
_label = st.sampled_from(["Background", "METHODS", "Results", "Patients and methods", "CONCLUSIONS", "Findings"])


@settings(max_examples=80, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(title=_sentence, first=_paragraph,
       labelled=st.one_of(st.just([]), st.lists(st.tuples(_label, _paragraph), min_size=1, max_size=4)),
       first_label=st.one_of(st.none(), _label))
def test_generated_abstracts_read_the_same_in_every_format(title, first, labelled, first_label):
    # an abstract is either one unlabelled paragraph or labelled parts throughout
    parts = [(first_label, first)] + (labelled if first_label else [])
    a = formats.Abstract(id="G", title=title, parts=parts, journal="J Test", year=2011, month="Jan",
                         doi="10.9999/g.1", pmid="123", publication_types=["Journal Article"], mesh=[],
                         substances=[], notes=[], registry=["NCT09999999"])
    renderings = {"medline": formats.to_medline(a), "xml": formats.to_xml([a]), "text": formats.to_text(a),
                  "page_seed": formats.to_page(a, "seed"), "page_browser": formats.to_page(a, "browser"),
                  "page_export": formats.to_abstract_export([a], width=60)}
    texts = {name: read_text(r, "g")[0].text for name, r in renderings.items()}
    assert len(set(texts.values())) == 1, texts
    text = texts["medline"]
    assert text.startswith(a.expected_title() + "\n\n")
    # every part is there (a label-like word inside a part may split it further: compare loosely)
    flat = " ".join(text.split()).lower()
    for label, body in parts:
        assert " ".join((f"{label}: {body}" if label else body).split()).lower() in flat
