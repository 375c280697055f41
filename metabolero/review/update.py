"""``metabolero update``: add documents to a living review in one locked transaction.

Each incoming document is recognised by content hash, PMID and DOI (a publication enters
once); publications are grouped into trials by acronym and NCT number; new documents are
extracted and their records stored with the reasons they need a reviewer's eye; the
configured analyses are re-pooled (one analysis per trial, the latest, chosen by
``meta.select``) and a dated snapshot is stored with the reason each record was used or set
aside. Killed at any point, the store is left as it was before the update.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

import sqlalchemy as sa

from ..errors import MetaboleroError
from ..meta.select import ReviewConfig, candidates_from_extraction, trial_key
from ..records import Document, Extraction, Ratio
from .snapshots import repool
from .store import Store, conflicts, documents, dumps, duplicates, now_iso, records, runs, trial_aliases, trials

CHUNK = 500                                  # documents per round trip of look-ups and inserts
_NCT = re.compile(r"\bNCT\d{8}\b", re.I)


# --------------------------------------------------------------------------- fault injection
def _fault(stage: str) -> None:
    """Die or pause at ``stage`` when $METABOLERO_REVIEW_FAULT says so (tests of atomicity/locking).

    The variable holds ``STAGE:kill`` (SIGKILL this process, as a crash would)
    or ``STAGE:wait=FILE`` (pause until FILE exists); stages: locked, documents, pooled,
    committing (all inside the update's transaction) and committed (after it).
    """
    spec = os.environ.get("METABOLERO_REVIEW_FAULT")
    if not spec:
        return
    where, _, what = spec.partition(":")
    if where != stage:
        return
    if what == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif what.startswith("wait="):
        # Hold on until the named file exists (at most two minutes): the test decides when.
        flag, deadline = Path(what.split("=", 1)[1]), time.monotonic() + 120
        while not flag.exists() and time.monotonic() < deadline:
            time.sleep(0.02)


# --------------------------------------------------------------------------- identities
def content_hash(doc: Document) -> str:
    """Return the SHA-256 (hex) of the document's text with whitespace runs collapsed."""
    text = " ".join(doc.text.split())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalise_doi(doi: Optional[str]) -> Optional[str]:
    """Return the DOI lower-cased without a resolver prefix, or None."""
    if not doi:
        return None
    d = doi.strip().lower()
    d = re.sub(r"^(https?://)?(dx\.)?doi\.org/|^doi:\s*", "", d)
    return d or None


def normalise_pmid(pmid) -> Optional[str]:
    """Return the PMID as a digit string, or None."""
    if pmid is None:
        return None
    digits = re.sub(r"\D", "", str(pmid))
    return digits.lstrip("0") or None


def trial_names(doc: Document, ext: Extraction) -> tuple[list[str], list[str]]:
    """Return (acronyms, NCT numbers) naming the trial(s) of a document, in order of appearance."""
    acronyms, ncts = [], []
    for name in list(ext.study.trials) + list(doc.trials):
        if _NCT.fullmatch(name.strip()):
            ncts.append(name.strip().upper())
        elif name.strip() and name not in acronyms:
            acronyms.append(name.strip())
    for n in ext.study.nct_ids:
        ncts.append(n.strip().upper())
    return acronyms, list(dict.fromkeys(ncts))


# --------------------------------------------------------------------------- records
def review_reasons(record, experimental: Optional[str] = None) -> list[str]:
    """Return why a reviewer should check this ratio or median (empty: nothing stands out).

    ``experimental`` is the ratio's experimental arm as pooling will see it (named in the
    sentence or taken from the study's arms).
    """
    reasons = [f"{f.code}: {f.message}" for f in record.flags]
    if record.value is None:
        reasons.append("no value")
    if isinstance(record, Ratio):
        if record.ci_low is None or record.ci_high is None:
            reasons.append("no confidence interval")
        if record.endpoint in (None, "OTHER"):
            reasons.append("endpoint not recognised")
        if not (experimental or record.experimental_arm):
            reasons.append("experimental arm unknown (drug class cannot be told)")
        if record.method != "reported":
            reasons.append(f"derived value ({record.method}), not read from the text")
    else:
        if record.endpoint in (None, "OTHER"):
            reasons.append("endpoint not recognised")
        if record.unit is None and not record.not_reached:
            reasons.append("no time unit")
    return reasons


def _base_key(record) -> str:
    if isinstance(record, Ratio):
        return f"ratio|{record.measure}|{record.endpoint}|{(record.qualifier or '').lower()}"
    return f"median|{record.endpoint}|{record.arm_role or (record.arm or '').lower()}|{(record.qualifier or '').lower()}"


def _values(payload: dict) -> tuple:
    """The figures a reviewer vouches for; a re-extraction differing in these is a conflict."""
    keys = ("value", "ci_low", "ci_high", "p_value", "p_relation", "measure", "endpoint",
            "unit", "not_reached")
    return tuple(payload.get(k) for k in keys)


def record_rows(ext: Extraction, doc: Document) -> list[dict]:
    """Return the store rows (without ids) of an extraction's ratios and medians."""
    cands = candidates_from_extraction(ext, doc.text)
    seen: dict[str, int] = {}
    rows = []
    for i, rec in enumerate(list(ext.ratios) + list(ext.medians)):
        base = _base_key(rec)
        n = seen[base] = seen.get(base, -1) + 1
        reasons = review_reasons(rec, cands[i].experimental if isinstance(rec, Ratio) else None)
        row = dict(
            kind="ratio" if isinstance(rec, Ratio) else "median",
            rkey=f"{base}|{n}"[:255],
            endpoint=rec.endpoint, value=rec.value, ci_low=rec.ci_low, ci_high=rec.ci_high,
            qualifier=rec.qualifier, quote=rec.quote, payload=dumps(rec.to_dict()),
            status="extracted", needs_review=bool(reasons), review_reasons="; ".join(reasons) or None,
            active=True, measure=None, p=None, experimental=None, control=None, stage=None,
        )
        if isinstance(rec, Ratio):
            c = cands[i]
            row.update(measure=rec.measure, p=rec.p, experimental=c.experimental, control=c.control, stage=c.stage)
        else:
            row.update(experimental=rec.arm)
        rows.append(row)
    return rows


def _trial_name(acronyms: list[str], ncts: list[str], doc_key: str) -> str:
    """Return the display name of a new trial: its first acronym, else NCT number, else the document."""
    return (acronyms[0] if acronyms else (ncts[0] if ncts else f"{doc_key} (no trial name)"))[:240]


def _alias_keys(acronyms: list[str], ncts: list[str]) -> list[str]:
    """Return the trial_aliases keys of a document: NCT numbers first (the surer identity), then acronym keys."""
    keys = [n.upper() for n in ncts] + [trial_key(a) for a in acronyms]
    return [k for k in dict.fromkeys(keys) if k]


# --------------------------------------------------------------------------- report object
@dataclass
class UpdateReport:
    """What an update did: counts, new studies, duplicates, conflicts and pooled changes."""

    run_id: Optional[int] = None
    started_at: str = ""
    extractor_version: Optional[str] = None
    new_documents: list[dict] = field(default_factory=list)      # doc_key, title, trial, n_records
    new_trials: list[str] = field(default_factory=list)
    merged_trials: list[str] = field(default_factory=list)       # "A into B (document naming both)"
    renamed_trials: list[str] = field(default_factory=list)      # "NCT... -> ACRONYM"
    linked: list[str] = field(default_factory=list)              # trial names and metadata learnt from duplicates
    duplicates: list[dict] = field(default_factory=list)         # source, reason
    unchanged: int = 0                                           # already in the store, same extractor
    reextracted: list[str] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)           # source, reason
    n_records: int = 0
    n_needs_review: int = 0
    analyses: list = field(default_factory=list)                 # snapshots.AnalysisChange per analysis
    report_dir: Optional[Path] = None

    @property
    def changed(self) -> bool:
        """True when the update wrote anything to the store."""
        return self.run_id is not None

    def to_markdown(self) -> str:
        """Return the change report as Markdown text."""
        from .report import change_markdown

        return change_markdown(self)

    def summary_frame(self):
        """Return the pooled estimates before and after the update as a pandas DataFrame (ratio scale)."""
        from .report import changes_frame

        return changes_frame(self)


# --------------------------------------------------------------------------- the update
def _default_extract() -> tuple[Callable[[Document], Extraction], Optional[str]]:
    """Return (extract function, extractor version): the batch pipeline's per-document extraction."""
    import importlib

    from ..pipeline import extract_document

    # The package, not the function metabolero re-exports under the same name.
    extract_module = importlib.import_module("metabolero.extract")

    # A PDF's results tables and digitised KM figures are added as the main job does.
    return extract_document, getattr(extract_module, "EXTRACTOR_VERSION", None)


def update_documents(store: Store, config: ReviewConfig, items: Iterable, *,
                     extract: Optional[Callable[[Document], Extraction]] = None,
                     extractor_version: Optional[str] = None) -> UpdateReport:
    """Add documents to the store and re-pool, all in one transaction; return the UpdateReport.

    ``items`` yields Documents (anything else with ``path`` and ``reason`` is an ingest
    failure, reported). ``extract`` defaults to ``metabolero.extract.extract``; the
    extractor version is taken from each Extraction (else ``extractor_version``). A
    document already stored from the same extractor version is left alone; from another
    version it is re-extracted, and reviewed records keep their values (differences become
    conflicts). When no document is new and no pooled result moved, the transaction is
    rolled back and ``report.changed`` is False.
    """
    if extract is None:
        extract, default_version = _default_extract()
        extractor_version = extractor_version or default_version
    report = UpdateReport(started_at=now_iso(), extractor_version=extractor_version)
    try:
        _write_update(store, config, items, report, extract, extractor_version)
    except _NothingNew:
        pass
    _fault("committed")
    return report


class _NothingNew(Exception):
    """Raised inside the update transaction to roll it back when nothing was added."""


def _write_update(store, config, items, report, extract, extractor_version) -> None:
    with store.write() as conn:
        _fault("locked")
        run_id = conn.execute(runs.insert().values(
            started_at=report.started_at, extractor_version=extractor_version,
            n_new=0, n_duplicates=0, n_reextracted=0, n_failed=0)).inserted_primary_key[0]
        batch = _Batch(conn, run_id, report, extract, extractor_version)
        for chunk in _chunks(items, CHUNK):
            batch.add(chunk)
        _fault("documents")
        wrote = bool(report.new_documents or report.reextracted or report.duplicates or report.linked)
        # With no new documents a snapshot is still due when the pooled results moved (an
        # edited configuration); otherwise the update rolls back and says nothing changed.
        report.analyses = repool(conn, config, run_id=run_id, only_if_changed=not wrote)
        if not wrote and not any(a.changed for a in report.analyses):
            raise _NothingNew
        _fault("pooled")
        report.run_id = run_id
        conn.execute(runs.update().where(runs.c.id == run_id).values(
            finished_at=now_iso(), extractor_version=report.extractor_version,
            n_new=len(report.new_documents), n_duplicates=len(report.duplicates),
            n_reextracted=len(report.reextracted), n_failed=len(report.failures),
            report=report.to_markdown()))
        _fault("committing")


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk = []
    for it in items:
        chunk.append(it)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Batch:
    """Per-update state: what this update has already added (grows with the update, not the store).

    Each chunk is classified document by document (stored, duplicate, new), new documents are
    extracted, and then the chunk's trials, documents, records and duplicate notes are
    written with one statement per table, so the cost per document stays flat.
    """

    def __init__(self, conn, run_id, report: UpdateReport, extract, extractor_version):
        self.conn = conn
        self.run_id = run_id
        self.report = report
        self.extract = extract
        self.extractor_version = extractor_version
        self.hashes: dict[str, Optional[int]] = {}   # content hash -> document id (None until written)
        self.pmids: dict[str, tuple[str, str]] = {}  # PMID -> (content hash, doc key), this update
        self.dois: dict[str, tuple[str, str]] = {}
        self.aliases: dict[str, int] = {}            # alias -> trial id, looked up or added by this update
        self.trial_names: dict[int, str] = {}
        self.names: set[str] = set()                 # trial names created by this update
        self.merged: dict[int, int] = {}             # trial id folded into another -> that trial id
        self.taken: set[str] = set()                 # trial names known to exist in the store
        self.free: set[str] = set()                  # trial names known not to (until this update takes them)
        self.alias_rows: list[dict] = []             # new trial_aliases rows, written per chunk

    # ---------------------------------------------------------------- chunk
    def add(self, chunk: list) -> None:
        docs = []
        for it in chunk:
            if isinstance(it, Document):
                docs.append(it)
            else:
                self.report.failures.append({"source": str(getattr(it, "path", it)),
                                             "reason": str(getattr(it, "reason", "not a document"))})
        if not docs:
            return
        hashes = {id(d): content_hash(d) for d in docs}
        known = self._lookup_known(docs, hashes)
        pending: list[tuple[Document, str, Optional[str], Optional[str], Extraction]] = []
        dups: list[dict] = []
        links: list[tuple[tuple, Document]] = []
        for d in docs:
            self._classify(d, hashes[id(d)], known, pending, dups, links)
        self._write(pending, dups)
        self._link(links)
        self._flush_aliases()

    def _lookup_known(self, docs, hashes) -> dict:
        c = self.conn
        hs = list(set(hashes.values()))
        pmids = list({p for p in (normalise_pmid(d.pmid) for d in docs) if p})
        dois = list({x for x in (normalise_doi(d.doi) for d in docs) if x})
        cols = (documents.c.id, documents.c.doc_key, documents.c.content_hash, documents.c.pmid,
                documents.c.doi, documents.c.extractor_version)
        known = {"hash": {}, "dup": set(), "pmid": {}, "doi": {}}
        for r in c.execute(sa.select(*cols).where(documents.c.content_hash.in_(hs))):
            known["hash"][r.content_hash] = r
        known["dup"] = set(c.execute(sa.select(duplicates.c.content_hash)
                                     .where(duplicates.c.content_hash.in_(hs))).scalars())
        if pmids:
            for r in c.execute(sa.select(*cols).where(documents.c.pmid.in_(pmids))):
                known["pmid"][r.pmid] = r
        if dois:
            for r in c.execute(sa.select(*cols).where(documents.c.doi.in_(dois))):
                known["doi"][r.doi] = r
        return known

    def _classify(self, d: Document, h: str, known: dict, pending: list, dups: list, links: list) -> None:
        source = d.source or d.id
        stored = known["hash"].get(h)
        if stored is not None:
            links.append((("id", stored.id), d))
            version = self.report.extractor_version
            if version is not None and stored.extractor_version != version and h not in self.hashes:
                self._reextract(d, stored)
                self.hashes[h] = stored.id
            else:
                self.report.unchanged += 1
            return
        if h in known["dup"]:
            self.report.unchanged += 1
            return
        if h in self.hashes:
            links.append((("hash", h), d))
            self.report.duplicates.append({"source": source, "reason": "same text as another document of this update"})
            return
        pmid, doi = normalise_pmid(d.pmid), normalise_doi(d.doi)
        target = None                    # ("id", document id) or ("hash", content hash of this update)
        if pmid and pmid in known["pmid"]:
            r = known["pmid"][pmid]
            target, why = ("id", r.id), f"same PMID {pmid} as {r.doc_key}"
        elif pmid and pmid in self.pmids:
            target, why = ("hash", self.pmids[pmid][0]), f"same PMID {pmid} as {self.pmids[pmid][1]}"
        elif doi and doi in known["doi"]:
            r = known["doi"][doi]
            target, why = ("id", r.id), f"same DOI {doi} as {r.doc_key}"
        elif doi and doi in self.dois:
            target, why = ("hash", self.dois[doi][0]), f"same DOI {doi} as {self.dois[doi][1]}"
        if target is not None:
            # Known by its hash from now on, so giving the same file again changes nothing.
            self.hashes[h] = None
            dups.append({"content_hash": h, "target": target, "source": source, "reason": why})
            links.append((target, d))
            self.report.duplicates.append({"source": source, "reason": why})
            return
        try:
            ext = self.extract(d)
        except MetaboleroError as exc:
            # Not stored: a later update (or a fixed extractor) gets another go at it.
            self.report.failures.append({"source": source, "reason": f"extraction failed: {exc}"})
            return
        if ext.extractor_version and not self.report.extractor_version:
            self.report.extractor_version = ext.extractor_version
        self.hashes[h] = None
        if pmid:
            self.pmids[pmid] = (h, d.id)
        if doi:
            self.dois[doi] = (h, d.id)
        pending.append((d, h, pmid, doi, ext))

    # ---------------------------------------------------------------- writes
    def _write(self, pending: list, dups: list) -> None:
        c = self.conn
        if pending:
            names = [trial_names(d, ext) for d, _, _, _, ext in pending]
            self._load_aliases([k for acr, ncts in names for k in _alias_keys(acr, ncts)])
            self._load_names([_trial_name(acr, ncts, d.id) for (d, *_), (acr, ncts) in zip(pending, names)]
                             + [acr[0][:240] for acr, _ in names if acr])
            rows = []
            for (d, h, pmid, doi, ext), (acronyms, ncts) in zip(pending, names):
                trial_id = self._trial_for(acronyms, ncts, d.id)
                rows.append(dict(
                    doc_key=d.id[:255], content_hash=h, pmid=pmid, doi=doi[:255] if doi else None,
                    nct_ids=dumps(ncts), acronyms=dumps(acronyms), title=d.title, journal=d.journal, year=d.year,
                    source=d.source, format=d.format, trial_id=trial_id, run_id=self.run_id,
                    extraction_run_id=self.run_id, extractor_version=ext.extractor_version or self.extractor_version,
                    study=dumps(ext.study.to_dict()), flags=dumps([f.to_dict() for f in ext.flags])))
            for row in rows:                          # a later document of the chunk may have merged trials
                row["trial_id"] = self._current_trial(row["trial_id"])
            self._flush_aliases()
            c.execute(documents.insert(), rows)
            ids = dict(c.execute(sa.select(documents.c.content_hash, documents.c.id)
                                 .where(documents.c.content_hash.in_([r["content_hash"] for r in rows]))).all())
            recs = []
            for (d, h, _, _, ext), row in zip(pending, rows):
                self.hashes[h] = ids[h]
                mine = record_rows(ext, d)
                recs.extend(dict(r, document_id=ids[h], run_id=self.run_id) for r in mine)
                self.report.n_needs_review += sum(r["needs_review"] for r in mine)
                self.report.new_documents.append({"doc_key": d.id, "title": d.title, "year": d.year,
                                                  "trial": self.trial_name(row["trial_id"]), "n_records": len(mine)})
            if recs:
                c.execute(records.insert(), recs)
            self.report.n_records += len(recs)
        if dups:
            c.execute(duplicates.insert(), [
                {"content_hash": x["content_hash"], "source": x["source"], "reason": x["reason"], "run_id": self.run_id,
                 "document_id": x["target"][1] if x["target"][0] == "id" else self.hashes[x["target"][1]]}
                for x in dups])

    def _flush_aliases(self) -> None:
        if self.alias_rows:
            for a in self.alias_rows:
                a["trial_id"] = self._current_trial(a["trial_id"])
            self.conn.execute(trial_aliases.insert(), self.alias_rows)
            self.alias_rows = []

    def _link(self, links: list[tuple[tuple, Document]]) -> None:
        """Learn from duplicates of stored documents what those lack: trial names and metadata.

        The first copy of a publication to arrive is the one stored; a later copy (another
        format, another file) may name the trial or give the year, title or identifiers, and
        these are added, so the store ends the same whatever order the copies came in.
        """
        if not links:
            return
        names = [trial_names(d, Extraction(id=d.id)) for _, d in links]
        self._load_aliases([k for acr, ncts in names for k in _alias_keys(acr, ncts)])
        c = self.conn
        targets = [t[1] if t[0] == "id" else self.hashes.get(t[1]) for t, _ in links]
        rows = {r.id: r for r in c.execute(
            sa.select(documents.c.id, documents.c.doc_key, documents.c.trial_id, documents.c.year, documents.c.title,
                      documents.c.journal, documents.c.pmid, documents.c.doi)
            .where(documents.c.id.in_({t for t in targets if t is not None})))}
        filled: dict[int, set] = {}
        for (_, d), (acronyms, ncts), doc_id in zip(links, names, targets):
            if doc_id is None:
                continue
            row = rows[doc_id]
            # A merge earlier in this loop may have moved the document to another trial.
            current = self._current_trial(row.trial_id)
            done = filled.setdefault(doc_id, set())       # filled by an earlier copy in this chunk
            fill = {k: v for k, v in (("year", d.year), ("title", d.title), ("journal", d.journal))
                    if v and not getattr(row, k) and k not in done}
            for key, value in (("pmid", normalise_pmid(d.pmid)), ("doi", normalise_doi(d.doi))):
                if value and not getattr(row, key) and key not in done and c.execute(
                        sa.select(documents.c.id).where(getattr(documents.c, key) == value)).first() is None:
                    fill[key] = value[:255]
            if fill:
                c.execute(documents.update().where(documents.c.id == doc_id).values(**fill))
                done.update(fill)
                self.report.linked.append(f"{row.doc_key}: {', '.join(sorted(fill))} from {d.source or d.id}")
            keys = _alias_keys(acronyms, ncts)
            if keys and not all(self.aliases.get(k) == current for k in keys):
                added = [k for k in keys if k not in self.aliases]
                trial_id = self._trial_for(acronyms, ncts, d.id, known=current)
                if added:
                    self.report.linked.append(f"{row.doc_key}: trial {self.trial_name(trial_id)} also named "
                                              f"{', '.join(added)} by {d.source or d.id}")

    # ---------------------------------------------------------------- trials
    def _current_trial(self, trial_id: int) -> int:
        while trial_id in self.merged:
            trial_id = self.merged[trial_id]
        return trial_id

    def _load_aliases(self, keys: list[str]) -> None:
        missing = list({k for k in keys if k not in self.aliases})
        if missing:
            for r in self.conn.execute(sa.select(trial_aliases.c.alias, trial_aliases.c.trial_id)
                                       .where(trial_aliases.c.alias.in_(missing))):
                self.aliases[r.alias] = r.trial_id

    def _load_names(self, names: list[str]) -> None:
        """Learn in one query which of these trial names are taken (the rest are free)."""
        ask = list({n for n in names if n not in self.taken and n not in self.free})
        if ask:
            found = set(self.conn.execute(sa.select(trials.c.name).where(trials.c.name.in_(ask))).scalars())
            self.taken |= found
            self.free |= set(ask) - found

    def _trial_for(self, acronyms: list[str], ncts: list[str], doc_key: str, known: Optional[int] = None) -> int:
        """Return the trial id of a document naming these trials (``known``: its trial already),
        creating the trial or merging trials the names show to be one."""
        keys = _alias_keys(acronyms, ncts)
        found = list(dict.fromkeys(([known] if known is not None else [])
                                   + [self.aliases[k] for k in keys if k in self.aliases]))
        if not found:
            name = self._unique_name(_trial_name(acronyms, ncts, doc_key))
            trial_id = self.conn.execute(trials.insert().values(name=name, run_id=self.run_id)).inserted_primary_key[0]
            self.trial_names[trial_id] = name
            self.names.add(name)
            self.free.discard(name)
            self.report.new_trials.append(name)
        else:
            trial_id = min(found)
            for other in found:
                if other != trial_id:
                    self._merge(other, into=trial_id, doc_key=doc_key)
            if acronyms and _NCT.fullmatch(self.trial_name(trial_id)):
                # Known so far only by its registry number: the acronym is the better name.
                name = self._unique_name(acronyms[0][:240])
                self.conn.execute(trials.update().where(trials.c.id == trial_id).values(name=name))
                old_name = self.trial_name(trial_id)
                self.report.renamed_trials.append(f"{old_name} -> {name}")
                self.report.new_trials = [name if n == old_name else n for n in self.report.new_trials]
                self.trial_names[trial_id] = name
                self.names.add(name)
                self.free.discard(name)
                self.taken.discard(old_name)
                self.free.add(old_name)
        for k in keys:
            if k not in self.aliases:
                # Written with the chunk's documents; the cache answers meanwhile.
                self.alias_rows.append({"alias": k, "trial_id": trial_id})
                self.aliases[k] = trial_id
        return trial_id

    def _merge(self, old: int, into: int, doc_key: str) -> None:
        """Fold trial ``old`` into ``into``: a document names both (e.g. by acronym and NCT number)."""
        c = self.conn
        old_name, new_name = self.trial_name(old), self.trial_name(into)
        c.execute(documents.update().where(documents.c.trial_id == old).values(trial_id=into))
        c.execute(trial_aliases.update().where(trial_aliases.c.trial_id == old).values(trial_id=into))
        c.execute(trials.delete().where(trials.c.id == old))
        self.taken.discard(old_name)
        self.names.discard(old_name)
        self.free.add(old_name)
        for k, v in self.aliases.items():
            if v == old:
                self.aliases[k] = into
        self.merged[old] = into
        if old_name in self.report.new_trials:
            self.report.new_trials.remove(old_name)
        self.report.merged_trials.append(f"{old_name} into {new_name} ({doc_key} names both)")

    def _unique_name(self, name: str) -> str:
        # Two trials may share a display name (same acronym in different fields): number the later one.
        i = 1
        while True:
            cand = name if i == 1 else f"{name} [{i}]"
            if cand not in self.names and cand not in self.taken:
                if cand in self.free:
                    return cand
                self._load_names([cand])
                if cand in self.free:
                    return cand
            i += 1

    def trial_name(self, trial_id: int) -> str:
        if trial_id not in self.trial_names:
            self.trial_names[trial_id] = self.conn.execute(
                sa.select(trials.c.name).where(trials.c.id == trial_id)).scalar_one()
        return self.trial_names[trial_id]

    def _reextract(self, d: Document, stored) -> None:
        """Re-extract a stored document with another extractor version; reviewed values stand."""
        try:
            ext = self.extract(d)
        except MetaboleroError as exc:
            self.report.failures.append({"source": d.source or d.id, "reason": f"re-extraction failed: {exc}"})
            return
        version = ext.extractor_version or self.extractor_version
        if version == stored.extractor_version:
            self.report.unchanged += 1
            return
        c = self.conn
        old = {r.rkey: r for r in c.execute(sa.select(records).where(
            records.c.document_id == stored.id, records.c.active.is_(True)))}
        inserts = []
        for row in record_rows(ext, d):
            prev = old.pop(row["rkey"], None)
            if prev is not None and prev.status != "extracted":
                if _values(json.loads(prev.payload)) != _values(json.loads(row["payload"])):
                    self._conflict(prev, row["payload"], version)
                continue
            if prev is not None:
                if prev.payload == row["payload"]:
                    continue
                c.execute(records.update().where(records.c.id == prev.id).values(active=False))
            inserts.append(dict(row, document_id=stored.id, run_id=self.run_id))
        for prev in old.values():
            if prev.status != "extracted":
                self._conflict(prev, None, version)
            else:
                c.execute(records.update().where(records.c.id == prev.id).values(active=False))
        if inserts:
            c.execute(records.insert(), inserts)
            self.report.n_records += len(inserts)
            self.report.n_needs_review += sum(r["needs_review"] for r in inserts)
        c.execute(documents.update().where(documents.c.id == stored.id).values(
            extraction_run_id=self.run_id, extractor_version=version,
            study=dumps(ext.study.to_dict()), flags=dumps([f.to_dict() for f in ext.flags])))
        self.report.reextracted.append(stored.doc_key)

    def _conflict(self, prev, payload: Optional[str], version) -> None:
        self.conn.execute(conflicts.insert().values(
            record_id=prev.id, run_id=self.run_id, extractor_version=version, payload=payload, created_at=now_iso()))
        self.report.conflicts.append({"record_id": prev.id, "status": prev.status,
                                      "kept": json.loads(prev.payload).get("value"),
                                      "new": json.loads(payload).get("value") if payload else None,
                                      "extractor_version": version})


# --------------------------------------------------------------------------- paths
def update_paths(review, paths: Iterable, *, extract: Optional[Callable[[Document], Extraction]] = None,
                 extractor_version: Optional[str] = None, write_report: bool = True) -> UpdateReport:
    """Ingest ``paths`` (files or folders) into an opened Review; return its UpdateReport.

    When the update changed the store, the change report (Markdown and cumulative forest
    plots) is written to ``REVIEW_DIR/updates/<date>-run<N>/``.
    """
    from ..ingest import iter_documents
    from .report import write_change_report

    items = iter_documents([Path(p) for p in paths])
    report = update_documents(review.store, review.config, items, extract=extract,
                              extractor_version=extractor_version)
    if report.changed and write_report:
        write_change_report(report, review.path)
    return report
