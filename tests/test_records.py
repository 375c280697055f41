"""Evidence records: validation, JSON round trip of every record type, pandas view."""
import json

import pytest

from metabolero.errors import RecordError
from metabolero.records import (
    Arm, Document, Extraction, Flag, Median, Ratio, Section, Span, Study, format_p, records_frame,
)

SPAN = Span("doc1", 10, 24, "HR 0.43; P<.001", page=2, bbox=(10.0, 20.0, 30.5, 40.0))

EXAMPLES = [
    SPAN,
    Flag("p_mismatch", "reported p=0.03 but CI implies p=0.2", recomputed=0.2),
    Section("ABSTRACT", 0, 100),
    Document("doc1", "text", title="T", journal="Future Oncol", year=2012, doi="10.2217/fon.12.49",
             pmid="22764762", trials=("BOLERO-2",), publication_types=("Randomized Controlled Trial",),
             mesh_terms=("Humans",), sections=(Section("ABSTRACT", 0, 4),), meta=(("note", "x"),)),
    Arm("everolimus plus exemestane", "experimental", 485, SPAN),
    Ratio("HR", "PFS", 0.43, None, None, 95, 0.001, "<", "investigator assessed",
          "everolimus plus exemestane", "placebo plus exemestane", SPAN, (Flag("x", "y"),)),
    Median("PFS", 6.9, "months", False, "everolimus plus exemestane", "experimental", 5.0, 8.1, None, SPAN),
    Median("OS", None, None, True, "ribociclib", "experimental"),
    Study(("BOLERO-2",), ("NCT00863655",), "III", True, 724, "2:1", (Arm("a", "control"),), (SPAN,)),
    Extraction("doc1", (Ratio("OR", "RESPONSE", 1.5),), (Median("PFS", 1.0, "years"),),
               Study(n_randomized=10), {"title": "T"}, (Flag("a", "b"),), ({"page": 3, "arms": []},), "1"),
]


@pytest.mark.parametrize("record", EXAMPLES, ids=lambda r: type(r).__name__)
def test_json_round_trip(record):
    text = record.to_json()
    assert json.loads(text)  # plain JSON
    assert type(record).from_json(text) == record


def test_ratio_dict_has_schema_fields():
    d = EXAMPLES[5].to_dict()
    assert d["p"] == "<0.001" and d["quote"] == "HR 0.43; P<.001"
    for key in ("measure", "endpoint", "value", "ci_low", "ci_high", "ci_level", "qualifier"):
        assert key in d


def test_extraction_exposes_n_randomized_for_scoring():
    assert EXAMPLES[-1].to_dict()["n_randomized"] == 10


@pytest.mark.parametrize("p,rel,expected", [
    (0.001, "<", "<0.001"), (0.03, None, "=0.03"), (1.2e-05, "=", "=1.2e-05"), (3.29e-6, "=", "=3.29e-06"),
    (0.05, "<=", "<=0.05"), (1.0, ">", ">1"), (None, "<", None),
])
def test_format_p(p, rel, expected):
    assert format_p(p, rel) == expected


@pytest.mark.parametrize("make,field", [
    (lambda: Ratio("XX", "OS", 1.0), "Ratio.measure"),
    (lambda: Ratio("HR", "OS", 1.0, p_relation="~"), "Ratio.p_relation"),
    (lambda: Median("OS", 1.0, "fortnights"), "Median.unit"),
    (lambda: Median("OS", 1.0, arm_role="placebo"), "Median.arm_role"),
    (lambda: Span("d", 5, 2, ""), "Span of 'd'"),
    (lambda: Ratio.from_dict({"measure": "HR", "endpoint": "OS", "value": 1, "bogus": 1}), "unknown field"),
])
def test_invalid_values_name_the_field(make, field):
    with pytest.raises(RecordError, match=field):
        make()


def test_records_frame_flattens_spans():
    df = records_frame([EXAMPLES[5], EXAMPLES[6]])
    assert list(df["span.quote"]) == ["HR 0.43; P<.001"] * 2
    assert df.loc[0, "p"] == "<0.001" and df.loc[1, "value"] == 6.9


# --------------------------------------------------------------------------- fast constructors
@pytest.mark.parametrize("rec", EXAMPLES, ids=lambda r: type(r).__name__)
def test_build_makes_the_same_record_as_the_class(rec):
    import dataclasses
    cls = type(rec)
    kwargs = {f.name: getattr(rec, f.name) for f in dataclasses.fields(rec)}
    built = cls.build(**kwargs)
    assert type(built) is cls and built == cls(**kwargs) == rec
    # defaults and default factories as the class call gives them
    required = {f.name: kwargs[f.name] for f in dataclasses.fields(rec)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
    assert cls.build(**required) == cls(**required)


def test_build_validates_like_the_class():
    with pytest.raises(RecordError, match="Ratio.measure"):
        Ratio.build(measure="XX", endpoint="OS", value=0.5)
    with pytest.raises(RecordError, match="start=5, end=2"):
        Span.build("d", 5, 2, "")


def test_undecorated_subclass_has_no_build():
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class NamedArm(Arm):
        label: str = ""

    with pytest.raises(TypeError, match="no build"):
        NamedArm.build(name="a")
    assert NamedArm(name="a", label="x").label == "x"


def test_direct_init_refuses_fields_it_cannot_build():
    import dataclasses
    from metabolero.records import _direct_init

    @dataclasses.dataclass(frozen=True)
    class KwOnly:
        a: int = dataclasses.field(default=0, kw_only=True)

    with pytest.raises(TypeError, match="keyword-only"):
        _direct_init(KwOnly)
