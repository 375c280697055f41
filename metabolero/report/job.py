"""The main job: corpus -> evidence table, pooled analyses, forest plots and one HTML report."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

from ..meta.analyses import AnalysisResult, run_analyses
from ..meta.select import ReviewConfig, candidates_from_extraction, load_config
from ..pipeline import Extracted, Failure, Progress, iter_extractions, print_failures
from .html import write_html
from .tables import evidence_rows, write_evidence


def _config(corpus: Path, config_path: Optional[Path]) -> ReviewConfig:
    if config_path is not None:
        return load_config(config_path)
    default = corpus / "review.toml"
    if default.exists():
        return load_config(default)
    print(f"metabolero: no review configuration ({default} absent): evidence table only, no pooling",
          file=sys.stderr)
    return ReviewConfig()


def _plots(results: list[AnalysisResult], out: Path) -> dict[str, Path]:
    """Write forest plots (SVG and PNG) for pooled analyses; return {analysis name: SVG path}."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    paths = {}
    for r in results:
        if r.result is None or len(r.studies) < 2:
            continue
        fig = r.result.plot_forest()
        svg, png = out / f"forest-{r.slug}.svg", out / f"forest-{r.slug}.png"
        fig.savefig(svg, bbox_inches="tight")
        fig.savefig(png, dpi=150, bbox_inches="tight")
        plt.close(fig)
        paths[r.analysis.name] = svg
    return paths


def run_review(corpus: Path, out: Path, config_path: Optional[Path] = None, progress: bool = True) -> int:
    """Run the main job; write reports into ``out``; return 0, or 1 when any file failed."""
    corpus, out = Path(corpus), Path(out)
    config = _config(corpus, config_path)
    out.mkdir(parents=True, exist_ok=True)
    prog = Progress(progress)
    if progress:
        print(f"metabolero review: reading {corpus}", file=sys.stderr)
    items, failures = [], []
    candidates = []
    for item in iter_extractions([corpus]):
        if isinstance(item, Failure):
            failures.append(item)
            print(f"metabolero: {item.path}: {item.reason}", file=sys.stderr)
            prog.step(False)
            continue
        assert isinstance(item, Extracted)
        items.append((item.document, item.extraction))
        candidates.extend(candidates_from_extraction(item.extraction, item.document.text))
        prog.step(True, item.document.id)
    table = evidence_rows(items)
    paths = write_evidence(table, items, out)
    results = run_analyses(candidates, config)
    plots = _plots(results, out)
    dicts = []
    for r in results:
        d = r.to_dict()
        d["level"] = config.pooling.level
        dicts.append(d)
    (out / "pooled.json").write_text(json.dumps(dicts, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    report = write_html(out / "report.html", title=config.title, question=config.question, analyses=dicts,
                        plots=plots, table=table, failures=failures, n_documents=len(items))
    _summary(items, table, results, failures, [paths["csv"], paths["jsonl"], out / "pooled.json", report], prog)
    return 1 if failures else 0


def _summary(items, table, results, failures, written, prog) -> None:
    import math

    n_ratio = int((table["record"] == "ratio").sum()) if len(table) else 0
    n_median = int((table["record"] == "median").sum()) if len(table) else 0
    print(f"\nmetabolero review: {len(items)} documents, {n_ratio} ratios, {n_median} medians "
          f"in {prog.seconds:.1f} s; {len(failures)} failed")
    for r in results:
        if r.result is not None and len(r.studies) >= 2:
            p = r.result.to_dict()
            print(f"  {r.analysis.name}: HR {math.exp(p['estimate']):.3f} "
                  f"({math.exp(p['ci_low']):.3f}-{math.exp(p['ci_high']):.3f}), k={len(r.studies)}, "
                  f"I2={p['I2']:.0f}%, {len(r.set_aside)} set aside")
        else:
            print(f"  {r.analysis.name}: {r.message or 'not pooled'} (k={len(r.studies)})")
    print("wrote " + ", ".join(str(p) for p in written))
    print_failures(failures)
