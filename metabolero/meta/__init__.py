"""Meta-analysis engine: effect derivation, pooling that agrees with R metafor, heterogeneity, bias, plots.

``pool(yi, sei, method="REML", hksj=False, ...)`` is the entry point; see ``PoolResult``.
"""
from .pooling import FIELDS, PoolResult, TrimFillResult, pool, trimfill
from ._core import METHODS

__all__ = ["FIELDS", "METHODS", "PoolResult", "TrimFillResult", "pool", "trimfill"]
