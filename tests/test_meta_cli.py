"""``metabolero pool``: JSON against R metafor end to end, evidence tables, plots, clear errors."""
import json
import math

import pytest

from metabolero.cli import main


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_pool_json_matches_metafor(shared, tmp_path, capsys):
    ref = json.loads((shared / "metafor" / "reference.json").read_text())
    ds = next(d for d in ref["datasets"] if d["name"] == "bcg_logRR")
    csv = _write(tmp_path / "bcg.csv", "study,yi,sei\n" + "".join(
        f"T{i},{y!r},{s!r}\n" for i, (y, s) in enumerate(zip(ds["yi"], ds["sei"]))))
    for method, hksj, fit in (("REML", False, "REML"), ("PM", True, "PM_knha"), ("EE", False, "EE")):
        argv = ["pool", str(csv), "--method", method, "--json"] + (["--hksj"] if hksj else [])
        assert main(argv) == 0
        got = json.loads(capsys.readouterr().out)
        for field, want in ds["fits"][fit].items():
            if want is None:
                assert got[field] is None, field
            else:
                assert got[field] == pytest.approx(want, abs=1e-6), (fit, field)
        assert got["k"] == 13 and got["method"] == method and got["hksj"] is hksj


def test_pool_evidence_table_endpoint_and_derivations(tmp_path, capsys):
    csv = _write(tmp_path / "ev.csv",
                 "trial,measure,endpoint,value,ci_low,ci_high,ci_level,p_value,p_relation\n"
                 "A,HR,PFS,0.7,0.55,0.89,95,,\n"
                 "B,HR,PFS,0.8,,,,0.01,=\n"
                 "C,HR,PFS,0.6,,,,0.001,<\n"
                 "D,HR,OS,0.9,0.7,1.1,95,,\n"
                 "E,HR,PFS,0.75,,,,,\n")
    assert main(["pool", str(csv), "--endpoint", "PFS", "--method", "DL", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["k"] == 3 and got["studies"] == ["A", "B", "C"] and got["measure"] == "HR"
    assert any("E:" in m and "set aside" in m for m in got["messages"])
    assert any("C:" in m and "bound" in m for m in got["messages"])
    # the same figures through the Python API with hand-derived inputs
    from metabolero.meta import pool

    z = 1.959963984540054
    yi = [math.log(0.7), math.log(0.8), math.log(0.6)]
    sei = [(math.log(0.89) - math.log(0.55)) / (2 * z), abs(math.log(0.8)) / 2.5758293035489004,
           abs(math.log(0.6)) / 3.2905267314918945]
    ref = pool(yi, sei, method="DL")
    assert got["estimate"] == pytest.approx(ref.estimate, abs=1e-9)
    assert got["se"] == pytest.approx(ref.se, abs=1e-9)


def test_pool_text_summary_and_plots(tmp_path, capsys):
    csv = _write(tmp_path / "t.csv", "study,yi,sei\nA,-0.3,0.1\nB,-0.1,0.2\nC,-0.5,0.15\n")
    out = tmp_path / "plots"
    assert main(["pool", str(csv), "--plots", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Random-Effects Model (k = 3; tau^2 estimator: REML)" in text
    for name in ("forest-t.svg", "forest-t.png", "funnel-t.svg", "funnel-t.png"):
        assert (out / name).stat().st_size > 1000, name


@pytest.mark.parametrize("content,needle", [
    ("study,yi,sei\nA,0.1,0.1\nB,0.2,0\n", "B"),          # non-positive SE names the study
    ("study,foo\nA,1\n", "expected columns"),              # neither layout
    ("study,yi,sei\nA,0.1,\n", "row 1"),                   # empty SE
])
def test_pool_errors_are_clear(tmp_path, capsys, content, needle):
    csv = _write(tmp_path / "bad.csv", content)
    assert main(["pool", str(csv)]) == 2
    assert needle in capsys.readouterr().err


def test_pool_unknown_method_and_missing_file(tmp_path, capsys):
    csv = _write(tmp_path / "ok.csv", "study,yi,sei\nA,0.1,0.1\nB,0.2,0.1\n")
    assert main(["pool", str(csv), "--method", "BOGUS"]) == 2
    assert "BOGUS" in capsys.readouterr().err
    assert main(["pool", str(tmp_path / "nope.csv")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_pool_mixed_measures_refused(tmp_path, capsys):
    csv = _write(tmp_path / "mix.csv", "trial,measure,value,ci_low,ci_high\nA,HR,0.7,0.5,0.9\nB,OR,0.8,0.6,1.1\n")
    assert main(["pool", str(csv)]) == 2
    assert "mix" in capsys.readouterr().err
