"""Each reader on hand-written fixtures (tests/fixtures/ingest) and on the seed abstract."""
import pickle
from pathlib import Path

import pytest

from metabolero.errors import IngestError
from metabolero.ingest import MAX_DOCUMENT_CHARS, read_path, read_text
from metabolero.ingest.detect import sniff_format
from metabolero.ingest.text import find_trials, split_labelled

FIX = Path(__file__).parent / "fixtures" / "ingest"


# --------------------------------------------------------------------------- PubMed page
@pytest.fixture(scope="module")
def seed_doc(shared):
    (doc,) = read_path(shared / "seeds" / "bolero2_pubmed.txt")
    return doc


def test_seed_metadata(seed_doc):
    d = seed_doc
    assert d.id == "bolero2_pubmed" and d.format == "pubmed_page"
    assert d.title == ("The BOLERO-2 trial: the addition of everolimus to exemestane in the treatment of "
                       "postmenopausal hormone receptor-positive advanced breast cancer")
    assert d.journal == "Future Oncol" and d.year == 2012 and d.doi == "10.2217/fon.12.49"
    assert d.publication_types == ("Clinical Trial, Phase III", "Randomized Controlled Trial")
    assert len(d.mesh_terms) == 22
    assert d.mesh_terms[0] == "Adult" and d.mesh_terms[-1] == "Treatment Outcome"
    assert "Breast Neoplasms / drug therapy*" in d.mesh_terms and "Postmenopause" in d.mesh_terms
    # the substances list (its heading lost in the copy) is kept apart from the MeSH terms
    assert [v for k, v in d.meta if k == "substance"] == [
        "Androstadienes", "Receptors, Estrogen", "Everolimus", "Receptor, ErbB-2", "exemestane", "Sirolimus"]
    assert d.trials == ("BOLERO-2",)


def test_seed_text_is_title_then_abstract(seed_doc, shared):
    raw = (shared / "seeds" / "bolero2_pubmed.txt").read_text(encoding="utf-8").split("\n")
    abstract = next(line for line in raw if line.startswith("The combination of the mTOR"))
    assert seed_doc.text == seed_doc.title + "\n\n" + abstract.strip()
    assert seed_doc.section("TITLE") == seed_doc.title
    assert seed_doc.section("ABSTRACT") == abstract.strip()
    assert "hazard ratio: 0.43; p < 0.001" in seed_doc.text


def test_browser_page_layout_matches_medline_record():
    (page,) = read_path(FIX / "browser_page.txt")
    medline = read_path(FIX / "two_records.nbib")[0]
    assert page.format == "pubmed_page" and medline.format == "medline"
    assert page.text == medline.text
    assert page.sections == medline.sections
    for field in ("title", "journal", "year", "doi", "pmid", "trials", "publication_types", "mesh_terms"):
        assert getattr(page, field) == getattr(medline, field), field
    assert page.pmid == "99000001" and page.journal == "Lancet Oncol" and page.year == 2019
    assert page.trials == ("ZEPHYR-4", "NCT09000001")
    assert [v for k, v in page.meta if k == "keyword"] == ["gastric cancer"]
    assert "Copyright" not in page.text and "Anna Example" not in page.text


# --------------------------------------------------------------------------- MEDLINE
def test_medline_two_records():
    a, b = read_path(FIX / "two_records.nbib")
    assert (a.id, b.id) == ("99000001", "99000002")
    assert a.source.endswith("two_records.nbib#1") and b.source.endswith("two_records.nbib#2")
    # continuation lines joined with one space; final full stop of the title dropped
    assert a.title == ("Zentolimab plus standard care versus standard care alone in advanced gastric cancer "
                       "(ZEPHYR-4): a randomised, open-label, phase 3 trial")
    assert a.doi == "10.9999/zephyr.2019.001"          # the [doi] LID, not the [pii] one
    assert a.year == 2019 and a.journal == "Lancet Oncol"
    assert a.publication_types == ("Clinical Trial, Phase III", "Randomized Controlled Trial")
    assert a.mesh_terms == ("Aged", "Antibodies, Monoclonal* / administration & dosage",
                            "Antibodies, Monoclonal* / therapeutic use*", "Humans",
                            "Stomach Neoplasms* / drug therapy", "Stomach Neoplasms* / mortality")
    assert [v for k, v in a.meta if k == "substance"] == ["Antibodies, Monoclonal", "Receptor, ErbB-2"]
    assert ("note", "metabolero source: hand-written fixture; facts row: ZEPHYR-4/primary/OS") in a.meta
    assert a.trials == ("ZEPHYR-4", "NCT09000001")
    assert a.section("RESULTS") == ("412 patients were randomised. Median overall survival was 11.2 months "
                                    "versus 8.9 months (hazard ratio 0.78, 95% CI 0.63-0.96; p=0.019).")
    assert a.section("CONCLUSIONS") == "Zentolimab prolonged survival."   # INTERPRETATION
    assert "\n\nMETHODS: Patients were randomly assigned (1:1)" in a.text
    assert b.text == ("Five-year follow-up of a second invented trial\n\nIn this invented follow-up, the hazard "
                      "ratio for progression was 0.66 (95% CI, 0.51 to 0.85) and median progression-free "
                      "survival was 14.0 versus 9.1 months.")
    assert b.year == 2021 and b.publication_types == () and b.doi is None


def test_medline_single_record_takes_file_stem(tmp_path):
    one = (FIX / "two_records.nbib").read_text().split("\n\n")[1]
    f = tmp_path / "follow_up.nbib"
    f.write_text(one)
    (d,) = read_path(f)
    assert d.id == "follow_up" and d.pmid == "99000002" and d.source == str(f)


def test_medline_without_pmids_splits_on_blank_lines(tmp_path):
    f = tmp_path / "nopmid.txt"
    f.write_text("TI  - First title.\nAB  - First abstract\n      continued.\n\nTI  - Second title.\nAB  - Second.\n")
    a, b = read_path(f)
    assert (a.id, b.id) == ("nopmid-1", "nopmid-2")
    assert a.text == "First title\n\nFirst abstract continued."


def test_medline_bad_line_names_file_and_line(tmp_path):
    f = tmp_path / "bad.nbib"
    f.write_text("PMID- 1\nTI  - A title.\nthis line is not a field\n")
    with pytest.raises(IngestError) as e:
        read_path(f)
    assert e.value.path == str(f) and "line 3" in e.value.reason


# --------------------------------------------------------------------------- PubMed XML
def test_xml_structured_abstract():
    a, b = read_path(FIX / "structured.xml")
    assert (a.id, b.id) == ("99000011", "99000012") and a.format == "pubmed_xml"
    assert a.title == "Effect of orbicept on survival in the ORBIT-2 trial: a randomized study"
    assert a.year == 2018                       # from MedlineDate "2018 Nov-Dec"
    assert a.journal == "J Invent Oncol"        # no MedlineTA: ISO abbreviation without full stops
    assert a.doi == "10.9999/orbit.2018.2"      # from ArticleIdList when ELocationID has no doi
    assert a.text.split("\n\n")[1:] == [
        "BACKGROUND: Orbicept is invented & untested.",
        "PATIENTS AND METHODS: Adults aged \u226518 years were randomized 2:1.",
        "FINDINGS: The hazard ratio for death was 0.81 (95% CI, 0.70\u20130.94; P<.001); 10-3 was the threshold.",
        "CONCLUSIONS: Orbicept helped.",
    ]
    assert [s.name for s in a.sections] == ["TITLE", "ABSTRACT", "BACKGROUND", "METHODS", "RESULTS", "CONCLUSIONS"]
    assert a.section("METHODS") == "Adults aged \u226518 years were randomized 2:1."
    assert a.mesh_terms == ("Humans", "Neoplasms* / drug therapy", "Neoplasms* / mortality*")
    assert a.publication_types == ("Randomized Controlled Trial",)
    assert a.trials == ("ORBIT-2", "NCT09000011")
    assert ("note", "metabolero source: hand-written fixture") in a.meta
    assert ("substance", "orbicept") in a.meta
    # unlabelled AbstractText parts run together, as MEDLINE's AB field shows them
    assert b.text == ("An unstructured invented abstract\n\nFirst paragraph of an invented abstract. Second "
                      "paragraph, with the odds ratio 1.4 (95% CI 1.1-1.8).")
    assert b.journal == "Ann Invent Med" and b.year == 2020


def test_xml_single_article_takes_file_stem(tmp_path):
    text = (FIX / "structured.xml").read_text()
    start, end = text.index("<PubmedArticle>"), text.index("</PubmedArticle>") + len("</PubmedArticle>")
    f = tmp_path / "orbit.xml"
    f.write_text(text[start:end])
    (d,) = read_path(f)
    assert d.id == "orbit" and d.pmid == "99000011"


@pytest.mark.parametrize("body, reason", [
    ('<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
     '<PubmedArticleSet><PubmedArticle><MedlineCitation><Article><ArticleTitle>&b;</ArticleTitle>'
     '</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>', "entities"),
    ('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><PubmedArticleSet><PubmedArticle><MedlineCitation>'
     '<Article><ArticleTitle>&x;</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>',
     "entities"),
    ('<!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/evil.dtd"> %p;]><PubmedArticleSet/>', "entities"),
    ('<!-- <a> --><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hostname">]><PubmedArticleSet/>', "entities"),
    ('<PubmedArticleSet><PubmedArticle><MedlineCitation><Article><ArticleTitle>&x;</ArticleTitle>'
     '</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>', "undefined entity"),
    ('<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Art', "truncated XML"),
    ('<PubmedArticleSet><PubmedArticle></MedlineCitation></PubmedArticleSet>', "malformed XML"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><text>x</text></svg>', "not PubMed XML"),
    ('<PubmedArticleSet></PubmedArticleSet>', "without any"),
    ("<PubmedArticleSet>" + "<i>" * 100_000 + "</i>" * 100_000 + "</PubmedArticleSet>", "without any"),
])
def test_unsafe_or_broken_xml_is_refused(tmp_path, body, reason):
    f = tmp_path / "bad.xml"
    f.write_text('<?xml version="1.0"?>\n' + body)
    with pytest.raises(IngestError) as e:
        read_path(f)
    assert reason in e.value.reason and e.value.path == str(f)
    assert "\n" not in str(e.value)


def test_deeply_nested_article_is_a_clean_error_or_read(tmp_path):
    deep = "<b>" * 50_000 + "x" + "</b>" * 50_000
    f = tmp_path / "deep.xml"
    f.write_text(f"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
                 f"<ArticleTitle>{deep}</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>")
    try:
        (d,) = read_path(f)
    except IngestError as exc:
        assert "nested" in exc.reason
    else:
        assert d.title == "x"


# --------------------------------------------------------------------------- plain text
def test_plain_text_normalised():
    raw = ("Background\r\n\r\nDrug\u00a0X\tworked.\u200b  Well.\r\n\r\n"
           "Results: The hazard ratio was 0.5 (95% CI, 0.4\u20130.6). Conclusions: Good.\r\n")
    (d,) = read_text(raw, "t1")
    assert d.format == "text" and d.title is None
    assert d.text == ("BACKGROUND: Drug X worked. Well.\n\nRESULTS: The hazard ratio was 0.5 (95% CI, 0.4\u20130.6)."
                      "\n\nCONCLUSIONS: Good.")
    assert d.section("RESULTS") == "The hazard ratio was 0.5 (95% CI, 0.4\u20130.6)."


def test_plain_text_hard_wrapped_lines_are_joined():
    raw = ("In this randomized trial of drug X versus placebo, the hazard ratio for death\n"
           "was 0.72 (95% CI, 0.62 to 0.83; P<0.001) and median survival was longer.\n"
           "Adverse events were similar.\n\nA second paragraph.\n")
    (d,) = read_text(raw, "wrapped")
    assert d.text == ("In this randomized trial of drug X versus placebo, the hazard ratio for death was 0.72 "
                      "(95% CI, 0.62 to 0.83; P<0.001) and median survival was longer. Adverse events were "
                      "similar.\n\nA second paragraph.")


def test_plain_text_keeps_long_lines_apart_and_composes_accents():
    long1 = "A" * 150 + " first."
    (d,) = read_text(f"{long1}\nSecond line e\u0301.\n", "x")
    assert d.text == f"{long1}\n\nSecond line \u00e9."


@pytest.mark.parametrize("paragraph, labels", [
    ("Patients with cancer: were enrolled.", [None]),
    ("RESULTS: a. CONCLUSIONS AND RELEVANCE: b.", ["RESULTS", "CONCLUSIONS AND RELEVANCE"]),
    ("Purpose: a. Patients and methods: b. Results: c.", ["Purpose", "Patients and methods", "Results"]),
    ("Background: a. the primary endpoint: PFS.", ["Background"]),
    ("HR: 0.5 for death.", [None]),
    ("BACKGROUND Covid-19 is a disease.", ["BACKGROUND"]),
    ("Background levels were high.", [None]),
])
def test_labels(paragraph, labels):
    assert [lab for lab, _ in split_labelled(paragraph)] == labels


# --------------------------------------------------------------------------- detection, encodings, budgets
@pytest.mark.parametrize("text, fmt", [
    ("PMID- 1\nTI  - T.\nAB  - A.\n", "medline"),
    ("TI  - T.\nAB  - A.\n", "medline"),
    ("  <?xml version='1.0'?><PubmedArticleSet/>", "pubmed_xml"),
    ("Title\n\nN Engl J Med. 2012 Feb 9;366(6):520-9. doi: 10.1056/x.\n\nAbstract text.\n", "pubmed_page"),
    ("TI: not medline\nAB: either\n", "text"),
    ("The hazard ratio was 0.5.", "text"),
    ("Vitamin D. 2012 was a good year; doi unknown.", "text"),
])
def test_format_sniffing(text, fmt):
    assert sniff_format(text) == fmt


def test_non_utf8_text_falls_back_with_warning(tmp_path):
    f = tmp_path / "latin.txt"
    f.write_bytes("R\u00e9sum\u00e9: hazard ratio 0.5 f\u00fcr \u00dcberleben \u2013 ok".encode("cp1252"))
    (d,) = read_path(f)
    assert d.text == "R\u00e9sum\u00e9: hazard ratio 0.5 f\u00fcr \u00dcberleben \u2013 ok"
    (warning,) = [v for k, v in d.meta if k == "encoding"]
    assert "not valid UTF-8" in warning and "Windows-1252" in warning


def test_mixed_utf8_and_cp1252_keeps_both(tmp_path):
    f = tmp_path / "mixed.txt"
    f.write_bytes("Age \u2265 65 years, ".encode("utf-8") + "caf\u00e9 \u201cquoted\u201d".encode("cp1252"))
    (d,) = read_path(f)
    assert d.text == "Age \u2265 65 years, caf\u00e9 \u201cquoted\u201d"
    (warning,) = [v for k, v in d.meta if k == "encoding"]
    assert warning.startswith("not valid UTF-8 (3 byte(s), first byte 0xE9")


def test_utf8_bom_and_utf16_are_read(tmp_path):
    f = tmp_path / "bom.txt"
    f.write_bytes("\ufeffHazard ratio 0.5.".encode("utf-8"))
    assert read_path(f)[0].text == "Hazard ratio 0.5."
    g = tmp_path / "utf16.txt"
    g.write_bytes("Hazard ratio 0.5 \u2265 x.".encode("utf-16"))
    assert read_path(g)[0].text == "Hazard ratio 0.5 \u2265 x."
    assert read_path(g)[0].meta == ()


def test_document_over_budget_is_refused():
    with pytest.raises(IngestError, match="limit"):
        read_text("word " * (MAX_DOCUMENT_CHARS // 5 + 10), "big")


def test_documents_pickle(tmp_path):
    docs = read_path(FIX / "structured.xml")
    assert pickle.loads(pickle.dumps(docs)) == docs


@pytest.mark.parametrize("title, trials", [
    ("Palbociclib and letrozole in advanced breast cancer: the PALOMA-2 trial", ("PALOMA-2",)),
    ("Capivasertib in advanced breast cancer (CAPItello-291)", ("CAPItello-291",)),
    ("Pictilisib in metastatic breast cancer (FERGI): a randomised trial", ("FERGI",)),
    ("MONARCH 3: abemaciclib as initial therapy", ("MONARCH 3",)),
    ("Overall survival with palbociclib (PALOMA-1/TRIO-18)", ("PALOMA-1", "TRIO-18")),
    ("A phase 3 trial in HER-2 positive and COVID-19 patients with NSCLC (NSCLC)", ()),
    ("Type 2 diabetes in the PACIFIC trial", ("PACIFIC",)),
])
def test_trials_from_title(title, trials):
    assert find_trials(title) == trials


def test_book_article_and_medline_mixed_case_labels(tmp_path):
    f = tmp_path / "book.xml"
    f.write_text("<PubmedArticleSet><PubmedBookArticle><BookDocument><PMID>77</PMID>"
                 "<Book><BookTitle>Invented handbook</BookTitle><PubDate><Year>2015</Year></PubDate></Book>"
                 "<ArticleTitle>Chapter on survival.</ArticleTitle><Abstract><AbstractText>Median survival was "
                 "9 months.</AbstractText></Abstract></BookDocument></PubmedBookArticle></PubmedArticleSet>")
    (d,) = read_path(f)
    assert d.id == "book" and d.pmid == "77"
    assert d.text == "Chapter on survival\n\nMedian survival was 9 months."
    (m,) = read_text("PMID- 8\nTI  - T.\nAB  - Background: one. Patients and methods: two.\n"
                     "      Results: three.\n", "m")
    assert m.text == "T\n\nBACKGROUND: one.\n\nPATIENTS AND METHODS: two.\n\nRESULTS: three."


def test_page_with_label_lines_alone(tmp_path):
    page = ("Ann Oncol. 2020 Jan;31(1):1-9. doi: 10.9999/x.1.\n\nA title.\n\nAuthor A 1\n\nAbstract\n\n"
            "Background:\nSomething was unknown.\n\nResults\nThe hazard ratio was 0.5.\n\n"
            "Trial registration: NCT09999999.\n\nPublication types\n\n  \u2022 Journal Article\n")
    (d,) = read_text(page, "p")
    assert d.format == "pubmed_page" and d.title == "A title" and d.year == 2020 and d.doi == "10.9999/x.1"
    assert d.text == ("A title\n\nBACKGROUND: Something was unknown.\n\nRESULTS: The hazard ratio was 0.5.\n\n"
                      "TRIAL REGISTRATION: NCT09999999.")
    assert d.section("TRIAL REGISTRATION") == "NCT09999999."
    assert d.publication_types == ()


def test_xml_in_declared_latin1_and_page_with_bare_citation(tmp_path):
    f = tmp_path / "latin.xml"
    f.write_bytes('<?xml version="1.0" encoding="ISO-8859-1"?><PubmedArticleSet><PubmedArticle><MedlineCitation>'
                  '<PMID>5</PMID><Article><ArticleTitle>Caf\u00e9 study.</ArticleTitle></Article></MedlineCitation>'
                  '</PubmedArticle></PubmedArticleSet>'.encode("latin-1"))
    (d,) = read_path(f)
    assert d.title == "Caf\u00e9 study" and d.meta == ()
    (p,) = read_text("A title\n\nLancet. 2019 Mar 2;393(10174):879-88.\n\nThe abstract.\n", "p")
    assert p.format == "pubmed_page" and p.journal == "Lancet" and p.year == 2019
    assert p.text == "A title\n\nThe abstract."


def test_medline_citation_set_is_read(tmp_path):
    f = tmp_path / "mcs.xml"
    f.write_text("<MedlineCitationSet>" + "".join(
        f"<MedlineCitation><PMID>{i}</PMID><Article><ArticleTitle>T{i}.</ArticleTitle></Article>"
        f"<MedlineJournalInfo><MedlineTA>J Test</MedlineTA></MedlineJournalInfo></MedlineCitation>"
        for i in (1, 2)) + "</MedlineCitationSet>")
    docs = read_path(f)
    assert [(d.id, d.text, d.journal) for d in docs] == [("1", "T1", "J Test"), ("2", "T2", "J Test")]


def test_page_copied_from_browser_with_chrome_and_no_blank_lines():
    (page,) = read_path(FIX / "browser_copy.txt")
    medline = read_path(FIX / "two_records.nbib")[0]
    assert page.format == "pubmed_page"
    assert page.text == medline.text
    for field in ("title", "journal", "year", "doi", "pmid", "trials", "publication_types", "mesh_terms"):
        assert getattr(page, field) == getattr(medline, field), field
    assert [v for k, v in page.meta if k == "substance"] == ["Antibodies, Monoclonal", "Receptor, ErbB-2"]


@pytest.mark.parametrize("title, trials", [
    ("PrE0102: fulvestrant with everolimus or placebo", ("PrE0102",)),
    ("PD-1: a review of inhibitors", ()),
    ("Everolimus: a review", ()),
    ("The SOFT trial: ovarian suppression", ("SOFT",)),
])
def test_trials_from_title_lead(title, trials):
    assert find_trials(title) == trials


def test_page_seed_layout_with_abstract_heading():
    (d,) = read_text("A title\n\nJ Clin Oncol. 2018 Jan 1;36(1):1-9.\n\nAbstract\n\nThe abstract.\n\n"
                     "PMID: 12345\n", "p")
    assert (d.title, d.text, d.pmid, d.year) == ("A title", "A title\n\nThe abstract.", "12345", 2018)


def test_pubmed_abstract_text_export_with_two_records():
    pages = read_path(FIX / "abstract_text_export.txt")
    records = read_path(FIX / "two_records.nbib")
    assert [p.id for p in pages] == ["99000001", "99000002"]
    assert [p.source.rsplit("#", 1)[1] for p in pages] == ["1", "2"]
    for page, rec in zip(pages, records):
        assert page.format == "pubmed_page"
        assert page.text == rec.text and page.sections == rec.sections
        assert (page.title, page.journal, page.year, page.pmid) == (rec.title, rec.journal, rec.year, rec.pmid)
    assert pages[0].doi == "10.9999/zephyr.2019.001"


def test_plain_text_title_rule():
    (d,) = read_text("The PACIFIC trial of durvalumab\n\nThe hazard ratio was 0.5.\n", "t")
    assert d.title == "The PACIFIC trial of durvalumab" and d.trials == ("PACIFIC",)
    assert [(s.name, d.text[s.start:s.end]) for s in d.sections] == [
        ("TITLE", "The PACIFIC trial of durvalumab"), ("ABSTRACT", "The hazard ratio was 0.5.")]
    (long,) = read_text("A paper title\n\n" + "Full text sentence. " * 800, "long")
    assert long.title == "A paper title" and [s.name for s in long.sections] == ["TITLE"]
    for text in ("One sentence only, no title", "A first sentence.\n\nA second one.", "Abstract\n\nText here."):
        assert read_text(text, "x")[0].title is None, text
