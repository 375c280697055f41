"""The shipped corpus: every document traceable to shared/facts/trials.csv, and a valid review.toml.

The documents were written by us around the numbers of the facts file, so every number in a
document's title and abstract must be one of the facts of the rows that document cites (or a
figure derived from them: the randomised total as the sum of the arms, an allocation ratio
that matches the arm sizes). Identifiers that contain digits (PALOMA-2, HER2, CDK4/6,
NCT numbers) and the "95%" of a confidence level are not results and are left out. Numbers
compare by value, so "0.480" in a document matches the facts file's "0.48" (its CSV drops
trailing zeros).
"""
from __future__ import annotations

import csv
import re
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from metabolero.meta.select import ESTIMATORS, load_config

FORMATS = (".txt", ".nbib", ".xml")
NOT_DOCUMENTS = {"SOURCES.csv", "README.md", "review.toml"}


@pytest.fixture(scope="module")
def corpus(root) -> Path:
    return root / "corpus"


@pytest.fixture(scope="module")
def sources(corpus) -> list[dict]:
    with (corpus / "SOURCES.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def facts(shared) -> list[dict]:
    with (shared / "facts" / "trials.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --------------------------------------------------------------------------- reading the corpus
def corpus_records(corpus: Path) -> list[dict]:
    """Return one dict per document, as the project's readers give it: file, record (1-based),
    title, text (title and abstract), year, pmid and source note (None when the format has none)."""
    from metabolero.ingest import read_path

    out = []
    for path in sorted(corpus.iterdir()):
        if path.name in NOT_DOCUMENTS:
            continue
        assert path.suffix in FORMATS, f"{path.name}: unexpected file in corpus/"
        for i, doc in enumerate(read_path(path), 1):
            notes = [value for key, value in doc.meta if key == "note"]
            out.append(dict(file=path.name, record=i, title=doc.title, text=doc.text, year=doc.year,
                            pmid=doc.pmid, note=" ".join(notes) or None))
    return out


@pytest.fixture(scope="module")
def records(corpus) -> list[dict]:
    return corpus_records(corpus)


def rows_of(source: dict, facts: list[dict]) -> list[dict]:
    """Return the facts rows a SOURCES.csv row cites ('trial/analysis/endpoint', ' | '-separated)."""
    rows = []
    for key in source["facts_rows"].split(" | "):
        trial, analysis, endpoint = key.rsplit("/", 2)
        hit = [r for r in facts if (r["trial"], r["analysis"], r["endpoint"]) == (trial, analysis, endpoint)]
        assert hit, f"SOURCES.csv {source['file']}#{source['record']}: no facts row {key!r}"
        rows.extend(hit)
    return rows


# --------------------------------------------------------------------------- numbers
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?!\d)|\d*\.\d+|\d+")
_IDENTIFIER = re.compile(r"[A-Za-z]+-?\d+(?:/\d+)?")
_CI_LEVEL = re.compile(r"95\s?%\s?(?=CI|confidence)", re.I)
_ALLOCATION = re.compile(r"\b(\d+):(\d+)\b")


def numbers(text: str) -> list[Decimal]:
    """Return every number in a text as a Decimal (thousands separators dropped)."""
    return [Decimal(t.replace(",", "")) for t in _NUMBER.findall(text)]


def strip_non_results(text: str, trial_names: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Return the text without trial names, digit-bearing identifiers and CI levels, and its a:b ratios."""
    for name in sorted(trial_names, key=len, reverse=True):
        text = re.sub(re.escape(name), " ", text, flags=re.I)
    text = _IDENTIFIER.sub(" ", text)
    text = _CI_LEVEL.sub(" ", text)
    ratios = [(int(a), int(b)) for a, b in _ALLOCATION.findall(text)]
    return _ALLOCATION.sub(" ", text), ratios


def allowed_numbers(rows: list[dict]) -> set[Decimal]:
    """Return every number of the cited facts rows, plus each randomised total (sum of the arms)."""
    allowed = set()
    for r in rows:
        for value in r.values():
            allowed.update(numbers(value or ""))
        if r["n_experimental"] and r["n_control"]:
            allowed.add(Decimal(r["n_experimental"]) + Decimal(r["n_control"]))
    return {a.normalize() for a in allowed}


def ratio_is_supported(a: int, b: int, rows: list[dict]) -> bool:
    """True if a:b is printed in the facts notes or matches the arm sizes within 5%."""
    for r in rows:
        if f"{a}:{b}" in r["notes"]:
            return True
        if r["n_experimental"] and r["n_control"]:
            if abs(int(r["n_experimental"]) * b / (int(r["n_control"]) * a) - 1) <= 0.05:
                return True
    return False


def trial_base(name: str) -> str:
    """'SOLAR-1 (PIK3CA-mutated cohort)' -> 'SOLAR-1'."""
    return name.split(" (")[0].strip()


# --------------------------------------------------------------------------- tests
def test_number_helpers():
    assert numbers("HR 0.58; 95% CI, 0.46 to 0.72; 1,112 patients; P = .02") == [
        Decimal("0.58"), Decimal("95"), Decimal("0.46"), Decimal("0.72"), Decimal("1112"), Decimal(".02")]
    text, ratios = strip_non_results("PALOMA-2: HER2-negative, CDK4/6, 95% CI, (2:1), NCT01633060", ["PALOMA-2"])
    assert numbers(text) == [] and ratios == [(2, 1)]
    rows = [{"n_experimental": "444", "n_control": "222", "notes": "", "hr": "0.58"}]
    assert ratio_is_supported(2, 1, rows) and not ratio_is_supported(1, 1, rows)
    assert Decimal("666") in allowed_numbers(rows) and Decimal("0.580").normalize() in allowed_numbers(rows)


def test_corpus_size_and_formats(records):
    files = {r["file"] for r in records}
    by_format = {ext: sum(1 for r in records if r["file"].endswith(ext)) for ext in FORMATS}
    assert len(records) >= 15, f"only {len(records)} documents"
    assert all(n >= 5 for n in by_format.values()), by_format
    assert any(n > 1 for n in (sum(1 for r in records if r["file"] == f) for f in files if f.endswith(".nbib")))
    assert any(n > 1 for n in (sum(1 for r in records if r["file"] == f) for f in files if f.endswith(".xml")))


def test_multi_record_files_give_pmids_to_all_or_none(records):
    """MEDLINE readers start a record at PMID- when a file has any; a mixed file would merge records."""
    for f in {r["file"] for r in records if not r["file"].endswith(".txt")}:
        has = {r.get("pmid") is not None for r in records if r["file"] == f}
        assert len(has) == 1, f"{f}: some records have a PMID and some do not"


def test_every_document_has_one_sources_row(records, sources):
    documents = {(r["file"], r["record"]) for r in records}
    listed = [(s["file"], int(s["record"])) for s in sources]
    assert len(listed) == len(set(listed)), "duplicate rows in SOURCES.csv"
    assert set(listed) == documents
    for s in sources:
        assert s["trial"] and s["publication"] and s["facts_rows"] and s["source_url"].startswith("http"), s


def test_every_number_is_a_fact_of_its_trial(records, sources, facts):
    by_doc = {(s["file"], int(s["record"])): s for s in sources}
    names = sorted({trial_base(f["trial"]) for f in facts})
    problems = []
    for rec in records:
        src = by_doc[(rec["file"], rec["record"])]
        rows = rows_of(src, facts)
        assert {trial_base(r["trial"]) for r in rows} == {trial_base(src["trial"])}, src
        text, ratios = strip_non_results(rec["text"], names)
        allowed = allowed_numbers(rows)
        stray = sorted({str(n) for n in numbers(text) if n.normalize() not in allowed})
        if stray:
            problems.append(f"{rec['file']}#{rec['record']}: {', '.join(stray)} not in facts rows {src['facts_rows']}")
        for a, b in ratios:
            if not ratio_is_supported(a, b, rows):
                problems.append(f"{rec['file']}#{rec['record']}: allocation {a}:{b} does not match the arm sizes")
    assert not problems, "\n".join(problems)


def test_every_cited_fact_is_in_its_document(records, sources, facts):
    """The hazard ratio and medians of each cited row are actually written in the document."""
    by_doc = {(s["file"], int(s["record"])): s for s in sources}
    problems = []
    for rec in records:
        src = by_doc[(rec["file"], rec["record"])]
        present = {n.normalize() for n in numbers(rec["text"])}
        for row in rows_of(src, facts):
            for col in ("hr", "ci_low", "ci_high", "median_experimental", "median_control"):
                value = row[col]
                if value == "NR":
                    if not re.search(r"not (?:been |yet )?reached|\bNR\b", rec["text"]):
                        problems.append(f"{rec['file']}#{rec['record']}: {col} 'not reached' missing")
                elif value and Decimal(value).normalize() not in present:
                    problems.append(f"{rec['file']}#{rec['record']}: {row['endpoint']} {col} {value} missing")
    assert not problems, "\n".join(problems)


def test_metadata_identifies_trial_publication_and_source(records, sources, facts):
    by_doc = {(s["file"], int(s["record"])): s for s in sources}
    for rec in records:
        src = by_doc[(rec["file"], rec["record"])]
        where = f"{rec['file']}#{rec['record']}"
        acronym = trial_base(src["trial"]).split("/")[0]
        assert acronym.lower() in rec["title"].lower(), f"{where}: trial {acronym} not in the title"
        body = rec["text"][len(rec["title"]):]
        assert acronym.lower() in body.lower(), f"{where}: trial {acronym} not in the abstract"
        years = re.findall(r"(?:19|20)\d{2}", src["publication"])
        assert years and int(years[-1]) == rec["year"], f"{where}: year {rec['year']} vs {src['publication']!r}"
        assert re.search(r"randomly assigned", rec["text"]), f"{where}: no randomisation sentence"
        drug = rows_of(src, facts)[0]["experimental_arm"].split()[0].lower()
        assert drug in rec["text"].lower(), f"{where}: experimental drug {drug} not named"
        if rec["note"] is not None or not rec["file"].endswith(".txt"):
            assert rec["note"] and rec["note"].startswith("metabolero source: "), f"{where}: no source note"
            assert src["facts_rows"] in rec["note"], f"{where}: note does not cite {src['facts_rows']}"
            for url in src["source_url"].split(" ; "):
                assert url in rec["note"], f"{where}: note does not give {url}"


def test_every_randomisation_sentence_states_the_total(records, sources, facts):
    """Each 'randomly assigned' sentence gives the randomised total: the sum of the arms where the
    facts have arm sizes, else a patient count from the facts notes."""
    by_doc = {(s["file"], int(s["record"])): s for s in sources}
    problems = []
    for rec in records:
        src = by_doc[(rec["file"], rec["record"])]
        rows = rows_of(src, facts)
        sentences = [x for x in re.split(r"(?<=[.;])\s+", rec["text"]) if "randomly assigned" in x]
        text, _ = strip_non_results(" ".join(sentences), sorted({trial_base(f["trial"]) for f in facts}))
        stated = {n.normalize() for n in numbers(text)}
        totals = {Decimal(r["n_experimental"]) + Decimal(r["n_control"]) for r in rows
                  if r["n_experimental"] and r["n_control"]}
        if not totals:          # arm sizes not in the facts: any count of at least 20 patients from the notes
            totals = {n for r in rows for n in numbers(r["notes"]) if n >= 20 and n == n.to_integral_value()}
        if not stated & {t.normalize() for t in totals}:
            problems.append(f"{rec['file']}#{rec['record']}: no randomised total ({sorted(totals)}) in {sentences}")
    assert not problems, "\n".join(problems)


def test_review_toml_has_the_documented_schema(corpus):
    data = tomllib.loads((corpus / "review.toml").read_text(encoding="utf-8"))
    assert data["review"]["title"] and data["review"]["question"]
    pooling = data["pooling"]
    assert pooling["method"] in ESTIMATORS and isinstance(pooling["hksj"], bool)
    assert isinstance(pooling["prediction_interval"], bool) and pooling["measure"] == "HR"
    assert {"CDK4/6 inhibitor", "mTOR/PI3K/AKT inhibitor"} <= set(data["groups"])
    wanted = {(g, e) for g in ("CDK4/6 inhibitor", "mTOR/PI3K/AKT inhibitor") for e in ("PFS", "OS")}
    got = {(a["group"], a["endpoint"]) for a in data["analysis"]}
    assert wanted <= got
    for a in data["analysis"]:
        assert a["name"] and a["group"] in data["groups"]
        assert a.get("assessment", "investigator") in ("investigator", "central", "any")
    cfg = load_config(corpus / "review.toml")      # the job's own reader accepts it
    assert len(cfg.analyses) == len(data["analysis"])


def test_every_experimental_drug_of_the_corpus_has_a_class(corpus, sources, facts):
    data = tomllib.loads((corpus / "review.toml").read_text(encoding="utf-8"))
    keywords = {w.lower() for words in data["groups"].values() for w in words}
    for s in sources:
        drug = rows_of(s, facts)[0]["experimental_arm"].split()[0].lower()
        assert drug in keywords, f"{s['file']}: {drug} is in no [groups] class"


# --------------------------------------------------------------------------- the main job's selection
_STAGE_RANK = (("final", 3), ("updat", 2), ("interim", 0))


def _facts_stage(analysis: str) -> int:
    """Rank of a facts row's analysis: final 3, updated 2, primary (or unstated) 1, interim 0."""
    return next((rank for word, rank in _STAGE_RANK if word in analysis.lower()), 1)


def expected_pools(sources, facts, groups) -> dict[tuple[str, str], set]:
    """Return {(class, endpoint): {(trial, hr, ci_low, ci_high)}} that the job should pool, from the facts alone.

    Per trial, the cited row of the most mature analysis (then the latest publication year);
    central assessments are left out of PFS pools; where a trial has several populations
    (SOLAR-1 cohorts, FERGI parts, CAPItello-291 overall and altered), the facts file lists
    the trial's main population first and that row stands for the trial. Each value is
    ``(trial, hr, ci_low, ci_high, whole_trial)``; ``whole_trial`` is False when the facts
    name a population other than 'overall' (e.g. 'SOLAR-1 (PIK3CA-mutated cohort)').
    """
    from metabolero.meta.select import drug_class

    best: dict[tuple[str, str, str], tuple] = {}
    for s in sources:
        year = int(re.findall(r"(?:19|20)\d{2}", s["publication"])[-1])
        for row in rows_of(s, facts):
            if not row["hr"] or row["endpoint"] not in ("PFS", "OS") or row["assessment"] == "central":
                continue
            group = drug_class(row["experimental_arm"], groups)
            trial = trial_base(row["trial"]).split("/")[0]      # PALOMA-1/TRIO-18 is named PALOMA-1
            key = (group, row["endpoint"], trial)
            rank = (_facts_stage(row["analysis"]), year, -facts.index(row))
            population = row["trial"][len(trial_base(row["trial"])):].strip(" ()")
            value = (trial, Decimal(row["hr"]), row["ci_low"] and Decimal(row["ci_low"]),
                     row["ci_high"] and Decimal(row["ci_high"]), population in ("", "overall"))
            if key not in best or rank > best[key][0]:
                best[key] = (rank, value)
    out: dict[tuple[str, str], set] = {}
    for (group, endpoint, _), (_, value) in best.items():
        out.setdefault((group, endpoint), set()).add(value)
    return out


def test_review_selection_pools_the_latest_analysis_of_each_trial(corpus, sources, facts):
    """Reading, extraction and selection over the corpus give, per configured analysis, one
    estimate per trial: the one the facts file says is the latest analysis."""
    from metabolero.meta.select import candidates_from_extraction, load_config, select_for_pooling, trial_key
    from metabolero.pipeline import Extracted, iter_extractions

    cfg = load_config(corpus / "review.toml")
    candidates, failures = [], []
    for item in iter_extractions([corpus]):
        if isinstance(item, Extracted):
            candidates.extend(candidates_from_extraction(item.extraction, item.document.text))
        else:
            failures.append(item)
    assert not failures
    wanted = expected_pools(sources, facts, cfg.group_map)

    def as_decimal(x):
        return x if x is None else Decimal(str(x))

    for analysis in cfg.analyses:
        used, set_aside = select_for_pooling(candidates, analysis, cfg.group_map)
        got = {(trial_key(c.trial), Decimal(str(c.ratio.value)), as_decimal(c.ratio.ci_low) or "",
                as_decimal(c.ratio.ci_high) or "") for c in used}
        rows = wanted[(analysis.group, analysis.endpoint)]
        required = {(trial_key(t), hr, lo, hi) for t, hr, lo, hi, whole in rows if whole}
        # A trial reported only by population (SOLAR-1's PIK3CA cohorts) may be pooled with its
        # main population or set aside as a subgroup, never with another of its populations.
        optional = {(trial_key(t), hr, lo, hi) for t, hr, lo, hi, whole in rows if not whole}
        assert required <= got, f"{analysis.name}: {sorted(required - got)} not pooled"
        assert got <= required | optional, f"{analysis.name}: pooled {sorted(got - required - optional)}"
        assert len(used) >= 5
    # every trial reported more than once has its earlier PFS reports listed as set aside
    cdk_pfs = next(a for a in cfg.analyses if a.group == "CDK4/6 inhibitor" and a.endpoint == "PFS")
    _, set_aside = select_for_pooling(candidates, cdk_pfs, cfg.group_map)
    aside = {trial_key(d.candidate.trial) for d in set_aside}
    assert {"PALOMA2", "PALOMA3", "MONALEESA2", "MONARCH3", "DAWNA1"} <= aside
