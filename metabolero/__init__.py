"""metabolero: evidence synthesis from publications.

ingest -> extract -> (km) -> meta -> review/report. See README.md.
"""
__version__ = "0.1.0"

from .errors import MetaboleroError  # noqa: F401


def extract(text_or_document, **kwargs):
    """Return the ``Extraction`` (ratios, medians, study facts) of a text or Document."""
    from .extract import extract as _extract

    return _extract(text_or_document, **kwargs)


__all__ = ["__version__", "extract", "MetaboleroError"]
