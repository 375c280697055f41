"""Evidence records: small frozen dataclasses that keep the raw text beside each number.

Every record serialises to a plain JSON-able dict with ``to_dict()`` and back with
``from_dict()``; ``records_frame()`` gives a pandas view of a list of records.
The JSON field names of ``Ratio`` and ``Median`` are those of ``shared/gold/SCHEMA.md``.
"""
from __future__ import annotations

import dataclasses
import functools
import json
import math
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from .errors import RecordError

MEASURES = ("HR", "OR", "RR")
P_RELATIONS = ("=", "<", ">", "<=", ">=")
ARM_ROLES = ("experimental", "control")
UNITS = ("days", "weeks", "months", "years")
ENDPOINTS = (
    "OS", "PFS", "DFS", "iDFS", "EFS", "RFS", "DMFS", "MFS", "TTP", "TTF", "DOR",
    "CSS", "PFS2", "FOLLOWUP", "RESPONSE", "MACE", "OTHER",
)


# --------------------------------------------------------------------------- helpers
def _to_jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return value.to_dict()
    if isinstance(value, (list, tuple)):
        return [_to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _to_jsonable(v) for k, v in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _resolve_hint(hint: Any) -> Any:
    """Strip Optional[...] so that nested record types can be rebuilt."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1:
            return _resolve_hint(args[0])
    return hint


def _from_jsonable(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    hint = _resolve_hint(hint)
    origin = typing.get_origin(hint)
    if isinstance(hint, type) and issubclass(hint, _Record):
        return hint.from_dict(value)
    if origin is tuple:
        args = typing.get_args(hint)
        inner = args[0] if args else Any
        return tuple(_from_jsonable(inner, v) for v in value)
    return value


@functools.lru_cache(maxsize=None)
def _type_hints(cls) -> dict:
    # typing.get_type_hints re-evaluates every annotation on each call; stores decode records by
    # the hundred thousand, so the (immutable) hints of each class are resolved once.
    return typing.get_type_hints(cls)


class _Unset:
    def __repr__(self) -> str:
        return "<factory>"


_UNSET = _Unset()  # the default of a field with a default_factory


def _direct_init(cls):
    """Give a frozen record an ``__init__`` that stores the fields in the instance dict directly.

    The ``__init__`` that dataclasses writes for a frozen class sets each field through
    ``object.__setattr__``, which doubles the cost of building a record, and extraction builds
    tens of records per document. Same parameters, defaults and ``__post_init__`` validation.
    Also gives the class a static ``build`` with the same parameters that returns a new record
    (extraction's hot paths use it; a subclass not decorated itself has no ``build``: see ``_Record``).
    """
    ns: dict = {"_UNSET": _UNSET, "__name__": cls.__module__}
    params, stores = [], []
    for f in dataclasses.fields(cls):
        # the generated __init__ knows plain positional-or-keyword fields only
        if not f.init or f.kw_only or "__slots__" in cls.__dict__:
            raise TypeError(f"_direct_init: {cls.__name__}.{f.name} is init=False, keyword-only or slotted; "
                            "expected plain fields (use the dataclass __init__ for this record)")
        if f.default is not dataclasses.MISSING:
            ns["_dflt_" + f.name] = f.default
            params.append(f"{f.name}=_dflt_{f.name}")
            stores.append(f"d[{f.name!r}] = {f.name}")
        elif f.default_factory is not dataclasses.MISSING:
            ns["_make_" + f.name] = f.default_factory
            params.append(f"{f.name}=_UNSET")
            stores.append(f"d[{f.name!r}] = _make_{f.name}() if {f.name} is _UNSET else {f.name}")
        else:
            params.append(f.name)
            stores.append(f"d[{f.name!r}] = {f.name}")
    if hasattr(cls, "__post_init__"):
        stores.append("self.__post_init__()")
    body = "".join(f"    {x}\n" for x in stores)
    src = (f"def __init__(self, {', '.join(params)}):\n    d = self.__dict__\n{body}"
           f"def build({', '.join(params)}):\n    self = _new(_cls)\n    d = self.__dict__\n{body}    return self\n")
    ns["_new"], ns["_cls"] = object.__new__, cls
    exec(src, ns)
    ns["__init__"].__qualname__ = f"{cls.__qualname__}.__init__"
    ns["build"].__qualname__ = f"{cls.__qualname__}.build"
    ns["build"].__doc__ = (f"``{cls.__name__}.build(...)`` is ``{cls.__name__}(...)``, cheaper to call: in CPython 3.11 "
                           "a class call passes its keyword arguments through a dict, a function call does not.")
    cls.__init__ = ns["__init__"]
    cls.build = staticmethod(ns["build"])
    return cls


def _no_build(*args, **kwargs):
    raise TypeError("this record class has no build(): decorate it with records._direct_init, or call the class")


class _Record:
    """Mixin: JSON round trip for frozen dataclasses (nested records and tuples)."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # an inherited build() would make the parent class; _direct_init gives each decorated class its own
        cls.build = staticmethod(_no_build)

    def to_dict(self) -> dict:
        """Return a JSON-serialisable dict of this record (nested records as dicts)."""
        return {f.name: _to_jsonable(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def from_dict(cls, data: dict):
        """Rebuild the record from ``to_dict()`` output; unknown keys raise RecordError."""
        if not isinstance(data, dict):
            raise RecordError(f"{cls.__name__}: expected a JSON object, got {type(data).__name__}")
        hints = _type_hints(cls)
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - names
        if unknown:
            raise RecordError(f"{cls.__name__}: unknown field(s) {sorted(unknown)}; expected some of {sorted(names)}")
        kwargs = {k: _from_jsonable(hints[k], v) for k, v in data.items()}
        try:
            return cls(**kwargs)
        except TypeError as exc:
            raise RecordError(f"{cls.__name__}: {exc}") from exc

    def to_json(self) -> str:
        """Return the record as one line of JSON."""
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str):
        """Rebuild the record from ``to_json()`` output."""
        return cls.from_dict(json.loads(text))


# --------------------------------------------------------------------------- provenance
@_direct_init
@dataclass(frozen=True)
class Span(_Record):
    """Where a value came from: ``quote == document.text[start:end]``.

    For PDF sources ``page`` (1-based) and ``bbox`` (x0, top, x1, bottom in PDF points)
    locate the quote on the page as well.
    """

    doc_id: str
    start: int
    end: int
    quote: str
    page: Optional[int] = None
    bbox: Optional[tuple[float, ...]] = None

    def __post_init__(self):
        if self.start < 0 or self.end < self.start:
            raise RecordError(f"Span of {self.doc_id!r}: start={self.start}, end={self.end}; expected 0 <= start <= end")


@_direct_init
@dataclass(frozen=True)
class Flag(_Record):
    """A consistency-check finding on a record.

    ``code`` is a short machine name (e.g. ``ci_excludes_estimate``, ``p_mismatch``);
    ``recomputed`` holds the value the check computed (e.g. the implied p-value), if any.
    """

    code: str
    message: str
    recomputed: Optional[float] = None


@_direct_init
@dataclass(frozen=True)
class Section(_Record):
    """A labelled part of a document's text: ``text[start:end]``; label e.g. 'RESULTS'."""

    name: str
    start: int
    end: int


# --------------------------------------------------------------------------- documents
@_direct_init
@dataclass(frozen=True)
class Document(_Record):
    """One publication as read: metadata plus the text that extraction runs on."""

    id: str
    text: str
    source: Optional[str] = None          # file path (and record index for multi-record files)
    format: Optional[str] = None          # pubmed_page, medline, pubmed_xml, text, pdf
    title: Optional[str] = None
    journal: Optional[str] = None
    year: Optional[int] = None
    doi: Optional[str] = None
    pmid: Optional[str] = None
    trials: tuple[str, ...] = ()          # acronyms and registry ids named in the metadata
    publication_types: tuple[str, ...] = ()
    mesh_terms: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()
    meta: tuple[tuple[str, str], ...] = ()  # free key/value pairs, e.g. ("fact_source", url)

    def section(self, name: str) -> Optional[str]:
        """Return the text of the first section called ``name`` (case-insensitive), or None."""
        for s in self.sections:
            if s.name.lower() == name.lower():
                return self.text[s.start:s.end]
        return None


# --------------------------------------------------------------------------- results
@_direct_init
@dataclass(frozen=True)
class Arm(_Record):
    """A treatment group: name as printed, role (experimental/control/None) and size if stated."""

    name: str
    role: Optional[str] = None
    n: Optional[int] = None
    span: Optional[Span] = None


@_direct_init
@dataclass(frozen=True)
class Ratio(_Record):
    """A hazard, odds or risk ratio with its CI and p-value (ratio scale, not log).

    ``p_value``/``p_relation`` hold the p as printed (``p_relation`` one of =,<,>,<=,>=);
    ``p`` gives the normalised string of SCHEMA.md (e.g. ``"<0.001"``).
    """

    measure: str
    endpoint: Optional[str]
    value: Optional[float]
    ci_low: Optional[float] = None
    ci_high: Optional[float] = None
    ci_level: float = 95
    p_value: Optional[float] = None
    p_relation: Optional[str] = None
    qualifier: Optional[str] = None
    experimental_arm: Optional[str] = None
    control_arm: Optional[str] = None
    span: Optional[Span] = None
    flags: tuple[Flag, ...] = ()
    method: str = "reported"              # how the value was obtained; "reported" = read from text

    def __post_init__(self):
        if self.measure not in MEASURES:
            raise RecordError(f"Ratio.measure: got {self.measure!r}; expected one of {MEASURES}")
        if self.p_relation is not None and self.p_relation not in P_RELATIONS:
            raise RecordError(f"Ratio.p_relation: got {self.p_relation!r}; expected one of {P_RELATIONS}")

    @property
    def p(self) -> Optional[str]:
        """The p-value as SCHEMA.md writes it: relation then number (``'<0.001'``), or None."""
        return format_p(self.p_value, self.p_relation)

    @property
    def quote(self) -> Optional[str]:
        """The exact text the ratio was read from, or None."""
        return self.span.quote if self.span else None

    def to_dict(self) -> dict:
        """Return the JSON dict of SCHEMA.md: the fields plus the derived ``p`` string and ``quote``."""
        d = super().to_dict()
        d["p"] = self.p
        d["quote"] = self.quote
        return d

    @classmethod
    def from_dict(cls, data: dict):
        """Rebuild a Ratio from ``to_dict()`` output (the derived ``p`` and ``quote`` are ignored)."""
        data = {k: v for k, v in data.items() if k not in ("p", "quote")}
        return super().from_dict(data)


@_direct_init
@dataclass(frozen=True)
class Median(_Record):
    """A median time to event for one group (or the whole trial when ``arm`` is None)."""

    endpoint: Optional[str]
    value: Optional[float]
    unit: Optional[str] = None
    not_reached: bool = False
    arm: Optional[str] = None
    arm_role: Optional[str] = None
    ci_low: Optional[float] = None
    ci_high: Optional[float] = None
    qualifier: Optional[str] = None
    span: Optional[Span] = None
    flags: tuple[Flag, ...] = ()

    def __post_init__(self):
        if self.arm_role is not None and self.arm_role not in ARM_ROLES:
            raise RecordError(f"Median.arm_role: got {self.arm_role!r}; expected one of {ARM_ROLES} or None")
        if self.unit is not None and self.unit not in UNITS:
            raise RecordError(f"Median.unit: got {self.unit!r}; expected one of {UNITS}")

    @property
    def quote(self) -> Optional[str]:
        """The exact text the median was read from, or None."""
        return self.span.quote if self.span else None

    def to_dict(self) -> dict:
        """Return the JSON dict of SCHEMA.md: the fields plus the derived ``quote``."""
        d = super().to_dict()
        d["quote"] = self.quote
        return d

    @classmethod
    def from_dict(cls, data: dict):
        """Rebuild a Median from ``to_dict()`` output (the derived ``quote`` is ignored)."""
        data = {k: v for k, v in data.items() if k != "quote"}
        return super().from_dict(data)


@_direct_init
@dataclass(frozen=True)
class Study(_Record):
    """Study-level facts of one document: design, size and arms."""

    trials: tuple[str, ...] = ()          # acronyms, e.g. ("BOLERO-2",)
    nct_ids: tuple[str, ...] = ()
    phase: Optional[str] = None           # "I", "II", "III", "IV", "II/III"
    randomized: Optional[bool] = None
    n_randomized: Optional[int] = None
    allocation_ratio: Optional[str] = None  # e.g. "2:1"
    arms: tuple[Arm, ...] = ()
    spans: tuple[Span, ...] = ()          # provenance of the facts above


@_direct_init
@dataclass(frozen=True)
class Extraction(_Record):
    """Everything extracted from one document; ``to_dict()`` is one line of ``--jsonl`` output."""

    id: str
    ratios: tuple[Ratio, ...] = ()
    medians: tuple[Median, ...] = ()
    study: Study = field(default_factory=Study)
    document: Optional[dict] = None       # document metadata (no text), for reports
    flags: tuple[Flag, ...] = ()
    km_figures: tuple[dict, ...] = ()     # PDF figures digitised (see metabolero.ingest.pdf)
    extractor_version: Optional[str] = None

    def to_dict(self) -> dict:
        """Return one ``--jsonl`` object: the fields plus ``n_randomized`` at the top level."""
        d = super().to_dict()
        # score.py and the gold files read n_randomized at the top level
        d["n_randomized"] = self.study.n_randomized
        return d

    @classmethod
    def from_dict(cls, data: dict):
        """Rebuild an Extraction from ``to_dict()`` output (the top-level copy of n_randomized is ignored)."""
        data = {k: v for k, v in data.items() if k != "n_randomized"}
        return super().from_dict(data)


# --------------------------------------------------------------------------- utilities
def format_p(p_value: Optional[float], relation: Optional[str]) -> Optional[str]:
    """Return ``relation + number`` as SCHEMA.md normalises p-values (``'<0.001'``), or None."""
    if p_value is None:
        return None
    rel = relation or "="
    num = repr(float(p_value))
    if "e" in num or "E" in num:
        num = f"{float(p_value):.6g}"
        if "e" in num:
            mant, exp = num.split("e")
            num = f"{mant}e{int(exp):+03d}"
    elif num.endswith(".0"):
        num = num[:-2]
    return f"{rel}{num}"


def records_frame(records: Iterable[_Record]):
    """Return a pandas DataFrame with one row per record (nested dicts flattened with '.')."""
    import pandas as pd

    rows = [r.to_dict() if hasattr(r, "to_dict") else dict(r) for r in records]
    if not rows:
        return pd.DataFrame()
    return pd.json_normalize(rows, sep=".")
