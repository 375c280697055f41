"""The ``metabolero`` command: a thin shell over the library.

``main(argv)`` is callable from tests and returns the exit status.
Each subcommand has one ``_add_<name>`` (arguments) and one ``_cmd_<name>`` (action).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .errors import MetaboleroError


def _err(msg: str) -> None:
    print(f"metabolero: error: {msg}", file=sys.stderr)


# --------------------------------------------------------------------------- extract
def _add_extract(sub):
    p = sub.add_parser("extract", help="extract ratios, medians and study facts from documents")
    p.add_argument("paths", nargs="+", type=Path, help="files or folders (text, PubMed page, MEDLINE, PubMed XML, PDF)")
    p.add_argument("--jsonl", type=Path, required=True, help="write one JSON object per document here ('-' for stdout)")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")


def _cmd_extract(args) -> int:
    from .pipeline import extract_paths

    return extract_paths(args.paths, args.jsonl, progress=not args.quiet)


# --------------------------------------------------------------------------- review (main job)
def _add_review(sub):
    p = sub.add_parser("review", help="the main job: ingest a corpus, extract, pool, and write reports")
    p.add_argument("corpus", type=Path, help="folder of documents")
    p.add_argument("--out", type=Path, default=Path("reports"), help="output folder (default: reports/)")
    p.add_argument("--config", type=Path, default=None,
                   help="review configuration (TOML); default: CORPUS/review.toml if present")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")


def _cmd_review(args) -> int:
    from .report.job import run_review

    return run_review(args.corpus, args.out, config_path=args.config, progress=not args.quiet)


# --------------------------------------------------------------------------- pool (meta-analysis)
def _add_pool(sub):
    p = sub.add_parser("pool", help="meta-analyse a table of effects (evidence table or study,yi,sei CSV)")
    p.add_argument("table", type=Path)
    p.add_argument("--method", default="REML", help="tau² estimator: EE, DL, REML, ML, PM, HS, SJ, HE, EB")
    p.add_argument("--hksj", action="store_true", help="Knapp-Hartung adjustment")
    p.add_argument("--endpoint", default=None, help="pool only rows of this endpoint (evidence tables)")
    p.add_argument("--json", action="store_true", help="print one JSON object with every figure")
    p.add_argument("--plots", type=Path, default=None, help="folder for forest and funnel plots")
    p.add_argument("--stepadj", type=float, default=None,
                   help="step length of the REML/ML/EB Fisher scoring (default 0.5; metafor's own default is 1)")


def _cmd_pool(args) -> int:
    from .meta.cli import run_pool

    return run_pool(args)


# --------------------------------------------------------------------------- km
def _add_km(sub):
    p = sub.add_parser("km", help="Kaplan-Meier reconstruction and analysis")
    ksub = p.add_subparsers(dest="km_command", required=True)
    r = ksub.add_parser("reconstruct", help="pseudo-IPD from a digitised curve and numbers at risk (Guyot 2012)")
    r.add_argument("--curve", type=Path, required=True, help="CSV with columns time,survival")
    r.add_argument("--at-risk", type=Path, required=True, help="CSV with columns time,n_at_risk")
    r.add_argument("--events", type=int, default=None, help="total number of events, if reported")
    r.add_argument("--out", type=Path, required=True, help="IPD CSV to write (time,event)")


def _cmd_km(args) -> int:
    from .km.cli import run_km

    return run_km(args)


# --------------------------------------------------------------------------- living review
def _add_living(sub):
    p = sub.add_parser("init", help="create a living review project")
    p.add_argument("review_dir", type=Path)
    p.add_argument("--db", default=None, help="database URL (default: SQLite file inside REVIEW_DIR)")
    p = sub.add_parser("update", help="add new documents to a living review, re-pool, report changes")
    p.add_argument("review_dir", type=Path)
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--db", default=None)
    p.add_argument("--quiet", action="store_true")
    p = sub.add_parser("verify", help="export records needing verification, or import corrections")
    p.add_argument("review_dir", type=Path)
    p.add_argument("--export", type=Path, default=None, help="write records needing review to this CSV")
    p.add_argument("--import", dest="import_csv", type=Path, default=None, help="read corrections from this CSV")
    p.add_argument("--db", default=None)
    p = sub.add_parser("status", help="counts and latest pooled results of a living review")
    p.add_argument("review_dir", type=Path)
    p.add_argument("--db", default=None)


def _cmd_living(args) -> int:
    from .review.cli import run_living

    return run_living(args)


_COMMANDS = {
    "extract": _cmd_extract,
    "review": _cmd_review,
    "pool": _cmd_pool,
    "km": _cmd_km,
    "init": _cmd_living,
    "update": _cmd_living,
    "verify": _cmd_living,
    "status": _cmd_living,
}


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``metabolero`` command."""
    parser = argparse.ArgumentParser(prog="metabolero", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"metabolero {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for add in (_add_extract, _add_review, _add_pool, _add_km, _add_living):
        add(sub)
    return parser


def main(argv=None) -> int:
    """Run the command line; return the exit status (0 ok, 1 some input failed, 2 usage/error)."""
    args = build_parser().parse_args(argv)
    try:
        return int(_COMMANDS[args.command](args) or 0)
    except MetaboleroError as exc:
        _err(str(exc))
        return 2
    except OSError as exc:  # an output path that is a folder, a full disk, no permission
        _err(f"{exc.filename or ''}: {exc.strerror or exc}")
        return 2
    except KeyboardInterrupt:
        _err("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
