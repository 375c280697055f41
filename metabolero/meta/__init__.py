"""Meta-analysis engine: effect derivation, pooling that agrees with R metafor, heterogeneity, bias, plots.

``pool(yi, sei, method="REML", hksj=False, ...)`` is the entry point; see ``PoolResult``.
"""
from ._core import METHODS
from .effects import (Derived, derive_from_ratio, from_ci, from_events, from_events_per_arm, from_ipd,
                      from_medians, from_o_minus_e, from_p, from_p_bound, log_or_from_counts, log_rr_from_counts)
from .batch import pool_many
from .moderators import MetaRegResult, SubgroupResult, metareg, subgroup
from .pooling import FIELDS, PoolResult, TrimFillResult, pool, trimfill

__all__ = [
    "FIELDS", "METHODS", "PoolResult", "TrimFillResult", "pool", "pool_many", "trimfill",
    "MetaRegResult", "SubgroupResult", "metareg", "subgroup",
    "Derived", "derive_from_ratio", "from_ci", "from_p", "from_p_bound", "from_events", "from_events_per_arm",
    "from_o_minus_e", "from_ipd", "from_medians", "log_or_from_counts", "log_rr_from_counts",
]
