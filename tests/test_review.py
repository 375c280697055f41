"""Living review: store, schema migration, update (dedup, trial grouping, latest analysis),
verification, re-extraction conflicts, atomicity under SIGKILL and concurrent updates.

Documents and extractions are built here directly (records.py), so these tests pin the
store's behaviour independently of the extractor. Every store test runs on SQLite and, when
METABOLERO_TEST_PG_URL names a server (.ci/postgres.sh starts one), on PostgreSQL.
"""
from __future__ import annotations

import csv
import json
import math
import os
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from metabolero.errors import RecordError, StoreError
from metabolero.records import Document, Extraction, Flag, Ratio, Span, Study
from metabolero.review import (
    SCHEMA_VERSION, Store, export_csv, import_csv, init_review, open_review, open_store, review_status,
    update_documents,
)
from metabolero.review import store as st
from metabolero.review.store import normalise_url

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("METABOLERO_TEST_PG_URL")
Z975 = 1.959963984540054           # qnorm(0.975)

CONFIG = """\
[review]
title = "test review"
[pooling]
method = "EE"
hksj = false
measure = "HR"
[groups]
"CDK4/6" = ["palbociclib", "ribociclib", "abemaciclib"]
"mTOR" = ["everolimus"]
[[analysis]]
name = "CDK4/6 PFS"
group = "CDK4/6"
endpoint = "PFS"
[[analysis]]
name = "mTOR PFS"
group = "mTOR"
endpoint = "PFS"
"""


# --------------------------------------------------------------------------- builders
def make_doc(doc_id, text, *, pmid=None, doi=None, trials=(), title=None, year=None):
    return Document(id=doc_id, text=text, source=f"{doc_id}.txt", format="text", title=title, year=year,
                    pmid=pmid, doi=doi, trials=tuple(trials))


def make_ext(doc, ratios=(), medians=(), version="x1", study_trials=(), ncts=(), arms=()):
    return Extraction(id=doc.id, ratios=tuple(ratios), medians=tuple(medians),
                      study=Study(trials=tuple(study_trials), nct_ids=tuple(ncts), arms=tuple(arms)),
                      document={"title": doc.title, "year": doc.year, "trials": list(doc.trials)},
                      extractor_version=version)


def hr(doc, quote, value, lo, hi, arm, endpoint="PFS", qualifier=None, flags=()):
    start = doc.text.index(quote)
    return Ratio("HR", endpoint, value, lo, hi, experimental_arm=arm, control_arm="placebo",
                 qualifier=qualifier, span=Span(doc.id, start, start + len(quote), quote), flags=tuple(flags))


def corpus(version="x1", bolero_final=0.45, m3_value=0.54):
    """Return (documents, {doc id: Extraction}): two BOLERO-2 reports, three CDK4/6 trials, duplicates."""
    docs, exts = [], {}

    def add(doc, *ratios, **kw):
        docs.append(doc)
        exts[doc.id] = make_ext(doc, ratios, version=version, **kw)

    t = ("In this interim analysis, everolimus plus exemestane prolonged progression-free survival "
         "(HR 0.43; 95% CI 0.35-0.54) compared with placebo plus exemestane.")
    d = make_doc("b2-2012", t, pmid="22149876", doi="10.1056/NEJMoa1109653", trials=("BOLERO-2", "NCT00863655"),
                 title="Everolimus in postmenopausal advanced breast cancer: interim analysis", year=2012)
    add(d, hr(d, "HR 0.43; 95% CI 0.35-0.54", 0.43, 0.35, 0.54, "everolimus plus exemestane"))
    t = (f"At the final analysis, median progression-free survival favoured everolimus plus exemestane "
         f"(HR {bolero_final}; 95% CI 0.38-0.54).")
    d = make_doc("b2-2013", t, pmid="24158787", trials=("NCT00863655",),
                 title="Everolimus plus exemestane: final progression-free survival analysis", year=2013)
    add(d, hr(d, f"HR {bolero_final}; 95% CI 0.38-0.54", bolero_final, 0.38, 0.54, "everolimus plus exemestane"))
    t = "Ribociclib plus letrozole reduced the risk of progression (HR 0.56; 95% CI 0.43-0.72)."
    d = make_doc("ml2-2016", t, pmid="27717303", trials=("MONALEESA-2",), title="Ribociclib first line", year=2016)
    add(d, hr(d, "HR 0.56; 95% CI 0.43-0.72", 0.56, 0.43, 0.72, "ribociclib plus letrozole"))
    t = "Palbociclib plus letrozole: progression-free survival HR 0.58 (95% CI 0.46-0.72); OS immature (HR 0.9)."
    d = make_doc("p2-2016", t, pmid="27959613", trials=("PALOMA-2",), title="Palbociclib first line", year=2016)
    add(d, hr(d, "HR 0.58 (95% CI 0.46-0.72)", 0.58, 0.46, 0.72, "palbociclib plus letrozole"),
        hr(d, "HR 0.9", 0.9, None, None, "palbociclib plus letrozole", endpoint="OS"))
    t = "Abemaciclib with a nonsteroidal aromatase inhibitor: PFS HR 0.54 (95% CI 0.41-0.72), P = .000021."
    d = make_doc("m3-2017", t, doi="10.1200/JCO.2017.75.6155", trials=("MONARCH 3",), title="MONARCH 3", year=2017)
    add(d, hr(d, "HR 0.54 (95% CI 0.41-0.72)", m3_value, 0.41, 0.72, "abemaciclib plus NSAI",
              flags=[Flag("p_mismatch", "p-value not implied by the CI", 0.0000031)]),
        study_trials=("MONARCH-3",))
    # The 2012 report again, as another source format of the same PMID (different text).
    t = "EVEROLIMUS PLUS EXEMESTANE (INTERIM): HR 0.43, 95% CI 0.35 to 0.54."
    d = make_doc("b2-2012-medline", t, pmid="22149876", trials=("BOLERO-2",), year=2012)
    add(d, hr(d, "HR 0.43, 95% CI 0.35 to 0.54", 0.43, 0.35, 0.54, "everolimus plus exemestane"))
    # MONARCH 3 again by DOI (a URL form of it), and the 2013 report's text as a second file.
    t = "MONARCH 3 abstract, conference version: HR 0.54."
    d = make_doc("m3-conf", t, doi="https://doi.org/10.1200/jco.2017.75.6155", trials=("MONARCH 3",), year=2017)
    add(d, hr(d, "HR 0.54", 0.54, None, None, "abemaciclib"))
    d = Document(id="b2-2013-copy", text=docs[1].text + "\n", source="copy/b2-2013.txt", format="text")
    docs.append(d)
    exts[d.id] = exts["b2-2013"]
    return docs, exts


def extractor(exts):
    return lambda d: exts[d.id]


def dump(url) -> dict:
    """Return every table's rows (sorted), to compare whole stores."""
    eng = sa.create_engine(normalise_url(url))
    try:
        with eng.connect() as c:
            return {t.name: sorted((tuple(map(str, r)) for r in c.execute(sa.select(t))), key=str)
                    for t in st.metadata.sorted_tables if t.name != "schema_info"}
    finally:
        eng.dispose()


def se_from_ci(lo, hi):
    return (math.log(hi) - math.log(lo)) / (2 * Z975)


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    """A database URL for one test: None (the review's SQLite file) or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield None
        return
    if not PG_URL:
        pytest.skip("METABOLERO_TEST_PG_URL is not set, so there is no PostgreSQL server to test against "
                    "(eval \"$(bash .ci/postgres.sh)\" starts one)")
    admin = sa.create_engine(normalise_url(PG_URL), isolation_level="AUTOCOMMIT")
    name = f"mb_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as c:
        c.execute(sa.text(f"CREATE DATABASE {name}"))
    url = sa.engine.make_url(normalise_url(PG_URL)).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as c:
            c.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


@pytest.fixture
def review(tmp_path, db):
    rdir = tmp_path / "review"
    rdir.mkdir()
    (rdir / "review.toml").write_text(CONFIG, encoding="utf-8")
    rv = init_review(rdir, db=db)
    yield rv
    rv.close()


def store_url(review) -> str:
    return review.store.url


# --------------------------------------------------------------------------- schema
def test_init_writes_template_and_store_and_never_resets(tmp_path):
    rv = init_review(tmp_path / "r")
    assert (tmp_path / "r" / "review.toml").is_file() and (tmp_path / "r" / "store.sqlite").is_file()
    assert rv.store.schema_version() == SCHEMA_VERSION
    assert [a.endpoint for a in rv.config.analyses] == ["PFS", "PFS", "PFS"]
    docs, exts = corpus()
    update_documents(rv.store, rv.config, docs[:1], extract=extractor(exts), extractor_version="x1")
    rv.close()
    again = init_review(tmp_path / "r")
    assert review_status(again.store).documents == 1
    again.close()


def test_open_without_init_says_so(tmp_path):
    with pytest.raises(Exception, match="metabolero init"):
        open_review(tmp_path / "nothing")


def test_older_schema_is_upgraded_with_its_data(tmp_path, db):
    url = db or f"sqlite:///{tmp_path / 'old.sqlite'}"
    old = Store(url)
    assert old.migrate(target=1) == [1]
    with old.write() as c:
        run = c.execute(st.runs.insert().values(started_at="2025-01-01T00:00:00+00:00", n_new=1, n_duplicates=0,
                                                n_reextracted=0, n_failed=0)).inserted_primary_key[0]
        trial = c.execute(st.trials.insert().values(name="BOLERO-2", run_id=run)).inserted_primary_key[0]
        doc = c.execute(st.documents.insert().values(
            doc_key="b2", content_hash="0" * 64, trial_id=trial, run_id=run, extraction_run_id=run,
        )).inserted_primary_key[0]
        c.execute(st.records.insert().values(document_id=doc, run_id=run, kind="ratio", rkey="k", value=0.45,
                                             payload="{}", status="verified", needs_review=False, active=True))
    assert "conflicts" not in sa.inspect(old.engine).get_table_names()
    old.close()
    new = open_store(url)
    assert new.schema_version() == SCHEMA_VERSION and new.upgraded_from == 1
    with new.read() as c:
        assert c.execute(sa.select(st.records.c.value, st.records.c.status)).all() == [(0.45, "verified")]
        assert c.execute(sa.select(sa.func.count()).select_from(st.conflicts)).scalar() == 0
        assert [r.version for r in c.execute(sa.select(st.schema_info.c.version).order_by(st.schema_info.c.id))] == [1, 2]
    new.close()


def test_newer_or_foreign_database_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    s = open_store(url)
    with s.write() as c:
        c.execute(st.schema_info.insert().values(version=SCHEMA_VERSION + 5, changed_at="x"))
    s.close()
    with pytest.raises(StoreError, match="newer metabolero"):
        open_store(url)
    foreign = tmp_path / "foreign.sqlite"
    eng = sa.create_engine(f"sqlite:///{foreign}")
    with eng.begin() as c:
        c.execute(sa.text("CREATE TABLE documents (x INTEGER)"))
        c.execute(sa.text("INSERT INTO documents VALUES (7)"))
    eng.dispose()
    with pytest.raises(StoreError, match="not a metabolero store"):
        open_store(f"sqlite:///{foreign}")
    eng = sa.create_engine(f"sqlite:///{foreign}")
    with eng.connect() as c:
        assert c.execute(sa.text("SELECT x FROM documents")).scalar() == 7      # untouched


# --------------------------------------------------------------------------- update
def test_update_dedups_groups_trials_and_flags(review):
    docs, exts = corpus()
    rep = update_documents(review.store, review.config, docs, extract=extractor(exts), extractor_version="x1")
    assert rep.changed
    assert sorted(d["doc_key"] for d in rep.new_documents) == ["b2-2012", "b2-2013", "m3-2017", "ml2-2016", "p2-2016"]
    reasons = {d["source"]: d["reason"] for d in rep.duplicates}
    assert reasons == {
        "b2-2012-medline.txt": "same PMID 22149876 as b2-2012",
        "m3-conf.txt": "same DOI 10.1200/jco.2017.75.6155 as m3-2017",
        "copy/b2-2013.txt": "same text as another document of this update",
    }
    # BOLERO-2 by acronym + NCT, its final report by the NCT number alone: one trial.
    assert sorted(rep.new_trials) == ["BOLERO-2", "MONALEESA-2", "MONARCH-3", "PALOMA-2"]
    by_doc = {d["doc_key"]: d["trial"] for d in rep.new_documents}
    assert by_doc["b2-2013"] == "BOLERO-2"
    s = review_status(review.store)
    assert (s.documents, s.trials, s.records) == (5, 4, 6)
    # Needing review: MONARCH 3 (p_mismatch flag) and PALOMA-2's OS ratio (no CI).
    assert s.unverified == 2 == rep.n_needs_review
    with review.store.read() as c:
        flagged = dict(c.execute(sa.select(st.records.c.quote, st.records.c.review_reasons)
                                 .where(st.records.c.needs_review.is_(True))).all())
    assert flagged == {"HR 0.54 (95% CI 0.41-0.72)": "p_mismatch: p-value not implied by the CI",
                       "HR 0.9": "no confidence interval"}


def test_rerun_with_same_documents_changes_nothing_and_says_so(review):
    docs, exts = corpus()
    update_documents(review.store, review.config, docs, extract=extractor(exts), extractor_version="x1")
    before = dump(store_url(review))
    calls = []
    rep = update_documents(review.store, review.config, docs,
                           extract=lambda d: calls.append(d.id) or exts[d.id], extractor_version="x1")
    assert not rep.changed and calls == []               # nothing re-extracted either
    assert rep.unchanged == len(docs)                    # copies included: known by hash
    assert "Nothing new" in rep.to_markdown()
    assert dump(store_url(review)) == before


def test_later_update_adds_only_new_and_reports_new_trial(review):
    docs, exts = corpus()
    first = [d for d in docs if not d.id.startswith("m3")]
    update_documents(review.store, review.config, first, extract=extractor(exts), extractor_version="x1")
    rep = update_documents(review.store, review.config, docs, extract=extractor(exts), extractor_version="x1")
    assert [d["doc_key"] for d in rep.new_documents] == ["m3-2017"]
    assert rep.new_trials == ["MONARCH-3"]
    assert rep.duplicates == [{"source": "m3-conf.txt", "reason": "same DOI 10.1200/jco.2017.75.6155 as m3-2017"}]
    assert rep.unchanged == 6
    assert review_status(review.store).trials == 4


def test_failed_extraction_is_reported_and_retried_later(review):
    from metabolero.errors import ExtractionError

    docs, exts = corpus()

    def flaky(d):
        if d.id == "ml2-2016":
            raise ExtractionError("ml2-2016.txt: tokenizer gave up")
        return exts[d.id]

    rep = update_documents(review.store, review.config, docs, extract=flaky, extractor_version="x1")
    assert rep.failures == [{"source": "ml2-2016.txt", "reason": "extraction failed: ml2-2016.txt: tokenizer gave up"}]
    rep = update_documents(review.store, review.config, docs, extract=extractor(exts), extractor_version="x1")
    assert [d["doc_key"] for d in rep.new_documents] == ["ml2-2016"]


# --------------------------------------------------------------------------- pooling
def fixed_effect(cis):
    """Inverse-variance fixed-effect pool of (hr, lo, hi) by hand: (HR, CI low, CI high)."""
    y = [math.log(v) for v, _, _ in cis]
    w = [1 / se_from_ci(lo, hi) ** 2 for _, lo, hi in cis]
    mu = sum(wi * yi for wi, yi in zip(w, y)) / sum(w)
    se = 1 / math.sqrt(sum(w))
    return math.exp(mu), math.exp(mu - Z975 * se), math.exp(mu + Z975 * se)


def latest(review) -> dict:
    from metabolero.review.snapshots import latest_snapshots

    with review.store.read() as c:
        return latest_snapshots(c)


def test_snapshot_pools_latest_analysis_per_trial_and_records_why(review):
    docs, exts = corpus()
    rep = update_documents(review.store, review.config, docs, extract=extractor(exts), extractor_version="x1")
    snaps = latest(review)
    cdk = snaps["CDK4/6 PFS"]
    assert cdk["k"] == 3
    assert (cdk["estimate"], cdk["ci_low"], cdk["ci_high"]) == pytest.approx(
        fixed_effect([(0.56, 0.43, 0.72), (0.58, 0.46, 0.72), (0.54, 0.41, 0.72)]), rel=1e-9)
    mtor = snaps["mTOR PFS"]
    # BOLERO-2: the 2013 final analysis stands for the trial; the 2012 interim one is set aside.
    assert mtor["k"] == 1
    assert (mtor["estimate"], mtor["ci_low"], mtor["ci_high"]) == pytest.approx(fixed_effect([(0.45, 0.38, 0.54)]))
    with review.store.read() as c:
        items = c.execute(
            sa.select(st.documents.c.doc_key, st.snapshot_items.c.used, st.snapshot_items.c.reason)
            .join(st.records, st.records.c.id == st.snapshot_items.c.record_id)
            .join(st.documents, st.documents.c.id == st.records.c.document_id)
            .where(st.snapshot_items.c.snapshot_id == mtor["id"])).all()
    assert {(d, used) for d, used, _ in items} == {("b2-2013", True), ("b2-2012", False)}
    reason = next(r for d, _, r in items if d == "b2-2012")
    assert "interim analysis (b2-2012, 2012) set aside" in reason and "latest analysis used (final, b2-2013" in reason
    before = {a.name: a for a in rep.analyses}
    assert before["CDK4/6 PFS"].before is None and before["CDK4/6 PFS"].changed
    md = rep.to_markdown()
    assert "| CDK4/6 PFS | none | " in md and "interim analysis (b2-2012, 2012) set aside" in md


def test_change_report_shows_before_and_after(review, tmp_path):
    from metabolero.review.report import changes_frame, write_change_report

    docs, exts = corpus()
    first = [d for d in docs if not d.id.startswith("m3")]
    update_documents(review.store, review.config, first, extract=extractor(exts), extractor_version="x1")
    rep = update_documents(review.store, review.config, docs, extract=extractor(exts), extractor_version="x1")
    frame = changes_frame(rep).set_index("analysis")
    two = fixed_effect([(0.56, 0.43, 0.72), (0.58, 0.46, 0.72)])
    three = fixed_effect([(0.56, 0.43, 0.72), (0.58, 0.46, 0.72), (0.54, 0.41, 0.72)])
    row = frame.loc["CDK4/6 PFS"]
    assert (row.k_before, row.k_after) == (2, 3) and bool(row.changed)
    assert (row.estimate_before, row.estimate_after) == pytest.approx((two[0], three[0]), rel=1e-9)
    assert not bool(frame.loc["mTOR PFS"].changed)
    folder = write_change_report(rep, tmp_path / "out")
    md = (folder / "report.md").read_text()
    assert f"{two[0]:.2f} ({two[1]:.2f}-{two[2]:.2f}), k=2 | {three[0]:.2f} ({three[1]:.2f}-{three[2]:.2f}), k=3 | yes" in md
    assert "interim analysis (b2-2012" not in md        # BOLERO-2 got no new document: not re-listed
    assert (folder / "cumulative-cdk4-6-pfs.svg").stat().st_size > 1000
    assert "![CDK4/6 PFS](cumulative-cdk4-6-pfs.svg)" in md


def test_cumulative_frame_adds_trials_in_publication_order(review):
    from metabolero.review.report import cumulative_frame

    docs, exts = corpus()
    rep = update_documents(review.store, review.config, docs, extract=extractor(exts), extractor_version="x1")
    res = next(a.result for a in rep.analyses if a.name == "CDK4/6 PFS")
    frame = cumulative_frame(res)
    assert list(frame["k"]) == [1, 2, 3]
    assert frame["study"].iloc[-1] == "MONARCH-3 (2017)"             # the 2016 trials come first
    steps = [(0.56, 0.43, 0.72), (0.58, 0.46, 0.72)]
    if frame["study"].iloc[0].startswith("PALOMA"):
        steps.reverse()
    assert tuple(frame.iloc[1][["estimate", "ci_low", "ci_high"]]) == pytest.approx(fixed_effect(steps), rel=1e-9)


# --------------------------------------------------------------------------- verification
def read_csv(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def test_verify_export_import_and_repool(review, tmp_path):
    docs, exts = corpus(m3_value=0.45)            # the extractor misread MONARCH 3's 0.54 as 0.45
    update_documents(review.store, review.config, docs, extract=extractor(exts), extractor_version="x1")
    wrong = fixed_effect([(0.56, 0.43, 0.72), (0.58, 0.46, 0.72), (0.45, 0.41, 0.72)])
    assert latest(review)["CDK4/6 PFS"]["estimate"] == pytest.approx(wrong[0], rel=1e-9)
    out = tmp_path / "verify.csv"
    assert export_csv(review.store, out) == 2
    rows = {r["quote"]: r for r in read_csv(out)}
    assert set(rows) == {"HR 0.54 (95% CI 0.41-0.72)", "HR 0.9"}
    m3 = rows["HR 0.54 (95% CI 0.41-0.72)"]
    assert (m3["trial"], m3["value"], m3["ci_low"], m3["ci_high"]) == ("MONARCH-3", "0.45", "0.41", "0.72")
    m3.update(value="0.54", decision="verified", note="quote says 0.54")   # an edit under 'verified' is a correction
    rows["HR 0.9"].update(decision="rejected", note="immature OS")
    write_csv(out, list(rows.values()))
    res = import_csv(review.store, out, review.config)
    assert (res.verified, res.corrected, res.rejected, res.skipped) == (0, 1, 1, 0)
    right = fixed_effect([(0.56, 0.43, 0.72), (0.58, 0.46, 0.72), (0.54, 0.41, 0.72)])
    assert latest(review)["CDK4/6 PFS"]["estimate"] == pytest.approx(right[0], rel=1e-9)
    s = review_status(review.store)
    assert (s.unverified, s.reviewed) == (0, 2)
    assert export_csv(review.store, out) == 0
    with review.store.read() as c:
        v = c.execute(sa.select(st.verifications.c.action, st.verifications.c.old_payload,
                                st.verifications.c.new_payload, st.verifications.c.note)
                      .order_by(st.verifications.c.id)).all()
    v = {x.action: x for x in v}
    assert sorted(v) == ["corrected", "rejected"]
    fix = v["corrected"]
    assert json.loads(fix.old_payload)["value"] == 0.45 and json.loads(fix.new_payload)["value"] == 0.54
    assert fix.note == "quote says 0.54" and v["rejected"].note == "immature OS"


@pytest.mark.parametrize("edit,message", [
    ({"decision": "maybe"}, r"line 3: decision = 'maybe'; expected one of verified, corrected, rejected"),
    ({"decision": "corrected", "value": "0.8"}, r"line 3: value 0.8 lies outside its CI 0.41-0.72"),
    ({"decision": "corrected", "p": "p<0.05"}, r"line 3, column p: p = 'p<0.05'; expected a number"),
    ({"decision": "corrected", "value": "-1", "ci_low": "", "ci_high": ""}, r"a ratio must be positive"),
])
def test_verify_import_rejects_bad_rows_and_changes_nothing(tmp_path, edit, message):
    rv = init_review(tmp_path / "r")
    rv.config = rv.config.__class__(**{**rv.config.__dict__, "analyses": ()})
    docs, exts = corpus()
    update_documents(rv.store, rv.config, docs, extract=extractor(exts), extractor_version="x1")
    out = tmp_path / "v.csv"
    export_csv(rv.store, out)
    rows = read_csv(out)
    assert rows[1]["quote"] == "HR 0.54 (95% CI 0.41-0.72)"
    rows[0]["decision"] = "verified"             # a good row before the bad one: all or nothing
    rows[1].update(edit)
    write_csv(out, rows)
    before = dump(rv.store.url)
    with pytest.raises(RecordError, match=message):
        import_csv(rv.store, out)
    assert dump(rv.store.url) == before
    rv.close()


def test_reextraction_never_overwrites_reviewed_values(review, tmp_path):
    docs, exts = corpus(m3_value=0.45)
    update_documents(review.store, review.config, docs, extract=extractor(exts), extractor_version="x1")
    out = tmp_path / "v.csv"
    export_csv(review.store, out)
    rows = read_csv(out)
    for r in rows:
        r["decision"] = "corrected" if r["quote"].startswith("HR 0.54") else "verified"
        if r["quote"].startswith("HR 0.54"):
            r["value"] = "0.54"
    write_csv(out, rows)
    import_csv(review.store, out, review.config)
    # A newer extractor reads MONARCH 3 as 0.46, BOLERO-2 final as 0.47, and PALOMA-2's OS ratio as before.
    docs2, exts2 = corpus(version="x2", bolero_final=0.45, m3_value=0.46)
    exts2["b2-2013"] = Extraction.from_dict({**exts2["b2-2013"].to_dict(), "ratios": [
        {**exts2["b2-2013"].ratios[0].to_dict(), "value": 0.47}]})
    rep = update_documents(review.store, review.config, docs2, extract=extractor(exts2), extractor_version="x2")
    assert sorted(rep.reextracted) == ["b2-2012", "b2-2013", "m3-2017", "ml2-2016", "p2-2016"]
    assert [(c["status"], c["kept"], c["new"]) for c in rep.conflicts] == [("corrected", 0.54, 0.46)]
    with review.store.read() as c:
        active = dict(c.execute(sa.select(st.records.c.quote, st.records.c.value)
                                .where(st.records.c.active.is_(True))).all())
    assert active["HR 0.54 (95% CI 0.41-0.72)"] == 0.54          # the reviewer's value stands
    assert active["HR 0.45; 95% CI 0.38-0.54"] == 0.47           # an unreviewed value follows the extractor
    assert latest(review)["mTOR PFS"]["estimate"] == pytest.approx(fixed_effect([(0.47, 0.38, 0.54)])[0])
    assert review_status(review.store).conflicts == 1
    assert export_csv(review.store, out) == 1
    row = read_csv(out)[0]
    assert row["value"] == "0.54" and row["newer_extraction"] == "x2: 0.46 (0.41-0.72)"
    # A decision on the replaced BOLERO-2 record (exported before x2) is not applied, and said so.
    with review.store.read() as c:
        old_id = c.execute(sa.select(st.records.c.id).where(st.records.c.active.is_(False))).scalar_one()
    stale_csv = tmp_path / "stale.csv"
    write_csv(stale_csv, [{"record_id": str(old_id), "value": "0.45", "ci_low": "0.38", "ci_high": "0.54", "p": "",
                           "decision": "verified", "note": ""}])
    res = import_csv(review.store, stale_csv, review.config)
    assert res.stale == [old_id] and res.verified == 0 and "re-extracted since the export" in res.summary()
    # Same documents, same newer extractor: nothing more to do.
    again = update_documents(review.store, review.config, docs2, extract=extractor(exts2), extractor_version="x2")
    assert not again.changed and again.conflicts == []


# --------------------------------------------------------------------------- reliability
RUNNER = textwrap.dedent("""
    import json, sys
    from metabolero.errors import MetaboleroError
    from metabolero.records import Document, Extraction
    from metabolero.review import open_review, update_documents

    review_dir, data_file, db = sys.argv[1], sys.argv[2], sys.argv[3] or None
    data = json.load(open(data_file))
    docs = [Document.from_dict(d) for d in data["documents"]]
    exts = {k: Extraction.from_dict(v) for k, v in data["extractions"].items()}
    try:
        review = open_review(review_dir, db=db)
        review.store.on_wait = lambda msg: print(msg, file=sys.stderr, flush=True)
        rep = update_documents(review.store, review.config, docs, extract=lambda d: exts[d.id],
                               extractor_version=data["version"])
    except MetaboleroError as exc:
        print(f"metabolero: error: {exc}", file=sys.stderr)
        sys.exit(2)
    print(json.dumps({"changed": rep.changed, "new": sorted(d["doc_key"] for d in rep.new_documents)}))
""")


def spawn(review, tmp_path, docs, exts, env=None, name="batch"):
    """Start an update of ``docs`` in another Python process; return the Popen."""
    data = tmp_path / f"{name}.json"
    data.write_text(json.dumps({"version": "x1", "documents": [d.to_dict() for d in docs],
                                "extractions": {d.id: exts[d.id].to_dict() for d in docs}}))
    script = tmp_path / "runner.py"
    script.write_text(RUNNER)
    db = "" if review.store.dialect == "sqlite" else review.store.url
    return subprocess.Popen([sys.executable, str(script), str(review.path), str(data), db],
                            env={**os.environ, **(env or {})}, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def summary(review):
    s = review_status(review.store)
    snaps = {k: (v["k"], round(v["estimate"], 12)) for k, v in latest(review).items()}
    return (s.documents, s.trials, s.records, s.updates), snaps


@pytest.mark.parametrize("stage", ["documents", "pooled", "committed"])
def test_update_killed_at_any_stage_leaves_store_before_or_after(review, tmp_path, stage):
    docs, exts = corpus()
    first = [d for d in docs if d.id.startswith("b2")]
    update_documents(review.store, review.config, first, extract=extractor(exts), extractor_version="x1")
    before = dump(review.store.url)
    p = spawn(review, tmp_path, docs, exts, env={"METABOLERO_REVIEW_FAULT": f"{stage}:kill"})
    out, err = p.communicate(timeout=60)
    assert p.returncode == -9, err                     # SIGKILL: no cleanup ran
    if stage == "committed":
        assert dump(review.store.url) != before        # fully after: the re-run has nothing to do
        rep = update_documents(review.store, review.config, docs, extract=extractor(exts), extractor_version="x1")
        assert not rep.changed
    else:
        assert dump(review.store.url) == before        # exactly as before the update
        rep = update_documents(review.store, review.config, docs, extract=extractor(exts), extractor_version="x1")
        assert sorted(d["doc_key"] for d in rep.new_documents) == ["m3-2017", "ml2-2016", "p2-2016"]
    counts, snaps = summary(review)
    assert counts == (5, 4, 6, 2)
    assert snaps["CDK4/6 PFS"][0] == 3 and snaps["mTOR PFS"][0] == 1


def test_concurrent_updates_wait_or_fail_clearly(review, tmp_path, monkeypatch):
    import threading

    docs, exts = corpus()
    a_docs = [d for d in docs if d.id.startswith("b2")]
    c_docs = [d for d in docs if not d.id.startswith("b2")]
    release = tmp_path / "release"
    # The first update runs in this process and holds the lock until the test releases it.
    monkeypatch.setenv("METABOLERO_REVIEW_FAULT", f"documents:wait={release}")
    first = {}
    holder = threading.Thread(target=lambda: first.update(report=update_documents(
        review.store, review.config, a_docs, extract=extractor(exts), extractor_version="x1")))
    holder.start()
    no_fault = {"METABOLERO_REVIEW_FAULT": ""}
    try:
        deadline = time.monotonic() + 60
        probe = Store(review.store.url, lock_timeout=0)
        while True:                                    # until the first update holds the write lock
            try:
                with probe.write():
                    pass
            except StoreError:
                break
            assert holder.is_alive() and time.monotonic() < deadline
            time.sleep(0.02)
        probe.close()
        assert review_status(review.store).documents == 0      # readers are not blocked meanwhile
        impatient = spawn(review, tmp_path, c_docs, exts, env={**no_fault, "METABOLERO_LOCK_TIMEOUT": "0.2"}, name="b")
        out_b, err_b = impatient.communicate(timeout=60)
        assert impatient.returncode == 2
        assert "another update is writing to this review store" in err_b and "Nothing was changed" in err_b
        patient = spawn(review, tmp_path, c_docs, exts, env={**no_fault, "METABOLERO_LOCK_TIMEOUT": "60"}, name="c")
        assert "waiting up to 60 s" in patient.stderr.readline()   # it waits for the lock...
    finally:
        release.touch()
        holder.join(timeout=60)
    out_c, err_c = patient.communicate(timeout=60)               # ...and then does its update
    assert patient.returncode == 0, err_c
    assert sorted(d["doc_key"] for d in first["report"].new_documents) == ["b2-2012", "b2-2013"]
    assert json.loads(out_c)["new"] == ["m3-2017", "ml2-2016", "p2-2016"]
    counts, snaps = summary(review)
    assert counts == (5, 4, 6, 2)
    assert snaps["CDK4/6 PFS"][1] == pytest.approx(
        fixed_effect([(0.56, 0.43, 0.72), (0.58, 0.46, 0.72), (0.54, 0.41, 0.72)])[0], rel=1e-9)


# --------------------------------------------------------------------------- command line
def test_cli_init_status_verify(tmp_path, db, capsys):
    from metabolero.cli import main

    rdir = tmp_path / "rv"
    args = ["--db", db] if db else []
    assert main(["init", str(rdir), *args]) == 0
    assert f"schema version {SCHEMA_VERSION}" in capsys.readouterr().out
    if db:                                             # the URL is kept for later commands
        assert f'url = "{db}"' in (rdir / "review.toml").read_text()
    rv = open_review(rdir)
    docs, exts = corpus(m3_value=0.45)
    update_documents(rv.store, rv.config, docs, extract=extractor(exts), extractor_version="x1")
    rv.close()
    assert main(["status", str(rdir)]) == 0
    out = capsys.readouterr().out
    assert "documents: 5\ntrials: 4\nrecords: 6 (2 needing verification, 0 reviewed, 0 in conflict" in out
    assert "updates: 1" in out
    csv_path = tmp_path / "check.csv"
    assert main(["verify", str(rdir), "--export", str(csv_path)]) == 0
    assert "wrote 2 record(s) needing verification" in capsys.readouterr().out
    rows = read_csv(csv_path)
    for r in rows:
        r["decision"] = "verified"
    write_csv(csv_path, rows)
    assert main(["verify", str(rdir), "--import", str(csv_path)]) == 0
    assert "2 verified, 0 corrected, 0 rejected" in capsys.readouterr().out
    assert main(["verify", str(rdir)]) == 2
    assert "give --export FILE.csv" in capsys.readouterr().err
    assert main(["status", str(tmp_path / "missing")]) == 2
    assert "metabolero init" in capsys.readouterr().err


def facts_row(shared, trial, endpoint, assessment, analysis):
    with open(shared / "facts" / "trials.csv", newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if (r["trial"], r["endpoint"], r["assessment"], r["analysis"])
                == (trial, endpoint, assessment, analysis)]
    assert len(rows) == 1
    return rows[0]


def test_cli_update_on_corpus_files(tmp_path, db, root, shared, capsys):
    """Real ingest and extraction of corpus files: three BOLERO-2 reports are one trial, the final
    PFS analysis stands for it (as published: facts/trials.csv), and a repeated update is a no-op."""
    from metabolero.cli import main

    rdir = tmp_path / "rv"
    rdir.mkdir()
    (rdir / "review.toml").write_text((root / "corpus" / "review.toml").read_text())
    assert main(["init", str(rdir), *(["--db", db] if db else [])]) == 0
    bolero = [root / "corpus" / f for f in ("bolero2_pubmed.txt", "bolero2_final_pfs_2013.nbib", "bolero2_os_2014.xml")]
    monarch = [root / "corpus" / f for f in ("monarch3_2017_pubmed.txt", "monarch3_final.xml")]
    assert main(["update", str(rdir), *map(str, bolero), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["update", str(rdir), *map(str, bolero + monarch)]) == 0
    out = capsys.readouterr().out
    assert "- new trials: 1 (MONARCH 3)" in out and "- already in the store: 3" in out
    rv = open_review(rdir)
    try:
        with rv.store.read() as c:
            trials_of = dict(c.execute(sa.select(st.documents.c.doc_key, st.trials.c.name)
                                       .join(st.trials, st.trials.c.id == st.documents.c.trial_id)).all())
        assert {k: v for k, v in trials_of.items() if k.startswith("bolero2")} == {
            "bolero2_pubmed": "BOLERO-2", "bolero2_final_pfs_2013": "BOLERO-2", "bolero2_os_2014": "BOLERO-2"}
        snap = latest(rv)["mTOR/PI3K/AKT inhibitors - PFS (investigator)"]
        pooled = json.loads(snap["payload"])["studies"]
        final = facts_row(shared, "BOLERO-2", "PFS", "investigator", "final")
        assert [(s["trial"], s["doc_id"]) for s in pooled] == [("BOLERO-2", "bolero2_final_pfs_2013")]
        assert (pooled[0]["value"], pooled[0]["ci_low"], pooled[0]["ci_high"]) == (
            float(final["hr"]), float(final["ci_low"]), float(final["ci_high"]))
        aside = json.loads(snap["payload"])["set_aside"]
        interim = facts_row(shared, "BOLERO-2", "PFS", "investigator", "interim")
        assert any(a["doc_id"] == "bolero2_pubmed" and a["value"] == float(interim["hr"])
                   and "latest analysis used (final, bolero2_final_pfs_2013" in a["reason"] for a in aside)
        before = dump(rv.store.url)
    finally:
        rv.close()
    assert main(["update", str(rdir), *map(str, bolero + monarch)]) == 0
    assert "Nothing new: 6 document(s) already in the store" in capsys.readouterr().out   # 2 in monarch3_final.xml
    rv = open_review(rdir)
    assert dump(rv.store.url) == before
    rv.close()
    reports = sorted((rdir / "updates").glob("*/report.md"))
    assert len(reports) == 2 and "MONARCH 3" in reports[1].read_text()


def test_cli_update_reports_unreadable_files_and_keeps_the_rest(tmp_path, root, capsys):
    from metabolero.cli import main

    rdir = tmp_path / "rv"
    assert main(["init", str(rdir)]) == 0
    bad = tmp_path / "broken.xml"
    bad.write_bytes(b"\x00\x01\x02 not a document \xff\xfe")
    good = root / "corpus" / "paloma2_2016_pubmed.txt"
    assert main(["update", str(rdir), str(bad), str(good), "--quiet"]) == 1
    out = capsys.readouterr().out
    assert "- new documents: 1 " in out and "- failed: 1" in out and f"- {bad}: " in out
    assert main(["update", str(rdir), str(good), "--quiet"]) == 0      # the stored one is not redone
    rv = open_review(rdir)
    assert review_status(rv.store).documents == 1
    rv.close()


def test_store_ratio_decoder_agrees_with_from_dict():
    from metabolero.review.snapshots import _ratio

    r = Ratio("HR", "PFS", 0.45, 0.38, 0.54, ci_level=90, p_value=0.0001, p_relation="<", qualifier="final analysis",
              experimental_arm="everolimus", control_arm="placebo", method="reported",
              span=Span("d", 3, 10, "HR 0.45", page=2, bbox=(1.0, 2.0, 3.5, 4.0)),
              flags=(Flag("p_mismatch", "p not implied", 0.002),))
    payload = json.loads(json.dumps(r.to_dict()))
    assert _ratio(payload) == Ratio.from_dict(payload) == r
    bare = Ratio("OR", None, None)
    assert _ratio(json.loads(json.dumps(bare.to_dict()))) == bare


def test_edited_configuration_gives_a_new_snapshot_once(review):
    from metabolero.meta.select import load_config

    docs, exts = corpus()
    update_documents(review.store, review.config, docs, extract=extractor(exts), extractor_version="x1")
    cfg = review.path / "review.toml"
    cfg.write_text(cfg.read_text().replace('"abemaciclib"]', '"dalpiciclib"]'))   # MONARCH 3 leaves the class
    config = load_config(cfg)
    rep = update_documents(review.store, config, docs, extract=extractor(exts), extractor_version="x1")
    assert rep.changed and rep.new_documents == []
    assert "configuration changed?" in rep.to_markdown()
    cdk = latest(review)["CDK4/6 PFS"]
    assert cdk["k"] == 2
    assert cdk["estimate"] == pytest.approx(fixed_effect([(0.56, 0.43, 0.72), (0.58, 0.46, 0.72)])[0], rel=1e-9)
    again = update_documents(review.store, config, docs, extract=extractor(exts), extractor_version="x1")
    assert not again.changed


def test_publications_naming_one_trial_differently_are_merged(review):
    docs, exts = corpus()
    by_id = {d.id: d for d in docs}
    t = "Overall survival with everolimus plus exemestane: HR 0.89 (95% CI 0.73-1.10)."
    os_doc = make_doc("b2-2014", t, pmid="24158788", trials=("BOLERO-2",), title="BOLERO-2 overall survival", year=2014)
    exts["b2-2014"] = make_ext(os_doc, [hr(os_doc, "HR 0.89 (95% CI 0.73-1.10)", 0.89, 0.73, 1.10,
                                            "everolimus plus exemestane", endpoint="OS")])
    exts["b2-2012"] = make_ext(by_id["b2-2012"], exts["b2-2012"].ratios)       # names it by metadata only
    run = lambda ds: update_documents(review.store, review.config, ds, extract=extractor(exts), extractor_version="x1")
    assert run([by_id["b2-2013"]]).new_trials == ["NCT00863655"]          # registry number only
    assert run([os_doc]).new_trials == ["BOLERO-2"]                        # acronym only: not known yet
    assert review_status(review.store).trials == 2
    rep = run([by_id["b2-2012"]])                                           # names both
    assert rep.new_trials == []
    assert rep.merged_trials == ["BOLERO-2 into NCT00863655 (b2-2012 names both)"]
    assert rep.renamed_trials == ["NCT00863655 -> BOLERO-2"]
    with review.store.read() as c:
        names = dict(c.execute(sa.select(st.documents.c.doc_key, st.trials.c.name)
                               .join(st.trials, st.trials.c.id == st.documents.c.trial_id)).all())
        aliases = dict(c.execute(sa.select(st.trial_aliases.c.alias, st.trial_aliases.c.trial_id)).all())
    assert names == {"b2-2012": "BOLERO-2", "b2-2013": "BOLERO-2", "b2-2014": "BOLERO-2"}
    assert set(aliases) == {"NCT00863655", "BOLERO2"} and len(set(aliases.values())) == 1
    assert review_status(review.store).trials == 1
    mtor = latest(review)["mTOR PFS"]                      # one trial, its final analysis
    assert mtor["k"] == 1 and mtor["estimate"] == pytest.approx(fixed_effect([(0.45, 0.38, 0.54)])[0])


def _final_state(batches, tmp):
    """Run one update per batch into a fresh SQLite review; return (documents, trials, {analysis: (k, HR)})."""
    rdir = Path(tmp)
    rdir.mkdir(exist_ok=True)
    (rdir / "review.toml").write_text(CONFIG, encoding="utf-8")
    rv = init_review(rdir)
    try:
        docs, exts = corpus()
        by_id = {d.id: d for d in docs}
        for batch in batches:
            update_documents(rv.store, rv.config, [by_id[i] for i in batch], extract=extractor(exts),
                             extractor_version="x1")
        s = review_status(rv.store)
        return s.documents, s.trials, {p["analysis"]: (p["k"], round(p["estimate"], 12)) for p in s.pooled}
    finally:
        rv.close()


def test_result_does_not_depend_on_order_or_batching_of_updates(tmp_path):
    """Any order and any split of the same publications into monthly updates ends in the same
    trials and pooled estimates (duplicates of one publication carry the same figures here)."""
    import tempfile

    from hypothesis import HealthCheck, given, settings, strategies as hst

    ids = [d.id for d in corpus()[0] if d.id != "m3-conf"]   # m3-conf: same DOI, other figures
    reference = _final_state([ids], tmp_path / "ref")

    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(hst.permutations(ids), hst.lists(hst.integers(1, len(ids) - 1), max_size=3))
    def check(order, cuts):
        bounds = [0, *sorted(set(cuts)), len(order)]
        batches = [order[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]
        with tempfile.TemporaryDirectory(dir=tmp_path) as tmp:
            assert _final_state(batches, tmp) == reference

    assert reference[:2] == (5, 4)
    check()


def test_init_keeps_the_database_url_but_not_its_password(tmp_path):
    from metabolero.errors import ConfigError
    from metabolero.review.project import _keep_store_url

    cfg = tmp_path / "review.toml"
    cfg.write_text(CONFIG)
    _keep_store_url(cfg, "postgresql://reviewer:s3cret@db.example:5432/living")
    text = cfg.read_text()
    assert 'url = "postgresql://reviewer@db.example:5432/living"' in text and "s3cret" not in text
    _keep_store_url(cfg, "postgresql://reviewer:other@db.example:5432/living")      # same database: fine
    with pytest.raises(ConfigError, match="edit the file to move the review"):
        _keep_store_url(cfg, "postgresql://reviewer@db.example:5432/another")
