"""metabolero.review: the living review (a persistent evidence store updated as papers appear).

Workflow (``metabolero`` command)::

    metabolero init REVIEW_DIR [--db postgresql://user@host/db]   # review.toml + store (SQLite by default)
    metabolero update REVIEW_DIR PATH...                           # new documents -> records -> snapshot
    metabolero verify REVIEW_DIR --export check.csv                # records needing a reviewer, with quotes
    metabolero verify REVIEW_DIR --import check.csv                # decisions: verified / corrected / rejected
    metabolero status REVIEW_DIR                                   # counts and latest pooled results

Each update runs in one transaction under the store's write lock (SQLite ``BEGIN
IMMEDIATE``, PostgreSQL advisory lock) and writes its change report to
``REVIEW_DIR/updates/<date>-run<N>/`` (Markdown, cumulative forest plots).

Python: ``init_review`` / ``open_review`` give a Review (folder, configuration, store);
``update_paths`` / ``update_documents`` add documents and re-pool; ``export_csv`` /
``import_csv`` carry human verification; ``review_status`` counts.
"""
from .project import Review, init_review, open_review
from .status import Status, review_status
from .store import SCHEMA_VERSION, Store, open_store
from .update import UpdateReport, update_documents, update_paths
from .verify import ImportResult, export_csv, import_csv

__all__ = [
    "Review", "init_review", "open_review", "Status", "review_status", "SCHEMA_VERSION", "Store", "open_store",
    "UpdateReport", "update_documents", "update_paths", "ImportResult", "export_csv", "import_csv",
]
