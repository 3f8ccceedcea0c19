"""Batched and distributed paths give exactly the in-memory results; synthetic corpora plant known terms."""

from __future__ import annotations

import gc
import json
import time
import weakref

import pandas as pd
import polars as pl
import pytest
from conftest import SEEDS

from analysis.corpus import build_corpus, iter_records
from analysis.corpus._describe import quoted_share
from analysis.corpus._load import load_corpus
from analysis.scale._engine import count_terms_at_scale, map_corpus, plan_partitions
from analysis.terms._counts import count_terms


@pytest.fixture(scope="module")
def seed_inputs(tmp_path_factory):
    """The seeds as a manifest folder, a .jsonl file and a parquet file with one article per row group."""
    tmp = tmp_path_factory.mktemp("inputs")
    arts = load_corpus(SEEDS).articles[["article_id", "outlet", "outlet_type", "title", "text"]]
    jsonl = tmp / "seeds.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in arts.to_dict("records")), encoding="utf-8")
    parquet = tmp / "seeds.parquet"
    arts.to_parquet(parquet, row_group_size=1)
    return {"folder": SEEDS, "jsonl": jsonl, "parquet": parquet}


@pytest.mark.parametrize("fmt", ["folder", "jsonl", "parquet"])
def test_batched_counts_equal_in_memory_counts(seed_inputs, seeds_corpus, fmt):
    """In a pool of two processes (the default local engine) as in memory, for every kind of partition."""
    expected = count_terms(seeds_corpus.paragraphs, by="outlet")
    result = count_terms_at_scale(seed_inputs[fmt], batch_size=2)
    assert result.n_batches >= 2 and result.n_articles == 5
    assert result.n_tokens == int(seeds_corpus.articles["n_words"].sum())
    pd.testing.assert_frame_equal(result.counts, expected.reset_index(drop=True))


@pytest.mark.parametrize(
    ("unit", "ngram_range", "min_count"),
    [("sentences", (1, 3), 1), ("articles", (2, 2), 3), ("paragraphs", (1, 1), 2)],
)
def test_batched_counts_equal_in_memory_counts_for_every_unit(
    seed_inputs, seeds_corpus, unit, ngram_range, min_count
):
    expected = count_terms(
        seeds_corpus.units(unit), by="outlet", ngram_range=ngram_range, min_count=min_count
    )
    result = count_terms_at_scale(
        seed_inputs["jsonl"],
        unit=unit,
        ngram_range=ngram_range,
        min_count=min_count,
        batch_size=2,
        n_workers=1,
    )
    assert result.n_batches == 3
    pd.testing.assert_frame_equal(result.counts, expected.reset_index(drop=True))


def test_lean_batches_differ_from_full_ones_only_in_what_counting_never_reads(seed_inputs, seeds_corpus):
    """Same paragraphs, spans, texts, word counts and removals; roles, quoted characters and detected titles skipped."""
    lean = build_corpus(iter_records(SEEDS), lean=True)
    skipped = ["role", "quoted_chars"]
    pd.testing.assert_frame_equal(
        lean.paragraphs.drop(columns=skipped), seeds_corpus.paragraphs.drop(columns=skipped)
    )
    assert set(lean.paragraphs["role"]) == {"body"} and set(lean.paragraphs["quoted_chars"]) == {0}
    assert seeds_corpus.paragraphs["quoted_chars"].sum() > 0  # so the line above can fail
    pd.testing.assert_frame_equal(lean.removed, seeds_corpus.removed)
    pd.testing.assert_frame_equal(
        lean.articles.drop(columns="title"), seeds_corpus.articles.drop(columns="title")
    )


def test_batch_totals_are_exact_however_often_they_are_summed(monkeypatch):
    from analysis.scale._engine import _Totals

    def batch(rows):
        return pd.DataFrame(rows, columns=["outlet", "term", "ngram", "n", "n_units", "n_articles"])

    batches = [
        batch([("A", "war", 1, 3, 2, 1), ("B", "war", 1, 1, 1, 1)]),
        batch([("A", "war", 1, 2, 2, 2), ("A", "peace talks", 2, 1, 1, 1)]),
        batch([("B", "war", 1, 4, 3, 2), ("A", "peace talks", 2, 5, 4, 3)]),
    ]
    expected = batch([("A", "peace talks", 2, 6, 5, 4), ("A", "war", 1, 5, 4, 3), ("B", "war", 1, 5, 4, 3)])
    for every_batch in (True, False):
        monkeypatch.setattr(_Totals, "MIN_SUM_ROWS", 1 if every_batch else 10**9)
        totals = _Totals(None)
        for b in batches:
            totals.add(pl.from_pandas(b))  # pool processes send polars frames
        got = totals.table().sort_values(["outlet", "term"], ignore_index=True)
        pd.testing.assert_frame_equal(got, expected)


def test_a_batch_is_freed_as_soon_as_it_is_unused():
    """No reference cycle keeps a batch's validated tables (and their texts) alive until a full
    garbage collection: the local engine's memory would grow with the number of batches."""
    from analysis.scale._engine import _BatchCounter

    corpus = build_corpus(iter_records(SEEDS), sentences=False, lean=True)
    counts = count_terms(corpus.paragraphs, by="outlet")
    batch = _BatchCounter("paragraphs", ())(corpus)
    tables = [corpus.articles, corpus.paragraphs, counts]
    alive = [weakref.ref(t) for t in tables]
    gc.disable()
    try:
        del corpus, counts, batch, tables
        assert [ref() is None for ref in alive] == [True, True, True]
    finally:
        gc.enable()


def test_pruning_keeps_the_most_frequent_terms_with_ties_broken_by_term():
    from analysis.scale._engine import _Totals

    counts = pd.DataFrame(
        [("A", "b", 1, 4, 1, 1), ("B", "b", 1, 1, 1, 1), ("A", "a", 1, 5, 1, 1), ("A", "c", 1, 5, 1, 1)],
        columns=["outlet", "term", "ngram", "n", "n_units", "n_articles"],
    )
    totals = _Totals(max_terms=3)  # pooled n all 5: ties go by term, a (1 row) and b (2 rows) fit
    totals.add(pl.from_pandas(counts))
    assert sorted(totals.table()["term"]) == ["a", "b", "b"]
    assert (totals.pruned_terms, totals.pruned_occurrences) == (1, 5)


def test_partitions_cover_every_article_once(seed_inputs):
    parts = plan_partitions(seed_inputs["jsonl"], batch_size=2)
    assert len(parts) >= 2
    assert parts[0].byte_range[0] == 0 and parts[-1].byte_range[1] == seed_inputs["jsonl"].stat().st_size
    assert all(a.byte_range[1] == b.byte_range[0] for a, b in zip(parts, parts[1:], strict=False))
    assert [len(p.row_groups) for p in plan_partitions(seed_inputs["parquet"], batch_size=2)] == [2, 2, 1]


def test_map_corpus_concatenates_per_article_results(seed_inputs, seeds_corpus):
    got = map_corpus(seed_inputs["parquet"], quoted_share, batch_size=2)
    pd.testing.assert_frame_equal(got, quoted_share(seeds_corpus))


def test_this_process_and_the_pool_share_partitions_in_order(seed_inputs, seeds_corpus, monkeypatch):
    """Five one-article partitions over this process and two spawned ones: this process counts
    partitions 0 and 3 itself, the pool the others, and the merge is the in-memory result."""
    from analysis.scale import _engine

    monkeypatch.setattr(_engine, "POOL_MIN_BYTES", 0)  # the seeds are far too small to start a pool
    here = []  # the spawned processes import _engine afresh: only this process's reads are recorded
    real = _engine._partition_records
    monkeypatch.setattr(_engine, "_partition_records", lambda part: here.append(part.index) or real(part))
    result = count_terms_at_scale(seed_inputs["folder"], batch_size=1, n_workers=3)
    assert (result.n_batches, here) == (5, [0, 3])
    expected = count_terms(seeds_corpus.paragraphs, by="outlet")
    pd.testing.assert_frame_equal(result.counts, expected.reset_index(drop=True))


def test_pruning_is_reported_and_the_same_in_one_process_or_two(seed_inputs, monkeypatch):
    from analysis.scale import _engine

    monkeypatch.setattr(_engine, "POOL_MIN_BYTES", 0)
    full = count_terms_at_scale(seed_inputs["folder"], batch_size=2, n_workers=1)
    pruned = count_terms_at_scale(seed_inputs["folder"], batch_size=2, max_terms=500, n_workers=1)
    assert len(pruned.counts) <= 500 < len(full.counts)
    assert pruned.pruned_terms > 0 and pruned.pruned_occurrences > 0 and pruned.notes
    pooled = count_terms_at_scale(seed_inputs["folder"], batch_size=2, max_terms=500, n_workers=2)
    pd.testing.assert_frame_equal(pooled.counts, pruned.counts)
    assert (pooled.pruned_terms, pooled.pruned_occurrences) == (
        pruned.pruned_terms,
        pruned.pruned_occurrences,
    )


@pytest.mark.slow
def test_dask_local_cluster_gives_identical_results(seed_inputs, seeds_corpus):
    expected = count_terms(seeds_corpus.paragraphs, by="outlet").reset_index(drop=True)
    result = count_terms_at_scale(seed_inputs["parquet"], batch_size=2, engine="dask", n_workers=2)
    pd.testing.assert_frame_equal(result.counts, expected, check_dtype=False)
    local = count_terms_at_scale(seed_inputs["parquet"], batch_size=2, engine="local", n_workers=1)
    pd.testing.assert_frame_equal(result.counts, local.counts)  # summed on the workers, as one table
    assert (result.n_batches, result.n_articles, result.n_tokens) == (
        local.n_batches,
        local.n_articles,
        local.n_tokens,
    )
    shares = map_corpus(seed_inputs["jsonl"], quoted_share, batch_size=2, engine="dask", n_workers=2)
    pd.testing.assert_frame_equal(shares, quoted_share(seeds_corpus))


@pytest.mark.slow
def test_synthetic_corpus_plants_distinctive_terms(tmp_path):
    from analysis.scale._synthetic import write_corpus
    from analysis.terms._contrast import contrast

    path = tmp_path / "synthetic.parquet"
    preferred = write_corpus(
        path, 400, n_outlets=3, words_per_article=300, random_state=1, row_group_size=100
    )
    counts = count_terms_at_scale(path, ngram_range=(1, 1), batch_size=100).counts
    scores = contrast(counts)
    for outlet, words in preferred.items():
        top = set(scores[scores["outlet"] == outlet].nlargest(25, "z")["term"])
        assert len(top & set(words)) >= len(words) - 2, (outlet, words, sorted(top))


def test_stratified_sample_is_bounded_per_outlet_and_seeded(seed_inputs):
    from analysis.scale._topics import stratified_sample

    a = stratified_sample(seed_inputs["jsonl"], per_outlet=8, random_state=3, batch_size=2)
    b = stratified_sample(seed_inputs["jsonl"], per_outlet=8, random_state=3, batch_size=2)
    pd.testing.assert_frame_equal(a, b)
    assert a.groupby("outlet").size().to_dict() == {
        "NHK World": 8,
        "aggregator": 8,
        "Kyiv Independent": 8,
        "wire-style": 6,
    }  # wire-style has only 6 paragraphs
    assert a["paragraph_id"].is_unique


@pytest.mark.slow
def test_topics_at_scale_assigns_every_unit_once_locally_and_on_dask(seed_inputs, seeds_corpus):
    from analysis.scale._topics import topics_at_scale

    local = topics_at_scale(
        seed_inputs["parquet"], per_outlet=15, method="lda", n_topics=3, batch_size=2, n_boot=200
    )
    assert local.n_sample == 15 * 3 + 6
    assert sorted(local.doc_topics["unit_id"]) == sorted(seeds_corpus.paragraphs["paragraph_id"])
    assert set(local.doc_topics["topic"]) <= set(local.model.topic_labels_["topic"])
    # every unit gets what the sample model's transform gives it (LDA's transform is row by row)
    expected = local.model.transform(seeds_corpus.paragraphs)
    pd.testing.assert_frame_equal(
        local.doc_topics, expected.assign(probability=expected["probability"].round(6))
    )
    shares = local.prevalence.groupby("outlet")["share"].sum()
    assert ((shares - 1).abs() < 1e-9).all()
    remote = topics_at_scale(
        seed_inputs["parquet"],
        per_outlet=15,
        method="lda",
        n_topics=3,
        batch_size=2,
        n_boot=200,
        engine="dask",
    )
    pd.testing.assert_frame_equal(remote.doc_topics, local.doc_topics)


def naming_choices_nk(corpus):
    """Naming choices on the seeds' table: per article (discovered groups depend on the whole corpus)."""
    from analysis import framing
    from analysis.data import shipped

    return framing.naming_choices(corpus, str(shipped("terms_nk2023.csv")))


@pytest.mark.parametrize(
    "func",
    [
        "sourcing.extract_quotes",
        "claims.extract_numbers",
        "framing.frame_scores",
        "framing.tone",
        "framing.naming_choices_nk",
    ],
)
def test_per_article_analyses_merge_exactly(seed_inputs, seeds_corpus, func):
    import importlib

    module, name = func.split(".")
    fn = getattr(importlib.import_module(f"analysis.{module}"), name, None) or globals()[name]
    expected = fn(seeds_corpus).reset_index(drop=True)
    got = map_corpus(seed_inputs["parquet"], fn, batch_size=2)
    pd.testing.assert_frame_equal(got, expected)


def test_a_bad_line_in_a_later_partition_is_named_by_its_line(tmp_path, monkeypatch):
    from analysis.corpus._load import CorpusError
    from analysis.scale import _engine

    monkeypatch.setattr(_engine, "POOL_MIN_BYTES", 0)

    path = tmp_path / "c.jsonl"
    rows = [json.dumps({"article_id": f"a{i}", "outlet": "X", "text": f"Text number {i}."}) for i in range(6)]
    rows.insert(4, "{not json")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert len(plan_partitions(path, batch_size=2)) >= 2
    with pytest.raises(CorpusError, match=r"c\.jsonl:line 5: invalid JSON"):
        map_corpus(path, quoted_share, batch_size=2)
    with pytest.raises(CorpusError, match=r"c\.jsonl:line 5: invalid JSON"):  # raised in a pool process
        count_terms_at_scale(path, batch_size=2, n_workers=2)
    with pytest.raises(CorpusError, match=r"c\.jsonl:line 5: invalid JSON"):  # on a worker, then added up
        count_terms_at_scale(path, batch_size=2, engine="dask", n_workers=2)


@pytest.mark.slow
def test_a_local_dask_cluster_leaves_this_process_environment_as_it_was():
    import os

    from analysis.infra.cluster import dask_client

    before = dict(os.environ)
    with dask_client(None, 1) as client:
        assert client.submit(os.environ.get, "OMP_NUM_THREADS").result() == "1"  # the workers' setting
    assert dict(os.environ) == before  # an embedding child started later keeps the usual threads


def _setting(key):
    import dask

    return dask.config.get(key)


def test_a_local_dask_cluster_runs_with_its_housekeeping_slowed():
    """The workers get LOCAL_CLUSTER_CONFIG; this process's config is left as it was."""
    import dask
    import distributed  # noqa: F401  (registers Dask's 'distributed' settings)

    from analysis.infra.cluster import LOCAL_CLUSTER_CONFIG, dask_client

    before = {key: dask.config.get(key) for key in LOCAL_CLUSTER_CONFIG}
    with dask_client(None, 2) as client:
        on_workers = client.run(_setting, "distributed.worker.profile.enabled")
        assert list(on_workers.values()) == [False, False]
        ticks = client.run(_setting, "distributed.admin.tick.interval")
        assert set(ticks.values()) == {"1s"}
    assert {key: dask.config.get(key) for key in LOCAL_CLUSTER_CONFIG} == before
    assert before["distributed.worker.profile.enabled"] is True  # Dask's default, untouched here


@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 2), (2, 3)])
def test_tally_terms_gives_the_rows_of_count_terms(seeds_corpus, ngram_range):
    """What each batch of count_terms_at_scale sends back: count_terms' rows, unvalidated, in polars."""
    from analysis.terms import tally_terms

    expected = count_terms(seeds_corpus.paragraphs, by="outlet", ngram_range=ngram_range)
    got = tally_terms(seeds_corpus.paragraphs, by="outlet", ngram_range=ngram_range)
    assert got.schema["n"] == pl.Int64 and len(got) == len(expected) > 0
    pd.testing.assert_frame_equal(got.to_pandas(), expected.reset_index(drop=True))


def test_tally_terms_of_stop_words_only_is_empty_with_the_columns_of_count_terms():
    from analysis.terms import tally_terms

    units = pd.DataFrame({"outlet": ["X"], "article_id": ["a"], "text": ["The and of."]})
    got = tally_terms(units)
    assert got.is_empty() and got.columns == ["outlet", "term", "ngram", "n", "n_units", "n_articles"]


def _records_row_by_row(path):
    """The reference: every parquet row through the reader's per-row checks."""
    import pyarrow.parquet as pq

    from analysis.corpus._readers import _record

    rows = [r for b in pq.ParquetFile(path).iter_batches(batch_size=3) for r in b.to_pylist()]
    return [_record(r, f"{path}:row {i}", may_hold_surrogates=False) for i, r in enumerate(rows)]


@pytest.mark.parametrize("drop", [(), ("headline",), ("title", "url"), ("large",)])
def test_parquet_string_columns_read_a_column_at_a_time_give_the_row_by_row_records(tmp_path, drop):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from analysis.corpus._readers import parquet_records

    table = pa.table(
        {
            "article_id": [" a1 ", "a2", None, "a4", ""],
            "outlet": ["X", " ", None, "Y\u00a0", "Z"],
            "headline": ["H", None, " h3 ", "", "h"],
            "title": [None, "T", "", "  ", "t"],
            "text": ["one", " two ", "", "four", "five"],
            "url": [" u ", None, "", "x", "y"],
        }
    )
    if drop == ("large",):
        table = table.cast(pa.schema([(f.name, pa.large_string()) for f in table.schema]))
    else:
        table = table.drop_columns(list(drop))
    path = tmp_path / "c.parquet"
    pq.write_table(table, path, row_group_size=2)
    got = list(parquet_records(path, 3))
    expected = _records_row_by_row(path)
    assert got == expected and [list(r) for r in got] == [list(r) for r in expected]  # keys in order too
    if not drop:  # stripped; an empty title falls back to the headline
        assert got[0]["title"] == "H" and got[2]["title"] == "h3" and got[3]["outlet"] == "Y"


@pytest.mark.parametrize(
    ("column", "values", "message"),
    [
        ("text", ["one", "two", None, "four"], r"c\.parquet:row 2: 'text' is missing"),
        ("url", [None, None, ["a", "b"], None], r"c\.parquet:row 2: 'url' must be a string, not a list"),
    ],
)
def test_a_bad_parquet_row_is_still_named_by_its_row(tmp_path, column, values, message):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from analysis.corpus import CorpusError
    from analysis.corpus._readers import parquet_records

    columns = {
        "article_id": ["a", "b", "c", "d"],
        "outlet": ["X"] * 4,
        "text": ["one", "two", "three", "four"],
    }
    columns[column] = values
    path = tmp_path / "c.parquet"
    pq.write_table(pa.table(columns), path)
    with pytest.raises(CorpusError, match=message):
        list(parquet_records(path, 10))


def test_batches_added_in_any_order_keep_outlet_order_and_skip_empty_ones():
    from analysis.scale._engine import _added, _BatchCounts

    def batch(rows, n_articles, partition, outlets):
        frame = pl.DataFrame(
            rows, schema=["outlet", "term", "ngram", "n", "n_units", "n_articles"], orient="row"
        )
        first_seen = {outlet: (partition, at) for at, outlet in enumerate(outlets)}
        return _BatchCounts(frame, n_articles, 10 * n_articles, first_seen)

    first = batch([("B", "x", 1, 2, 2, 1), ("A", "x y", 2, 1, 1, 1)], 2, 0, ("B", "A"))
    second = batch([("A", "x y", 2, 3, 2, 2), ("C", "x", 1, 1, 1, 1)], 3, 1, ("A", "C"))
    third = batch([("C", "x", 1, 5, 4, 3), ("D", "z", 1, 1, 1, 1)], 4, 2, ("D", "C"))
    empty = _BatchCounts(pl.DataFrame(), 4, 0, {"E": (3, 0)})
    expected = [
        ("A", "x y", 2, 4, 3, 3),
        ("B", "x", 1, 2, 2, 1),
        ("C", "x", 1, 6, 5, 4),
        ("D", "z", 1, 1, 1, 1),
    ]
    for order in ([first, second, third], [third, first, second], [second, third, first]):
        summed = _added(*order)
        assert summed.outlets == ("B", "A", "C", "D")  # first appearance in the input
        assert (summed.n_articles, summed.n_tokens) == (9, 90)
        assert sorted(summed.counts.rows()) == expected
    nested = _added(_added(third, second), first)  # sums of sums, as the workers add
    assert nested.outlets == ("B", "A", "C", "D") and sorted(nested.counts.rows()) == expected
    assert _added(empty, first) is first and _added(first, empty) is first  # as the client skips it
    assert _added(empty) is empty


def test_dask_keeps_the_order_of_outlets_first_seen_in_late_partitions(tmp_path):
    """40 articles in 20 or more partitions (so that each worker adds 8 at a time); outlets named against
    their order of appearance, most of them first seen late: Dask equals the local engine."""
    events = ["flood in Eastbrook", "strike at the port", "election count", "bridge collapse"]
    rows = [
        {
            "article_id": f"a{i:02d}",
            "outlet": f"Outlet {'ZYXWVUTSRQ'[min(i // 4, 9)]}{i % 3}",
            "text": f"Reporters covered the {events[i % 4]} on day {i}. Officials said {i + 3} people "
            f"were affected and the {events[(i + 1) % 4]} was delayed.",
        }
        for i in range(40)
    ]
    path = tmp_path / "late.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    local = count_terms_at_scale(path, batch_size=1, engine="local", n_workers=1)
    assert local.n_batches >= 20  # .jsonl partitions are cut by an estimate of bytes per article
    first_seen = list(dict.fromkeys(row["outlet"] for row in rows))
    assert list(dict.fromkeys(local.counts["outlet"])) == first_seen != sorted(first_seen)
    summed = count_terms_at_scale(path, batch_size=1, engine="dask", n_workers=2)
    pd.testing.assert_frame_equal(summed.counts, local.counts)
    assert (summed.n_batches, summed.n_articles, summed.n_tokens) == (
        local.n_batches,
        local.n_articles,
        local.n_tokens,
    )


def test_dask_sums_where_results_lie_equal_the_local_engine(seed_inputs):
    """Narrow additions (width 2) on two workers: every batch of the seeds is its own partition."""
    from analysis.infra.cluster import dask_client, summed_where_held
    from analysis.scale._engine import _added, _BatchCounter, _counted_partition, plan_partitions

    parts = plan_partitions(seed_inputs["parquet"], batch_size=1)
    counter = _BatchCounter("paragraphs", (("ngram_range", (1, 2)), ("stop_words", None)))
    local = _added(*(_counted_partition(part, counter, None) for part in parts))
    with dask_client(None, 2) as client:
        batches = (client.submit(_counted_partition, part, counter, None, pure=False) for part in parts)
        total = summed_where_held(client, batches, _added, width=2)
        summed = total.result()
        deadline = time.monotonic() + 10
        while sum(map(len, client.has_what().values())) > 1 and time.monotonic() < deadline:
            time.sleep(0.05)  # the scheduler releases what nobody holds a moment later
        assert sum(map(len, client.has_what().values())) == 1  # the workers keep only the total
    assert summed.outlets == local.outlets and len(parts) == 5
    assert (summed.n_articles, summed.n_tokens) == (local.n_articles, local.n_tokens)
    assert sorted(summed.counts.rows()) == sorted(local.counts.rows())


def test_small_inputs_are_counted_without_starting_a_pool(seed_inputs, tmp_path, monkeypatch):
    from analysis.scale import _engine

    def no_pool(*args, **kwargs):
        raise AssertionError("a pool was started for a small input")

    monkeypatch.setattr(_engine, "ProcessPoolExecutor", no_pool)
    result = count_terms_at_scale(seed_inputs["parquet"], batch_size=2, n_workers=2)
    assert result.n_batches > 1
    path = tmp_path / "c.jsonl"
    path.write_text(
        "".join(
            json.dumps({"article_id": f"a{i}", "outlet": "X", "text": "Some text."}) + "\n" for i in range(5)
        )
    )
    parts = plan_partitions(path, batch_size=2)
    assert sum(p.n_bytes for p in parts) == path.stat().st_size  # byte ranges cover the file
    assert all(p.n_bytes > 0 for p in plan_partitions(seed_inputs["parquet"], batch_size=2))
    assert not _engine._pool_pays(parts)
    monkeypatch.setattr(_engine, "POOL_MIN_BYTES", path.stat().st_size)
    assert _engine._pool_pays(parts)
