"""metabolero: evidence synthesis from publications.

ingest -> extract -> (km) -> meta -> review/report. See README.md.
"""
__version__ = "0.1.0"

from .errors import MetaboleroError  # noqa: E402,F401

# Bound after the subpackage is imported, so the name ``metabolero.extract`` is the function
# (importing further ``metabolero.extract.*`` modules later does not rebind it).
from .extract import extract  # noqa: E402,F401

__all__ = ["__version__", "extract", "MetaboleroError"]
