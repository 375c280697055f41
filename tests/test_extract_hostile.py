"""Safety of the extractor on hostile input: linear time on 1 MB of adversarial text, never raising."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metabolero.extract import extract
from metabolero.records import Document


def _adversarial_megabyte() -> str:
    parts = [
        "median overall survival 1 vs 2 months HR 0.5 (0.4-0.6) p<0.01 " * 2_000,   # one huge sentence
        "Complete response (CR) was seen. " + "CR PFS " * 12_000,   # uses of a defined abbreviation (was quadratic)
        "".join(f"progression (A{a}{b}{c}) x " for a in "BCDEFGHIJK" for b in "BCDEFGHIJK" for c in "BCDEFGHIJK"),
        "1" * 40_000,                                    # long digit run
        "HR (" * 20_000,                                 # thousands of unfinished mentions
        "([" * 15_000,                                   # nested brackets
        "HR0.5(95%CI0.4-0.6)p<0.001median6.9vs2.8months" * 2_000,   # no spaces
        ("hazard ratio " + "0." * 40 + " (95% CI " + "9" * 60 + " months median ") * 800,
        "0.5 " * 10_000,
        "median 1 vs 2 vs " * 6_000,
        "median " + "1.2 vs " * 10_000,                   # one chain of unitless values (was quadratic)
        "Patients were randomized. " + "(177 vs 179 patients) " * 3_000,   # arm sizes in one sentence (was quadratic)
        "The median follow-up was " + "1.2 vs " * 15_000 + "3.4 months. ",   # one follow-up chain (was quadratic)
        "Seven hundred " * 5_000,
        "The median PFS was 1.2 months" + " " * 30_000 + "xs 3.4 months. ",   # a long blank gap (was quadratic)
        "The median PFS was " + "1.5 months x " * 5_000,   # one trigger's list of values (quoted quadratic text)
        ". " * 40_000,
    ]
    text = "".join(parts)[:1_000_000]
    return text + " " * (1_000_000 - len(text))


def test_one_megabyte_of_adversarial_text_comes_back():
    text = _adversarial_megabyte()
    assert len(text) == 1_000_000
    e = extract(Document(id="hostile", text=text))
    for rec in e.ratios + e.medians:
        assert text[rec.span.start:rec.span.end] == rec.span.quote


_PIECES = st.sampled_from([
    "HR", "hazard ratio", "OR", "RR", "aHR", " (", ")", "[", "]", "95% CI", "CI", ",", ";", ":", "=", "<", "\u2264",
    "-", "\u2013", " to ", "0.", ".5", "1", "0.72", "P", "p", " = ", "median", "months", "not reached", "vs",
    "versus", " and ", "respectively", "randomly assigned", "patients", "\n", " ", "\u00b7", "\u2009", "for death",
    "progression-free survival", "NCT0", "phase", "III", "Seven hundred", "10^-", "\u00d7",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), st.lists(_PIECES, max_size=60).map("".join)))
def test_never_raises_and_quotes_are_substrings(text):
    e = extract(Document(id="h", text=text))
    for rec in e.ratios + e.medians:
        assert text[rec.span.start:rec.span.end] == rec.span.quote
        assert 0 <= rec.span.start <= rec.span.end <= len(text)
    for span in e.study.spans:
        assert text[span.start:span.end] == span.quote
    e.to_dict()


def test_follow_up_values_are_read_up_to_their_bound():
    # a follow-up list is read value by value up to medians._FOLLOWUP_VALUES_MAX (12): what keeps a hostile
    # chain linear must not cut a real list short
    def follow_up(k: int) -> list[tuple]:
        text = "The median follow-up was " + " vs ".join(f"{20 + i}.5" for i in range(k)) + " months."
        return [(m.endpoint, m.value, m.unit) for m in extract(text).medians]

    assert follow_up(3) == [("FOLLOWUP", 20.5, "months"), ("FOLLOWUP", 21.5, "months"), ("FOLLOWUP", 22.5, "months")]
    assert [v for _, v, _ in follow_up(12)] == [20.5 + i for i in range(12)]
    assert [v for _, v, _ in follow_up(14)] == [20.5 + i for i in range(12)]


def test_one_trigger_reports_up_to_its_bound_of_values():
    # each median's span runs from its trigger, so the values one trigger reports are bounded by
    # medians._TRIGGER_VALUES_MAX (24): a 20,000-value list would otherwise quote gigabytes of text
    def values(k: int) -> list[float]:
        text = "The median PFS was " + ", ".join(f"{i + 1}.5" for i in range(k)) + " months in the arms, respectively."
        return [m.value for m in extract(text).medians]

    assert values(4) == [1.5, 2.5, 3.5, 4.5]
    assert values(24) == [i + 1.5 for i in range(24)]
    assert values(30) == [i + 1.5 for i in range(24)]
    hostile = extract("The median PFS was " + "1.5 months x " * 20_000).medians
    assert len(hostile) == 24
    assert sum(len(m.span.quote) for m in hostile) < 24 * 400
