"""The command line: extract on the seed, batches with hostile files, exit statuses."""
import json

import pytest

from metabolero.cli import main


@pytest.fixture
def seed(shared):
    return shared / "seeds" / "bolero2_pubmed.txt"


def _read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_extract_seed_completely(seed, tmp_path):
    out = tmp_path / "seed.jsonl"
    assert main(["extract", str(seed), "--jsonl", str(out), "--quiet"]) == 0
    (rec,) = _read_jsonl(out)
    assert rec["id"] == "bolero2_pubmed"
    doc = rec["document"]
    assert doc["journal"] == "Future Oncol" and doc["year"] == 2012 and doc["doi"] == "10.2217/fon.12.49"
    assert set(doc["publication_types"]) == {"Clinical Trial, Phase III", "Randomized Controlled Trial"}
    assert len(doc["mesh_terms"]) == 22 and "Postmenopause" in doc["mesh_terms"]
    study = rec["study"]
    assert study["trials"] == ["BOLERO-2"] and study["phase"] == "III" and study["randomized"] is True
    roles = {a["role"]: a["name"].lower() for a in study["arms"]}
    assert roles == {"experimental": "everolimus plus exemestane", "control": "placebo plus exemestane"}
    ratios = sorted((r["measure"], r["endpoint"], r["value"], r["ci_low"], r["ci_high"], r["p"], r["qualifier"])
                    for r in rec["ratios"])
    assert ratios == [("HR", "PFS", 0.36, None, None, "<0.001", "central review"),
                      ("HR", "PFS", 0.43, None, None, "<0.001", "investigator assessed")]
    medians = sorted((m["endpoint"], m["value"], m["unit"], m["arm_role"], m["qualifier"]) for m in rec["medians"])
    assert medians == [
        ("PFS", 2.8, "months", "control", "investigator assessed"),
        ("PFS", 4.1, "months", "control", "central review"),
        ("PFS", 6.9, "months", "experimental", "investigator assessed"),
        ("PFS", 10.6, "months", "experimental", "central review"),
    ]
    text = (seed.read_text(encoding="utf-8"))
    for r in rec["ratios"] + rec["medians"]:
        assert r["quote"] and " ".join(r["quote"].split()) in " ".join(text.split())


def _hostile_batch(d, good_text):
    (d / "good.txt").write_text(good_text, encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "garbage.bin").write_bytes(bytes(range(256)) * 64)
    (d / "laughs.xml").write_text(
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
        + ']><PubmedArticleSet><PubmedArticle><MedlineCitation><Article><ArticleTitle>&lol9;</ArticleTitle>'
          '</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>', encoding="utf-8")
    (d / "xxe.xml").write_text(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<PubmedArticleSet><PubmedArticle><MedlineCitation><Article><ArticleTitle>&x;</ArticleTitle>'
        '</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>', encoding="utf-8")
    (d / "truncated.xml").write_text('<?xml version="1.0"?><PubmedArticleSet><PubmedArticle><MedlineCit',
                                     encoding="utf-8")
    (d / "long.txt").write_text(("HR (" * 50000 + "9" * 200000 + "[(" * 100000)[:1_000_000], encoding="utf-8")
    (d / "latin1.txt").write_bytes("Résumé: hazard ratio 0,5 für Überleben".encode("latin-1"))


def test_hostile_batch_finishes_and_good_file_comes_out(tmp_path, capsys):
    batch = tmp_path / "batch"
    batch.mkdir()
    _hostile_batch(batch, "In this randomized trial the hazard ratio for death was 0.72 "
                          "(95% CI, 0.62 to 0.83; P<0.001).")
    out = tmp_path / "out.jsonl"
    status = main(["extract", str(batch), "--jsonl", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert status == 1                                   # some files failed
    assert "Traceback" not in err
    for name in ("empty.txt", "garbage.bin", "laughs.xml", "xxe.xml", "truncated.xml"):
        assert name in err, name
    recs = {r["id"]: r for r in _read_jsonl(out)}
    assert recs["good"]["ratios"][0]["value"] == 0.72
    assert "root:" not in out.read_text()                # no external entity was resolved


def test_top_level_extract_is_the_function_every_time():
    import metabolero
    import metabolero.extract.ratios  # noqa: F401  (importing a submodule must not rebind the name)

    for _ in range(2):
        ext = metabolero.extract("The hazard ratio for death was 0.72 (95% CI, 0.62 to 0.83; P<0.001).")
        assert [(r.value, r.ci_low, r.ci_high, r.p) for r in ext.ratios] == [(0.72, 0.62, 0.83, "<0.001")]


@pytest.mark.parametrize("argv_for", [
    lambda d: ["extract", str(d / "good.txt"), "--jsonl", str(d)],            # output path is a folder
    lambda d: ["review", str(d), "--out", str(d / "good.txt")],                # output folder is a file
    lambda d: ["pool", str(d / "bad.csv")],                                    # a non-numeric yi
], ids=["jsonl-is-folder", "out-is-file", "pool-not-a-number"])
def test_bad_paths_and_values_give_one_line_errors(tmp_path, capsys, argv_for):
    (tmp_path / "good.txt").write_text("The hazard ratio was 0.5 (95% CI 0.4-0.6).", encoding="utf-8")
    (tmp_path / "bad.csv").write_text("study,yi,sei\na,-0.2,0.1\nb,abc,0.2\n", encoding="utf-8")
    status = main(argv_for(tmp_path))
    err = capsys.readouterr().err
    assert status == 2 and "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("metabolero: error:")]
    assert len(errors) == 1 and err.strip().endswith(errors[0])
