"""The living-review subcommands: ``init``, ``update``, ``verify`` and ``status``."""
from __future__ import annotations

import sys

from ..errors import ConfigError


def run_living(args) -> int:
    """Run one living-review subcommand from parsed arguments; return the exit status.

    ``update`` returns 1 when some source failed (the rest is stored), else 0.
    """
    from .project import init_review, open_review

    if args.command == "init":
        review = init_review(args.review_dir, db=args.db)
        try:
            upgraded = review.store.upgraded_from
            print(f"review ready in {args.review_dir} (configuration {args.review_dir / 'review.toml'}, "
                  f"store {review.store!r}, schema version {review.store.schema_version()}"
                  + (f", upgraded from {upgraded}" if upgraded is not None else "") + ")")
        finally:
            review.close()
        return 0
    review = open_review(args.review_dir, db=args.db)
    if review.store.upgraded_from is not None:
        print(f"metabolero: upgraded the review store from schema version {review.store.upgraded_from} "
              f"to {review.store.schema_version()}", file=sys.stderr)
    review.store.on_wait = lambda msg: print(f"metabolero: {msg}", file=sys.stderr, flush=True)
    try:
        if args.command == "update":
            return _update(review, args)
        if args.command == "verify":
            return _verify(review, args)
        if args.command == "status":
            from .status import review_status

            print(review_status(review.store).summary())
            return 0
    finally:
        review.close()
    raise ConfigError(f"unknown living-review command {args.command!r}")


def _update(review, args) -> int:
    from .update import update_paths

    report = update_paths(review, args.paths)
    if not args.quiet or report.failures:
        text = report.to_markdown()
        if report.report_dir is not None:
            text += f"\nchange report: {report.report_dir / 'report.md'}\n"
        print(text)
    return 1 if report.failures else 0


def _verify(review, args) -> int:
    from .verify import export_csv, import_csv

    if args.export is None and args.import_csv is None:
        raise ConfigError("verify: give --export FILE.csv (records needing review) or --import FILE.csv (decisions)")
    if args.import_csv is not None:
        res = import_csv(review.store, args.import_csv, review.config)
        print(f"imported {args.import_csv}: {res.summary()}")
    if args.export is not None:
        n = export_csv(review.store, args.export)
        print(f"wrote {n} record(s) needing verification to {args.export}", file=sys.stdout)
    return 0
