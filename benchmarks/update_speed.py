"""Living-review scale check: an update adding N abstracts to a store already holding M records.

Prints the update's wall time (split into ingest+extract and store work), the peak resident
memory of the updating process and its growth over the imports alone, for an empty store
and for the large one, so any cost that grows with the store's size shows as a difference.

    .venv/bin/python benchmarks/update_speed.py                     # 10,000 abstracts into 100,000 records
    .venv/bin/python benchmarks/update_speed.py --new 2000 --existing 20000
    .venv/bin/python benchmarks/update_speed.py --db postgresql://user@127.0.0.1:5432/bench

The abstracts are synthetic MEDLINE records (one trial result each, with PMID, DOI and NCT
number) read by the real ingest and extract code; ``--synthetic-extract`` skips extraction
and builds each record from the generator's own values, to time the store alone. The
existing records are bulk-inserted rows of the same shape (documents with PFS and OS hazard
ratios and two medians each, grouped in trials of three publications).
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DRUGS = ["palbociclib", "ribociclib", "abemaciclib", "everolimus", "alpelisib", "capivasertib", "fulvestrant"]
PARTNERS = ["letrozole", "fulvestrant", "exemestane", "anastrozole"]


def _trial(i: int) -> tuple[str, str]:
    return f"SYNTH-{i}", f"NCT{10000000 + i:08d}"


def _abstract(rng: random.Random, i: int, trial: int) -> tuple[str, dict]:
    """Return (MEDLINE record text, the values written into it) of synthetic abstract ``i``."""
    name, nct = _trial(trial)
    drug, partner = rng.choice(DRUGS), rng.choice(PARTNERS)
    hr = round(rng.uniform(0.4, 0.95), 2)
    lo, hi = round(hr * 0.8, 2), round(min(hr * 1.25, 1.4), 2)
    m_c = round(rng.uniform(3, 15), 1)
    m_e = round(m_c / hr, 1)
    n = rng.randrange(150, 900)
    year = 2010 + i % 15
    ab = (f"BACKGROUND: We tested {drug} added to {partner} in hormone receptor-positive advanced breast "
          f"cancer. METHODS: In the phase 3 {name} trial ({nct}), {n} patients were randomly assigned to "
          f"{drug} plus {partner} or placebo plus {partner}. The primary end point was progression-free "
          f"survival. RESULTS: Median progression-free survival was {m_e} months with {drug} plus {partner} "
          f"and {m_c} months with placebo plus {partner} (hazard ratio, {hr}; 95% CI, {lo} to {hi}; "
          f"P<0.001). CONCLUSIONS: {drug.capitalize()} prolonged progression-free survival.")
    pmid = 40000000 + i
    rec = "\n".join([
        f"PMID- {pmid}", f"DP  - {year}",
        f"TI  - {drug.capitalize()} plus {partner} in advanced breast cancer: the {name} trial",
        _wrap("AB  - ", ab), f"SI  - ClinicalTrials.gov/{nct}", f"LID - 10.9999/synth.{pmid} [doi]",
        "PT  - Randomized Controlled Trial", "TA  - Synth Oncol", ""])
    return rec, {"pmid": str(pmid), "drug": drug, "partner": partner, "hr": hr, "lo": lo, "hi": hi,
                 "m_e": m_e, "m_c": m_c, "trial": name, "nct": nct, "year": year}


def _wrap(head: str, text: str, width: int = 80) -> str:
    lines, cur = [], head
    for word in text.split():
        if len(cur) + len(word) + 1 > width and cur.strip():
            lines.append(cur.rstrip())
            cur = "      "
        cur += word + " "
    lines.append(cur.rstrip())
    return "\n".join(lines)


def write_abstracts(folder: Path, n: int, seed: int = 7) -> Path:
    """Write ``n`` synthetic MEDLINE records in files of 1,000 and a JSON of their values; return the folder."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    values = {}
    per = 1000
    for f in range(0, n, per):
        recs = []
        for i in range(f, min(n, f + per)):
            rec, vals = _abstract(rng, i, trial=1_000_000 + i // 2)    # two reports per new trial
            recs.append(rec)
            values[vals["pmid"]] = vals
        (folder / f"search_{f // per:03d}.nbib").write_text("\n".join(recs), encoding="utf-8")
    (folder.parent / "values.json").write_text(json.dumps(values))
    return folder


def seed_store(url: str, n_records: int, seed: int = 11) -> None:
    """Bulk-insert ``n_records`` records (4 per document, 3 documents per trial) into a new store."""
    from metabolero.records import Median, Ratio, Span
    from metabolero.review.store import documents, dumps, now_iso, open_store, records, runs, trial_aliases, trials

    rng = random.Random(seed)
    store = open_store(url)
    n_docs = n_records // 4
    with store.write() as c:
        run = c.execute(runs.insert().values(started_at=now_iso(), finished_at=now_iso(), extractor_version="seed",
                                             n_new=n_docs, n_duplicates=0, n_reextracted=0, n_failed=0)
                        ).inserted_primary_key[0]
        n_trials = (n_docs + 2) // 3
        c.execute(trials.insert(), [{"id": t + 1, "name": _trial(t)[0], "run_id": run} for t in range(n_trials)])
        c.execute(trial_aliases.insert(), [{"alias": a, "trial_id": t + 1} for t in range(n_trials)
                                           for a in (_trial(t)[0].replace("-", ""), _trial(t)[1])])
        for start in range(0, n_docs, 5000):
            docs, recs = [], []
            for d in range(start, min(n_docs, start + 5000)):
                t = d // 3
                drug = DRUGS[t % len(DRUGS)]
                docs.append({"id": d + 1, "doc_key": f"seed{d}", "content_hash": f"{d:064x}", "pmid": str(30000000 + d),
                             "doi": f"10.9998/seed.{d}", "nct_ids": dumps([_trial(t)[1]]), "acronyms": dumps([_trial(t)[0]]),
                             "title": f"seed {d}", "year": 2000 + d % 20, "source": "seed", "format": "medline",
                             "trial_id": t + 1, "run_id": run, "extraction_run_id": run, "extractor_version": "seed",
                             "study": "{}", "flags": "[]"})
                arm = f"{drug} plus letrozole"
                stage = ("interim", "primary", "final")[d % 3]
                for k, ep in enumerate(("PFS", "OS")):
                    hr = round(rng.uniform(0.4, 1.0), 2)
                    quote = f"HR {hr} (95% CI {round(hr * .8, 2)}-{round(hr * 1.25, 2)})"
                    r = Ratio("HR", ep, hr, round(hr * .8, 2), round(hr * 1.25, 2), experimental_arm=arm,
                              control_arm="placebo plus letrozole", span=Span(f"seed{d}", 0, len(quote), quote))
                    recs.append(_row(d, run, "ratio", f"ratio|HR|{ep}||0", r, arm, stage))
                for k, role in enumerate(("experimental", "control")):
                    m = Median("PFS", round(rng.uniform(3, 20), 1), "months", arm_role=role, arm=arm)
                    recs.append(_row(d, run, "median", f"median|PFS|{role}||0", m, arm, None))
            c.execute(documents.insert(), docs)
            c.execute(records.insert(), recs)
        if store.dialect == "postgresql":
            # Rows were given explicit ids above: move the id sequences past them.
            import sqlalchemy as sa

            for t in ("trials", "documents"):
                c.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT max(id) FROM {t}))"))
    store.close()


def _row(d, run, kind, rkey, rec, arm, stage) -> dict:
    from metabolero.review.store import dumps

    return {"document_id": d + 1, "run_id": run, "kind": kind, "rkey": rkey, "measure": getattr(rec, "measure", None),
            "endpoint": rec.endpoint, "value": rec.value, "ci_low": rec.ci_low, "ci_high": rec.ci_high,
            "p": getattr(rec, "p", None), "qualifier": None, "experimental": arm, "control": "placebo plus letrozole",
            "stage": stage, "quote": rec.quote, "payload": dumps(rec.to_dict()), "status": "extracted",
            "needs_review": False, "review_reasons": None, "active": True}


def _synthetic_extract(values: dict):
    from metabolero.records import Arm, Extraction, Median, Ratio, Span, Study

    def extract(doc):
        v = values[doc.pmid]
        exp_arm, ctl_arm = f"{v['drug']} plus {v['partner']}", f"placebo plus {v['partner']}"
        q = f"hazard ratio, {v['hr']}; 95% CI, {v['lo']} to {v['hi']}"
        start = doc.text.find(q)
        span = Span(doc.id, start, start + len(q), q) if start >= 0 else None
        r = Ratio("HR", "PFS", v["hr"], v["lo"], v["hi"], p_value=0.001, p_relation="<",
                  experimental_arm=exp_arm, control_arm=ctl_arm, span=span)
        meds = (Median("PFS", v["m_e"], "months", arm=exp_arm, arm_role="experimental"),
                Median("PFS", v["m_c"], "months", arm=ctl_arm, arm_role="control"))
        return Extraction(doc.id, ratios=(r,), medians=meds,
                          study=Study(trials=(v["trial"],), nct_ids=(v["nct"],),
                                      arms=(Arm(exp_arm, "experimental"), Arm(ctl_arm, "control"))),
                          document={"title": doc.title, "year": doc.year}, extractor_version="synthetic")
    return extract


def run_update(review_dir: str, db: str, folder: str, synthetic: bool) -> dict:
    """Child process: time one update of ``folder`` into the review; return the figures as a dict."""
    import metabolero.meta  # noqa: F401  (imported before the baseline, as an update needs it)
    from metabolero.ingest import iter_documents
    from metabolero.review import open_review, update_documents
    from metabolero.review import update as upd

    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    review = open_review(review_dir, db=db or None)
    if synthetic:
        extract = _synthetic_extract(json.loads((Path(folder).parent / "values.json").read_text()))
        version = "synthetic"
    else:
        extract, version = upd._default_extract()
    spent = {"extract": 0.0, "ingest": 0.0}

    def timed_extract(doc):
        t = time.perf_counter()
        try:
            return extract(doc)
        finally:
            spent["extract"] += time.perf_counter() - t

    def timed_docs():
        it = iter_documents([Path(folder)])
        while True:
            t = time.perf_counter()
            try:
                d = next(it)
            except StopIteration:
                return
            finally:
                spent["ingest"] += time.perf_counter() - t
            yield d

    t0, c0 = time.perf_counter(), time.process_time()
    rep = update_documents(review.store, review.config, timed_docs(), extract=timed_extract, extractor_version=version)
    total, cpu = time.perf_counter() - t0, time.process_time() - c0
    review.close()
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": total, "cpu": cpu, "ingest": spent["ingest"], "extract": spent["extract"],
            "store": total - spent["ingest"] - spent["extract"], "new": len(rep.new_documents),
            "records": rep.n_records, "failed": len(rep.failures), "rss_base_mb": rss0 / 1024,
            "rss_peak_mb": rss1 / 1024, "k": {a.name: a.after["k"] for a in rep.analyses}}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--new", type=int, default=10_000, help="abstracts added by the update (default 10,000)")
    ap.add_argument("--existing", type=int, default=100_000, help="records already in the store (default 100,000)")
    ap.add_argument("--db", default=None, help="PostgreSQL URL of an EMPTY database for the large store "
                    "(default: SQLite files in a temporary folder)")
    ap.add_argument("--synthetic-extract", action="store_true", help="skip extraction (store work only)")
    ap.add_argument("--child", nargs=3, metavar=("REVIEW_DIR", "DB", "FOLDER"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(run_update(*args.child, synthetic=args.synthetic_extract)))
        return 0

    from metabolero.review import init_review

    with tempfile.TemporaryDirectory(prefix="metabolero-bench-") as tmp:
        tmp = Path(tmp)
        t = time.perf_counter()
        folder = write_abstracts(tmp / "abstracts", args.new)
        print(f"wrote {args.new} synthetic MEDLINE abstracts in {time.perf_counter() - t:.1f} s")
        results = {}
        runs = [(f"{args.existing:,} records", args.existing, args.db)]
        if args.db is None:
            runs.insert(0, ("empty store", 0, None))
        else:
            print("(--db given: only the large-store update runs, on that database; the empty-store baseline "
                  "needs a second empty database, so compare with a run without --db)")
        for label, size, db in runs:
            rdir = tmp / f"review-{size}"
            rv = init_review(rdir, db=db)
            rv.close()
            if size:
                t = time.perf_counter()
                seed_store(db or f"sqlite:///{rdir / 'store.sqlite'}", size)
                print(f"seeded {size:,} records in {time.perf_counter() - t:.1f} s")
            cmd = [sys.executable, __file__, "--child", str(rdir), db or "", str(folder)]
            if args.synthetic_extract:
                cmd.append("--synthetic-extract")
            out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
            if out.returncode:
                print(out.stderr, file=sys.stderr)
                return 1
            r = results[label] = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"update into {label}: {r['seconds']:.1f} s ({r['cpu']:.1f} s CPU) for {r['new']} new documents ({r['records']} records, "
                  f"{r['failed']} failed) = ingest {r['ingest']:.1f} s + extract {r['extract']:.1f} s + "
                  f"store/dedup/pool {r['store']:.1f} s; peak RSS {r['rss_peak_mb']:.0f} MB "
                  f"({r['rss_peak_mb'] - r['rss_base_mb']:+.0f} MB over the imports); pooled k: {r['k']}")
        if len(results) < 2:
            return 0
        a, b = results.values()
        print(f"large store vs empty store: store work x{b['store'] / max(a['store'], 1e-9):.2f}, "
              f"peak memory {b['rss_peak_mb'] - a['rss_peak_mb']:+.0f} MB "
              f"(re-pooling must read the stored ratios of the configured analyses; nothing else is read)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
