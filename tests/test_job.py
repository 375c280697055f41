"""The main job on corpus/: report written, pooled estimates present, every value traceable."""
import json
import math

import pandas as pd
import pytest

from metabolero.cli import main
from metabolero.ingest import read_path


@pytest.fixture(scope="module")
def job(root, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    status = main(["review", str(root / "corpus"), "--out", str(out), "--quiet"])
    return status, out


def test_job_succeeds_and_writes_reports(job):
    status, out = job
    assert status == 0
    for name in ("report.html", "evidence.csv", "evidence.jsonl", "extractions.jsonl", "pooled.json"):
        assert (out / name).stat().st_size > 0, name
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<svg" in html and "Evidence table" in html
    assert "src=\"http" not in html and "href=\"http" not in html   # self-contained


@pytest.mark.parametrize("group", ["CDK4/6 inhibitor", "mTOR/PI3K/AKT inhibitor"])
def test_pooled_investigator_pfs_per_drug_class(job, group):
    _, out = job
    pooled = json.loads((out / "pooled.json").read_text())
    match = [a for a in pooled if a["group"] == group and a["endpoint"] == "PFS" and a["assessment"] == "investigator"]
    assert len(match) == 1
    a = match[0]
    assert a["k"] >= 2 and a["pooled"] is not None
    hr = math.exp(a["pooled"]["estimate"])
    lo, hi = math.exp(a["pooled"]["ci_low"]), math.exp(a["pooled"]["ci_high"])
    assert lo < hr < hi
    # every pooled study's HR lies within the range reported by the trials
    values = [s["value"] for s in a["studies"]]
    assert min(values) <= hr <= max(values)
    # a trial enters a pool once
    trials = [s["trial"] for s in a["studies"]]
    assert len(trials) == len(set(trials))
    for s in a["studies"]:
        assert math.isclose(s["yi"], math.log(s["value"]), abs_tol=1e-12)
        assert s["sei"] > 0


def test_trials_reported_twice_are_set_aside_with_reason(job):
    _, out = job
    pooled = json.loads((out / "pooled.json").read_text())
    reasons = [d["reason"] for a in pooled for d in a["set_aside"]]
    assert any("latest analysis used" in r for r in reasons)


def test_every_table_value_is_traceable_to_its_quote(job):
    _, out = job
    table = pd.read_csv(out / "evidence.csv")
    assert len(table) > 20
    texts = {}
    for source in table["source"].unique():
        path = source.split("#", 1)[0]
        for doc in read_path(path):
            texts[doc.id] = doc.text
    for rec in table.to_dict(orient="records"):
        text = texts[str(rec["doc_id"])]
        start, end = int(rec["span_start"]), int(rec["span_end"])
        assert text[start:end] == rec["quote"]
        if rec["record"] == "ratio" or not rec["not_reached"]:
            # the value as printed occurs in its quote
            v = rec["value"]
            assert any(s in rec["quote"] for s in {f"{v:g}", f"{v}", f"{v:.2f}".lstrip("0"), f"{v:g}".lstrip("0")}), rec
