"""Table contracts: every model states its grain, validate refuses repeated keys, shared columns are declared once."""

from __future__ import annotations

import inspect
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest
from pandera.typing import Series

import analysis.schemas as schemas_package
import analysis.schemas._fields as fields
from analysis.schemas import (
    GROUP_COLUMNS,
    SchemaViolation,
    Table,
    claims,
    compare,
    corpus,
    describe,
    empty_frame,
    frame,
    framing,
    grain_of,
    people,
    sourcing,
    terms,
    topics,
    validate,
)
from analysis.schemas import ingest as ingest_schemas
from analysis.schemas import time as time_schemas
from analysis.schemas._fields import SharedField, shared_fields
from analysis.schemas._table import key_columns

MODULES = [corpus, people, terms, topics, sourcing, framing, claims, compare, ingest_schemas, time_schemas]
MODELS = [
    model
    for module in MODULES
    for model in vars(module).values()
    if inspect.isclass(model) and issubclass(model, pa.DataFrameModel) and model.__module__ == module.__name__
]
#: Tables with no unique key, each with the reason stated next to its grain in the schema module.
NO_GRAIN = {"ArtefactEvidence"}


def _ids(model):
    return model.__name__


def test_every_capability_module_is_covered():
    public = {p.stem for p in Path(corpus.__file__).parent.glob("[a-z]*.py")}
    assert {m.__name__.rsplit(".", 1)[1] for m in MODULES} == public
    assert len(MODELS) == len(set(MODELS)) >= 60
    assert {m.__name__ for m in MODELS} >= {
        "Articles",
        "TermCounts",
        "DocTopics",
        "Quotes",
        "Tone",
        "Numbers",
    }


@pytest.mark.parametrize("model", MODELS, ids=_ids)
def test_every_model_states_its_grain(model):
    assert issubclass(model, Table)
    assert "__grain__" in vars(model)  # stated by the model itself, not inherited
    grain = grain_of(model)
    if model.__name__ in NO_GRAIN:
        assert grain is None
        return
    assert grain, f"{model.__name__} has an empty grain"
    declared = model.to_schema().columns
    assert all(part is GROUP_COLUMNS or part in declared for part in grain)
    assert len(set(grain)) == len(grain)


def test_a_table_without_a_stated_grain_is_refused():
    with pytest.raises(TypeError, match="state the table's grain"):

        class Unkeyed(Table):  # noqa: F841 - the class statement itself must fail
            x: Series[int] = pa.Field(description="x")

    with pytest.raises(TypeError, match="tuple of column names"):

        class StringKeyed(Table, grain="x"):  # noqa: F841
            x: Series[int] = pa.Field(description="x")


def test_a_repeated_key_is_refused_with_table_key_and_rows():
    table = pd.DataFrame(
        {
            "outlet": ["A", "B", "A"],
            "n_tokens": [10, 20, 30],
            "n_articles": [1, 2, 3],
            "enough": [True, True, False],
            "note": ["a", "b", "c"],
        }
    )
    with pytest.raises(SchemaViolation) as err:
        validate(table, terms.TextSufficiency, table="text_sufficiency")
    assert str(err.value) == (
        "table 'text_sufficiency' breaks its schema: grain (outlet) is not unique: "
        "1 repeated row(s), first outlet='A' (rows 0, 2)"
    )
    assert validate(table.iloc[:2], terms.TextSufficiency) is not None


def test_a_repeated_compound_key_names_every_key_column():
    table = pd.DataFrame(
        {
            "outlet": ["A", "A", "B", "B", "B"],
            "speaker": ["x", "y", "x", "x", "x"],
            "cue_lemma": ["say", "say", "say", "say", "claim"],
            "cue_category": ["neutral", "neutral", "neutral", "neutral", "loaded"],
            "n": [1, 1, 1, 2, 1],
            "quote_ids": ["q1", "q2", "q3", "q4", "q5"],
        },
        index=[10, 11, 12, 13, 14],
    )
    with pytest.raises(
        SchemaViolation,
        match=r"^table 'verbs' breaks its schema: grain \(outlet, speaker, cue_lemma, "
        r"cue_category\) is not unique: 1 repeated row\(s\), first outlet='B', "
        r"speaker='x', cue_lemma='say', cue_category='neutral' \(rows 12, 13\)$",
    ):
        validate(table, sourcing.Verbs, table="verbs")


def _term_counts(**by):
    return pd.DataFrame(
        {
            **by,
            "term": ["war", "war", "peace"],
            "ngram": [1, 1, 1],
            "n": [2, 1, 1],
            "n_units": [1, 1, 1],
            "n_articles": [1, 1, 1],
        }
    )


def test_term_counts_are_keyed_by_their_group_columns_and_term():
    by_article = _term_counts(outlet=["A", "A", "A"], article_id=["a1", "a2", "a1"])
    assert key_columns(by_article, terms.TermCounts) == ["outlet", "article_id", "term"]
    assert validate(by_article, terms.TermCounts) is by_article  # war twice, in two articles
    by_outlet = _term_counts(outlet=["A", "A", "A"])
    with pytest.raises(
        SchemaViolation, match=r"grain \(outlet, term\) is not unique: .* first outlet='A', term='war'"
    ):
        validate(by_outlet, terms.TermCounts, table="term_counts")


def test_a_table_with_no_grain_accepts_repeated_rows():
    row = {
        "article_id": "a1",
        "outlet": "A",
        "signal": "aggregator_signature",
        "start": 0,
        "end": 5,
        "text": "DMCA.",
        "context": "DMCA.",
    }
    table = pd.DataFrame([row, row])
    assert validate(table, claims.ArtefactEvidence) is table


def test_column_failures_are_reported_before_the_grain():
    table = pd.DataFrame(
        {
            "outlet": ["A", "A"],
            "n_tokens": [-1, 2],
            "n_articles": [1, 1],
            "enough": [True, True],
            "note": ["a", "b"],
        }
    )
    with pytest.raises(
        SchemaViolation,
        match=r"^table 'TextSufficiency' breaks its schema: n_tokens: "
        r"greater_than_or_equal_to\(0\) \(rows 0\)$",
    ):
        validate(table, terms.TextSufficiency)


@pytest.mark.parametrize("model", MODELS, ids=_ids)
def test_an_empty_table_of_each_model_validates(model):
    empty = empty_frame(model)
    assert list(empty.columns) == list(model.to_schema().columns)
    assert validate(empty, model) is empty


def test_frame_orders_columns_and_sets_dtypes():
    row = {"article_id": "a1", "flagged": 1, "signal": "total", "outlet": "A", "n_words": 100, "n": 3}
    rows = [{**row, "score": 30}]
    table = frame(rows, claims.ArtefactScores)
    assert list(table.columns) == ["article_id", "outlet", "n_words", "signal", "n", "score", "flagged"]
    dtypes = ["object", "object", "int64", "object", "int64", "float64", "bool"]
    assert table.dtypes.astype(str).tolist() == dtypes
    pd.testing.assert_frame_equal(frame([], claims.ArtefactScores), empty_frame(claims.ArtefactScores))


def _shared_columns():
    """(model, column, shared field) for every column of a model named like a field shared with its module."""
    cases = []
    for module in MODULES:
        registry = {**shared_fields(vars(fields)), **shared_fields(vars(module))}
        for model in (m for m in MODELS if m.__module__ == module.__name__):
            for name, col in model.to_schema().columns.items():
                if name in registry:
                    cases.append((model, name, col, registry[name]))
    return cases


def test_shared_columns_use_the_shared_description_and_dtype():
    cases = _shared_columns()
    assert len(cases) > 150
    dtypes: dict[str, set[str]] = {}
    for model, name, col, shared in cases:
        assert shared.describes(col.description), f"{model.__name__}.{name}: {col.description!r}"
        dtypes.setdefault(name, set()).add(str(col.dtype))
    assert {name: d for name, d in dtypes.items() if len(d) > 1} == {}


def test_identifiers_have_one_description_everywhere():
    seen: dict[str, set[str]] = {}
    for model in MODELS:
        for row in describe(model).itertuples(index=False):
            seen.setdefault(row.column, set()).add(row.description)
    for name in (
        "article_id",
        "outlet",
        "outlet_type",
        "paragraph_id",
        "sentence_id",
        "unit_id",
        "term",
        "topic",
        "frame",
        "speaker",
        "actor",
        "claim_id",
        "content_id",
        "codebook",
        "other",
        "quote_ids",
    ):
        assert len(seen[name]) == 1, (name, seen[name])
    assert seen["article_id"] == {"Article identifier (no ':' or spaces)."}


def test_a_shared_field_checks_its_subject():
    with pytest.raises(TypeError, match="of="):
        fields.start()
    with pytest.raises(TypeError, match="takes no 'of'"):
        fields.article_id(of="the first article")
    assert fields.start(of="the quote").description == "Offset of the quote into the article's original text."
    assert fields.n(of="mentions", ge=1).checks[0].statistics == {"min_value": 1}
    assert SharedField("x", int, "Count of {of}.").describes("Count of units in the topic.")
    assert not SharedField("x", int, "Count of {of}.").describes("Units in the topic.")


def test_describe_marks_the_key_columns():
    table = describe(sourcing.Speakers)
    assert table.columns.tolist() == ["column", "dtype", "nullable", "key", "description"]
    assert table.loc[table["key"], "column"].tolist() == ["outlet", "speaker"]
    assert describe(claims.ArtefactEvidence)["key"].sum() == 0


class _Labels(Table, grain=("label_id",)):
    """A small contract for the string-column checks."""

    label_id: Series[str] = pa.Field(str_matches=r"^n\d$", description="Id.")
    note: Series[str] = pa.Field(nullable=True, description="Free text, may be missing.")


_LABEL_CASES = {
    "strings": (["n1", "n2"], ["a", "b"], None),
    "missing_note": (["n1", "n2"], [None, float("nan")], None),
    "int_id": (
        ["n1", 2],
        ["a", "b"],
        "label_id: dtype('str') (rows 1); label_id: str_matches('^n\\d$') (rows 1)",
    ),
    "missing_id": (["n1", None], ["a", "b"], "label_id: not_nullable (rows 1)"),
    "bytes_note": (["n1", "n2"], ["a", b"b"], "note: dtype('str') (rows 1)"),
    "float_notes": (["n1", "n2"], [1.5, 2.5], "note: dtype('str') (rows 0, 1)"),
    "both": ([None, "n2"], ["a", 3], "label_id: not_nullable (rows 0); note: dtype('str') (rows 1)"),
}


def _label_message(ids, notes) -> str | None:
    try:
        validate(pd.DataFrame({"label_id": ids, "note": notes}), _Labels)
    except SchemaViolation as exc:
        return str(exc).removeprefix("table '_Labels' breaks its schema: ")
    return None


@pytest.mark.parametrize(("ids", "notes", "message"), _LABEL_CASES.values(), ids=_LABEL_CASES)
def test_string_columns_get_pandera_verdicts_and_messages(monkeypatch, ids, notes, message):
    """validate answers a str column's type and missing-value checks from one infer_dtype pass when it
    holds only strings; every verdict and message is the one pandera's own checks give."""
    assert _label_message(ids, notes) == message
    monkeypatch.setattr(schemas_package, "_checked_schema", lambda df, schema: schema.to_schema())
    assert _label_message(ids, notes) == message  # pandera checking every value itself


def test_columns_holding_only_strings_are_not_checked_value_by_value(monkeypatch):
    from pandera.engines import pandas_engine

    checked = []
    check = pandas_engine.NpString.check

    def counting(self, pandera_dtype, data_container=None):
        if data_container is not None:
            checked.append(data_container.name)
        return check(self, pandera_dtype, data_container)

    monkeypatch.setattr(pandas_engine.NpString, "check", counting)
    validate(pd.DataFrame({"label_id": ["n1", "n2"], "note": ["a", None]}), _Labels)
    assert checked == []
    with pytest.raises(SchemaViolation):
        validate(pd.DataFrame({"label_id": ["n1", "n2"], "note": ["a", 3]}), _Labels)
    assert checked == ["note"]  # only the column that is not all strings goes to pandera's check


def test_validate_changes_no_global_state():
    from pandera.engines import pandas_engine

    check = pandas_engine.NpString.check
    validate(pd.DataFrame({"label_id": ["n1"], "note": ["a"]}), _Labels)
    assert pandas_engine.NpString.check is check


def test_a_validated_table_carries_its_contract():
    table = pd.DataFrame({"label_id": ["n1"], "note": ["a"]})
    assert validate(table, _Labels).pandera.schema is _Labels.to_schema()  # not the checker built from it


class _Named(pa.DataFrameModel):
    """A model with a 'no empty string' check and a longer minimum."""

    name: Series[str] = pa.Field(str_length={"min_value": 1}, description="Name.")
    code: Series[str] = pa.Field(str_length={"min_value": 2}, description="Code.")


@pytest.mark.parametrize(
    ("names", "codes", "message"),
    [
        (["a", "b"], ["ab", "cd"], None),
        (["a", ""], ["ab", "cd"], "name: str_length(1, None) (rows 1)"),
        (["", "b"], ["ab", "c"], "name: str_length(1, None) (rows 0); code: str_length(2, None) (rows 1)"),
    ],
)
def test_a_no_empty_string_check_answered_at_once_keeps_pandera_s_verdicts(
    monkeypatch, names, codes, message
):
    def verdict():
        try:
            validate(pd.DataFrame({"name": names, "code": codes}), _Named)
        except SchemaViolation as exc:
            return str(exc).removeprefix("table '_Named' breaks its schema: ")
        return None

    assert verdict() == message
    assert "str_length" not in {
        c.name
        for c in schemas_package._checked_schema(pd.DataFrame({"name": ["a"], "code": ["ab"]}), _Named)
        .columns["name"]
        .checks
    }  # answered by one comparison: pandera never measures each value
    monkeypatch.setattr(schemas_package, "_checked_schema", lambda df, schema: schema.to_schema())
    assert verdict() == message  # pandera checking every value itself


def test_the_ordered_grain_shortcut_never_passes_a_repeated_key():
    """Neighbour comparisons may say 'unique' only when pandas' duplicated finds no repeat."""
    import random

    from analysis.schemas._table import _ordered_unique

    rng = random.Random(0)
    values = ["a", "b", "c", None, np.nan, "é", "ab"]
    answered = 0
    for _ in range(3000):
        n, k = rng.randint(0, 8), rng.randint(1, 3)
        cols = [[rng.choice(values[: rng.randint(1, 7)]) for _ in range(n)] for _ in range(k)]
        if rng.random() < 0.5:  # ordered tables, the shortcut's case
            rows = sorted(set(zip(*cols, strict=True)), key=lambda r: tuple(map(str, r)))
            cols = [[r[j] for r in rows] for j in range(k)]
        df = pd.DataFrame({f"c{j}": pd.Series(c, dtype=object) for j, c in enumerate(cols)})
        unique = not df.duplicated().any()
        fast = _ordered_unique([df[c].to_numpy() for c in df.columns], look=rng.choice([1, 2, 256]))
        assert unique or not fast, cols
        answered += fast
    assert answered > 500  # the shortcut does answer ordered tables


def test_the_ordered_grain_shortcut_on_exact_cases():
    from analysis.schemas._table import _ordered_unique

    def arr(*v):
        return np.array(v, dtype=object)

    assert _ordered_unique([arr("x", "x", "y"), arr("a", "b", "a")])
    assert not _ordered_unique([arr("x", "y", "x"), arr("a", "a", "b")])  # block x twice
    assert not _ordered_unique([arr("x", "x"), arr("b", "a")])  # not rising: says nothing
    assert not _ordered_unique([arr(None, np.nan), arr("a", "b")])  # missing keys alike to pandas
    assert _ordered_unique([np.array([1, 2, 5])]) and not _ordered_unique([np.array([1, 1])])
    assert _ordered_unique([arr()])
