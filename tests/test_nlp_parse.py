"""The shared spaCy parse cache: a warm call parses nothing and gives the Docs a fresh parse gives."""

from __future__ import annotations

import pytest

from analysis.nlp import NO_PROGRESS_ENV, load_spacy, parse_texts, progress

pytestmark = pytest.mark.skipif(load_spacy() is None, reason="spaCy not installed")

TEXTS = [
    "Officials in Riverton said on Monday that 4,000 residents had been evacuated.",
    '"We are still searching," said Maria Lopez, the fire chief.',
    "The bridge collapsed. Nobody was hurt, the police told reporters.",
]


def _annotations(doc) -> list[tuple]:
    tokens = [
        (
            t.text,
            t.idx,
            t.whitespace_,
            t.tag_,
            t.pos_,
            t.lemma_,
            t.dep_,
            t.head.i,
            t.is_sent_start,
            t.ent_iob_,
        )
        for t in doc
    ]
    return [*tokens, *((e.start_char, e.end_char, e.label_) for e in doc.ents)]


def test_warm_parse_runs_no_pipeline_and_matches_a_fresh_parse(tmp_path, monkeypatch):
    monkeypatch.setenv("COVERAGE_COMPARE_CACHE", str(tmp_path))
    nlp = load_spacy()
    fresh = [_annotations(d) for d in nlp.pipe(TEXTS)]
    assert any(len(d.ents) for d in nlp.pipe(TEXTS))  # the comparison covers entities
    assert [_annotations(d) for d in parse_texts(TEXTS)] == fresh  # cold: parsed and stored

    def refuse(*args, **kwargs):
        raise AssertionError("a warm parse ran the pipeline")

    monkeypatch.setattr(nlp, "pipe", refuse)
    assert [_annotations(d) for d in parse_texts(TEXTS)] == fresh
    with pytest.raises(AssertionError, match="ran the pipeline"):  # keyed by the texts: others are parsed
        parse_texts(TEXTS[1:])


@pytest.mark.parametrize(("setting", "shown"), [(None, True), ("0", True), ("1", False)])
def test_progress_bars_follow_the_environment(monkeypatch, capsys, setting, shown):
    if setting is None:
        monkeypatch.delenv(NO_PROGRESS_ENV, raising=False)
    else:
        monkeypatch.setenv(NO_PROGRESS_ENV, setting)
    assert list(progress(range(3), desc="counting")) == [0, 1, 2]
    assert ("counting" in capsys.readouterr().err) is shown
