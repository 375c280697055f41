"""The endpoint scan's tables stored with the package (extract/endpoint_tables.json) against a fresh
derivation from the lexicon (endpoints._dispatch), and what happens when the file is stale or unreadable."""
from __future__ import annotations

import json

import pytest

from metabolero.extract import endpoints

REWRITE = "python -c 'from metabolero.extract.endpoints import write_tables; write_tables()'"


def _plain(tables: tuple) -> tuple:
    """The tables with each group replaced by (its alternatives, its first words): comparable by ==."""
    by_word, by3, by_short, short_lens, groups, min_len, anchored, quick = tables

    def g(v):
        return v if v is None or v is endpoints._CONTEXT else (v.ks, v.words)

    return ({k: g(v) for k, v in by_word.items()}, {k: g(v) for k, v in by3.items()},
            {k: g(v) for k, v in by_short.items()}, short_lens, sorted(g(x) for x in groups), min_len, anchored, quick)


def test_stored_tables_are_those_derived_from_the_lexicon():
    stored = endpoints._stored_tables()
    assert stored is not None, f"endpoint_tables.json was written for another lexicon: run {REWRITE}"
    derived = endpoints._dispatch()
    assert _plain(stored) == _plain(derived), f"endpoint_tables.json is out of date: run {REWRITE}"
    # what the scan relies on: one group object per distinct group, shared by the mappings
    assert len({id(v) for v in stored[1].values()} | {id(v) for v in stored[2].values()}) <= len(stored[4])
    assert len(stored[0]) > 1000 and len(stored[4]) > 10


def test_a_changed_lexicon_is_derived_again(monkeypatch):
    monkeypatch.setattr(endpoints, "_ALTS", endpoints._ALTS + (("(?i:new\\s+wording)", 0),))
    with pytest.warns(RuntimeWarning, match="written for another endpoint lexicon"):
        assert endpoints._stored_tables() is None


def test_the_key_covers_the_anchor_patterns_as_compiled(monkeypatch):
    key = endpoints._tables_key()
    monkeypatch.setattr(endpoints, "_WORD_ANCHOR_RE", endpoints.re.compile("(?<!x)" + endpoints._WORD_ANCHOR_RE.pattern))
    assert endpoints._tables_key() != key
    monkeypatch.undo()
    monkeypatch.setattr(endpoints, "_ABBR_ANCHOR_BYTES_RE", endpoints.re.compile(b"OS|PFS"))
    assert endpoints._tables_key() != key


def test_stale_tables_are_derived_when_loaded(monkeypatch):
    monkeypatch.setattr(endpoints, "_tables_key", lambda: "another lexicon")
    monkeypatch.setattr(endpoints, "_TABLES", None)
    with pytest.warns(RuntimeWarning, match="written for another endpoint lexicon"):
        loaded = endpoints._load_tables()
    assert loaded is endpoints._dispatch() and endpoints._TABLES is loaded


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"key": 1}', ""])
def test_an_unreadable_or_foreign_file_warns_and_is_not_used(tmp_path, monkeypatch, content):
    bad = tmp_path / "endpoint_tables.json"
    bad.write_text(content, encoding="utf-8")
    monkeypatch.setattr(endpoints, "_TABLES_FILE", bad)
    with pytest.warns(RuntimeWarning, match="endpoint_tables.json: "):
        assert endpoints._stored_tables() is None


def test_a_missing_file_is_derived_without_a_warning(tmp_path, monkeypatch, recwarn):
    monkeypatch.setattr(endpoints, "_TABLES_FILE", tmp_path / "absent.json")
    assert endpoints._stored_tables() is None
    assert not [w for w in recwarn if "endpoint" in str(w.message)]


@pytest.mark.parametrize("broken", [{"by_word": []}, {"groups": [[[0], [1]]]}, {"groups": [[[0], None]]}])
def test_a_file_with_the_right_key_but_broken_content_warns(tmp_path, monkeypatch, broken):
    data = json.loads(endpoints._TABLES_FILE.read_text(encoding="utf-8"))
    data.update(broken)
    bad = tmp_path / "endpoint_tables.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(endpoints, "_TABLES_FILE", bad)
    with pytest.warns(RuntimeWarning, match="not the endpoint tables expected"):
        assert endpoints._stored_tables() is None


def test_write_tables_round_trips_and_writes_the_stored_file(tmp_path, monkeypatch):
    path = endpoints.write_tables(tmp_path / "t.json")
    # the same bytes as the stored file (it is written sorted, whatever the hash seed)
    assert path.read_bytes() == endpoints._TABLES_FILE.read_bytes(), f"run {REWRITE}"
    monkeypatch.setattr(endpoints, "_TABLES_FILE", path)
    assert _plain(endpoints._stored_tables()) == _plain(endpoints._dispatch())
