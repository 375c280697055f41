"""metabolero.review: the living review (a persistent evidence store updated as papers appear).

``init_review`` / ``open_review`` give a Review (folder, configuration, store);
``update_paths`` / ``update_documents`` add documents and re-pool in one transaction;
``export_csv`` / ``import_csv`` carry human verification; ``review_status`` counts.
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
