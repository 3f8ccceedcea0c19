"""The sentence table is built on first access, equals an eager build, and survives pickling."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.corpus import text as textmod
from analysis.corpus._load import build_corpus, iter_corpus, load_corpus
from analysis.scale import write_corpus
from analysis.terms import count_terms

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("lazy") / "generated.jsonl"
    write_corpus(path, 60, n_outlets=3, words_per_article=200, random_state=7)
    return path


def _eager_sentences(corpus) -> pd.DataFrame:
    """Sentences split paragraph by paragraph, as the loader did before the table became lazy."""
    texts = dict(zip(corpus.articles["article_id"], corpus.articles["text"], strict=True))
    rows = []
    for p in corpus.paragraphs.itertuples(index=False):
        text = texts[p.article_id]
        for index, (start, end) in enumerate(textmod.split_sentences(text, p.start, p.end)):
            rows.append(
                (
                    f"{p.paragraph_id}:s{index}",
                    p.paragraph_id,
                    p.article_id,
                    p.outlet,
                    p.outlet_type,
                    index,
                    start,
                    end,
                    text[start:end],
                    textmod.count_words(text[start:end]),
                )
            )
    columns = [
        "sentence_id",
        "paragraph_id",
        "article_id",
        "outlet",
        "outlet_type",
        "sentence_index",
        "start",
        "end",
        "text",
        "n_words",
    ]
    return pd.DataFrame(rows, columns=columns)


@pytest.mark.parametrize("source", ["seeds", "generated"])
def test_lazy_sentences_equal_an_eager_build(source, generated):
    corpus = load_corpus(SEEDS if source == "seeds" else generated)
    assert not corpus.sentences_built
    sentences = corpus.sentences
    assert corpus.sentences_built and corpus.sentences is sentences  # cached, built once
    pd.testing.assert_frame_equal(sentences, _eager_sentences(corpus), check_exact=True)
    # each paragraph's word count is the sum of its sentences' (tokens never cross a boundary)
    per_paragraph = sentences.groupby("paragraph_id", sort=False)["n_words"].sum()
    assert per_paragraph.to_dict() == corpus.paragraphs.set_index("paragraph_id")["n_words"].to_dict()


def test_seed_sentence_count():
    assert len(load_corpus(SEEDS).sentences) == 201


def test_counting_paragraphs_does_not_build_sentences(generated):
    corpus = load_corpus(generated)
    counts = count_terms(corpus.paragraphs, by="outlet")
    assert len(counts) > 0
    assert not corpus.sentences_built and corpus._sentences is None


def test_batches_build_their_own_sentences(generated):
    whole = load_corpus(generated)
    batches = list(iter_corpus(generated, batch_size=25))
    assert [len(b.articles) for b in batches] == [25, 25, 10]
    assert not any(b.sentences_built for b in batches)
    pd.testing.assert_frame_equal(
        pd.concat([b.sentences for b in batches], ignore_index=True), whole.sentences, check_exact=True
    )


def test_sentences_false_gives_an_empty_table(generated):
    records = [json.loads(line) for line in generated.read_text(encoding="utf-8").splitlines()]
    corpus = build_corpus(records, sentences=False)
    assert corpus.sentences_built and corpus.sentences.empty
    assert list(corpus.sentences.columns) == list(load_corpus(SEEDS).sentences.columns)


def test_pickled_corpus_gives_equal_sentences_before_and_after_building(generated):
    corpus = load_corpus(generated)
    unbuilt = pickle.loads(pickle.dumps(corpus))
    assert not unbuilt.sentences_built
    expected = corpus.sentences
    built = pickle.loads(pickle.dumps(corpus))
    assert built.sentences_built
    pd.testing.assert_frame_equal(unbuilt.sentences, expected, check_exact=True)
    pd.testing.assert_frame_equal(built.sentences, expected, check_exact=True)
    pd.testing.assert_frame_equal(unbuilt.paragraphs, corpus.paragraphs, check_exact=True)


def test_a_fresh_process_loads_a_corpus_without_dask_or_hypothesis():
    """pandera's optional imports (Dask typing, hypothesis strategies) cost about a second of cold start."""
    code = (
        "import sys, analysis.corpus; c = analysis.corpus.load_corpus(sys.argv[1]); "
        "print(len(c.paragraphs), sorted(m for m in ('dask', 'dask.dataframe', 'hypothesis') if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code, str(SEEDS)], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["132", "[]"]
