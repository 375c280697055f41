"""A batch of hostile files: every bad file gives one IngestFailure, the good files still come out."""
import random
import zipfile

import pytest

from metabolero.errors import IngestError
from metabolero.ingest import IngestFailure, is_corpus_file, iter_documents, read_path

GOOD = "In this randomized trial the hazard ratio for death was 0.72 (95% CI, 0.62 to 0.83; P<0.001)."
GOOD_NBIB = "PMID- 123\nTI  - A good record.\nAB  - The odds ratio was 1.5 (95% CI, 1.1\n      to 2.0).\n"


def _laughs():
    ents = "".join(f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    return ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">' + ents + ']><PubmedArticleSet>'
            '<PubmedArticle><MedlineCitation><Article><ArticleTitle>&lol9;</ArticleTitle></Article>'
            '</MedlineCitation></PubmedArticle></PubmedArticleSet>')


def _hostile(d):
    """Write the hostile batch into folder ``d``; return {file name: words expected in its reason}."""
    rnd = random.Random(7)
    (d / "a_good.txt").write_text(GOOD, encoding="utf-8")
    (d / "b_empty.txt").write_bytes(b"")
    (d / "c_blank.txt").write_text(" \n\t\n")
    (d / "d_garbage.bin").write_bytes(bytes(rnd.randrange(256) for _ in range(20_000)))
    (d / "e_garbage_no_nul.dat").write_bytes(bytes(rnd.randrange(1, 256) for _ in range(20_000)))
    (d / "e_high_bytes.dat").write_bytes(bytes(rnd.randrange(128, 256) for _ in range(20_000)))
    (d / "f_laughs.xml").write_text(_laughs())
    (d / "g_xxe.xml").write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                                 '<PubmedArticleSet><PubmedArticle><MedlineCitation><Article><ArticleTitle>&x;'
                                 '</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>')
    (d / "h_truncated.xml").write_text('<?xml version="1.0"?><PubmedArticleSet><PubmedArticle><MedlineCit')
    # 1 MB on one line, built to make careless regular expressions backtrack
    (d / "i_long_line.txt").write_text(("HR (" * 50_000 + "9" * 200_000 + "[(" * 100_000 + "a: " * 300_000)[:1_000_000])
    (d / "j_latin1.txt").write_bytes("R\u00e9sum\u00e9: hazard ratio 0,5 f\u00fcr \u00dcberleben".encode("latin-1"))
    with zipfile.ZipFile(d / "k_archive.docx", "w") as z:
        z.writestr("word/document.xml", "<w/>")
    (d / "l_page.html").write_text("<!DOCTYPE html><html><body>HR 0.5</body></html>")
    (d / "m_fake.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")          # truncated PDF
    (d / "n_good.nbib").write_text(GOOD_NBIB)
    (d / "o_not_pubmed.xml").write_text("<?xml version='1.0'?><rss><channel/></rss>")
    (d / "p_medline_broken.nbib").write_text("PMID- 5\nTI  - Title.\n<<garbage line>>\n")
    (d / "q_data.txt").write_text('{"id": 1, "hr": 0.5}')
    (d / "r_digits.txt").write_text("0123 4567 89 -- 0.5 ; 1.2\n" * 10)
    return {
        "b_empty.txt": "empty", "c_blank.txt": "empty", "d_garbage.bin": "binary",
        "e_garbage_no_nul.dat": "binary", "e_high_bytes.dat": "binary", "f_laughs.xml": "entities", "g_xxe.xml": "entities",
        "h_truncated.xml": "truncated", "i_long_line.txt": "limit", "k_archive.docx": "ZIP",
        "l_page.html": "HTML", "m_fake.pdf": "", "o_not_pubmed.xml": "not PubMed",
        "p_medline_broken.nbib": "line 3", "q_data.txt": "JSON", "r_digits.txt": "no words",
    }


def test_hostile_batch(tmp_path):
    expected = _hostile(tmp_path)
    items = list(iter_documents([tmp_path]))
    failures = {f.path.rsplit("/", 1)[-1]: f for f in items if isinstance(f, IngestFailure)}
    docs = [d for d in items if not isinstance(d, IngestFailure)]
    assert set(failures) == set(expected)
    for name, words in expected.items():
        reason = failures[name].reason
        assert words in reason, (name, reason)
        assert "\n" not in reason and "Traceback" not in reason, name
        assert str(failures[name]).startswith(str(tmp_path / name))     # names the file
    assert [d.id for d in docs] == ["a_good", "j_latin1", "n_good"]     # sorted order, good files out
    assert docs[0].text == GOOD
    assert docs[1].text == "R\u00e9sum\u00e9: hazard ratio 0,5 f\u00fcr \u00dcberleben"
    assert docs[2].text == "A good record\n\nThe odds ratio was 1.5 (95% CI, 1.1 to 2.0)."
    assert not any("root:" in d.text for d in docs)


def test_explicit_missing_file_and_folder_listing(tmp_path):
    (tmp_path / "x.txt").write_text(GOOD)
    items = list(iter_documents([tmp_path / "nope.txt", tmp_path / "x.txt"]))
    assert isinstance(items[0], IngestFailure) and "no such file" in items[0].reason
    assert items[1].id == "x"
    with pytest.raises(IngestError, match="no such file"):
        read_path(tmp_path / "nope.txt")


def test_folder_rule_skips_hidden_and_config_files(tmp_path):
    for name in (".hidden.txt", "_draft.txt", "README.md", "README", "review.toml", "SOURCES.csv",
                 "notes.json", "backup.txt~", "doc.txt", "record.nbib"):
        (tmp_path / name).write_text(GOOD if name != "record.nbib" else GOOD_NBIB)
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "deeper.txt").write_text(GOOD)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "inside.txt").write_text(GOOD)
    ids = [d.id for d in iter_documents([tmp_path])]
    assert ids == ["doc", "record", "deeper"]
    assert [d.id for d in iter_documents([tmp_path], recursive=False)] == ["doc", "record"]
    # files named explicitly are always read, whatever their name
    assert [d.id for d in iter_documents([tmp_path / "SOURCES.csv"])] == ["SOURCES"]
    assert not is_corpus_file("review.toml") and is_corpus_file("paper.pdf") and is_corpus_file("a.xml")


def test_pdf_dispatch_failure_stays_with_its_file(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4\n%broken")
    (tmp_path / "b.txt").write_text(GOOD)
    items = list(iter_documents([tmp_path]))
    assert isinstance(items[0], IngestFailure) and items[0].path.endswith("a.pdf")
    assert "\n" not in items[0].reason
    assert items[1].id == "b"


def test_hostile_batch_through_the_command(tmp_path, capsys):
    import json

    from metabolero.cli import main

    batch = tmp_path / "batch"
    batch.mkdir()
    expected = _hostile(batch)
    out = tmp_path / "out.jsonl"
    status = main(["extract", str(batch), "--jsonl", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert status == 1
    assert "Traceback" not in err
    for name in expected:
        assert str(batch / name) in err, name
    ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert ids == ["a_good", "j_latin1", "n_good"]


def test_pdf_support_missing_fails_only_that_file(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "metabolero.ingest.pdf", None)     # import now raises ImportError
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4\n")
    (tmp_path / "b.txt").write_text(GOOD)
    items = list(iter_documents([tmp_path]))
    assert isinstance(items[0], IngestFailure) and items[0].reason.startswith("PDF support unavailable")
    assert items[1].id == "b"
    with pytest.raises(IngestError, match="is a folder"):
        read_path(tmp_path)
