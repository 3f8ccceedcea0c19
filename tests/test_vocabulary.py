"""One vocabulary: every public parameter name is in docs/vocabulary.md, no `**kwargs`, no synonyms,
and `by=` works end to end for a column other than `outlet`.

The public API is each capability package's ``__all__`` plus the ``__all__`` of its public
(non-underscore) submodules, e.g. ``analysis.report.summaries`` and ``analysis.charts.terms``.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import pkgutil
import re
from pathlib import Path
from typing import get_args

import numpy as np
import pandas as pd
import pytest

REPO = Path(__file__).resolve().parent.parent
GLOSSARY = REPO / "docs" / "vocabulary.md"
PACKAGES = [
    "corpus",
    "nlp",
    "ingest",
    "terms",
    "topics",
    "sourcing",
    "framing",
    "claims",
    "compare",
    "time",
    "scale",
    "report",
    "charts",
    "schemas",
]
#: Columns every table uses with one meaning (docs/vocabulary.md, analysis.schemas).
SHARED_COLUMNS = [
    "article_id",
    "outlet",
    "outlet_type",
    "paragraph_id",
    "sentence_id",
    "start",
    "end",
    "text",
    "term",
    "n",
    "topic",
    "frame",
    "speaker",
    "actor",
    "score",
    "se",
    "z",
    "p",
    "q",
    "ci_low",
    "ci_high",
]


def _public_modules():
    for package in PACKAGES:
        module = importlib.import_module(f"analysis.{package}")
        yield module
        for info in pkgutil.iter_modules(module.__path__):
            if not info.name.startswith("_"):
                yield importlib.import_module(f"analysis.{package}.{info.name}")


def _own_init(cls) -> bool:
    """True when ``cls.__init__`` is written (or generated, as by dataclasses) for ``cls`` itself."""
    init = cls.__dict__.get("__init__")
    return init is not None and inspect.isfunction(init)


def _public_callables() -> dict[str, object]:
    """Qualified name -> function for every public function, class ``__init__`` and public method."""
    found = {}
    for module in _public_modules():
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            where = (
                f"{obj.__module__}.{getattr(obj, '__qualname__', name)}"
                if hasattr(obj, "__module__")
                else name
            )
            if inspect.isclass(obj):
                if _own_init(obj):
                    found[f"{where}.__init__"] = obj.__init__
                for attr, value in vars(obj).items():
                    if not attr.startswith("_") and inspect.isfunction(value):
                        found[f"{where}.{attr}"] = value
            elif callable(obj) and (inspect.isfunction(obj) or hasattr(obj, "__wrapped__")):
                found[f"{module.__name__}.{name}"] = obj
    return found


CALLABLES = _public_callables()


def _parameters() -> dict[str, set[str]]:
    """Parameter name -> the public callables using it."""
    names: dict[str, set[str]] = {}
    for where, func in CALLABLES.items():
        for param in inspect.signature(func).parameters.values():
            if param.name not in ("self", "cls"):
                names.setdefault(param.name, set()).add(where)
    return names


def _notebook_parameters() -> dict[str, set[str]]:
    """Parameter name -> the notebooks whose parameters cell sets it."""
    names: dict[str, set[str]] = {}
    for path in sorted((REPO / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        cell = next(c for c in cells if "parameters" in c.get("metadata", {}).get("tags", []))
        for node in ast.parse("".join(cell["source"])).body:
            for target in getattr(node, "targets", []):
                names.setdefault(target.id, set()).add(f"notebooks/{path.name}")
    return names


def _glossary(section: str) -> dict[str, str]:
    """Entries of a ``## section`` of docs/vocabulary.md: first-column name -> the rest of the table row."""
    text = GLOSSARY.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(section)}\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    assert match, f"docs/vocabulary.md has no section '## {section}'"
    entries = {}
    for line in match.group(1).splitlines():
        row = re.match(r"^\|\s*`([A-Za-z_][A-Za-z0-9_]*)`\s*\|(.*)\|\s*$", line)
        if row:
            assert row.group(1) not in entries, f"{row.group(1)!r} is listed twice in '## {section}'"
            entries[row.group(1)] = row.group(2)
    return entries


def _forbidden() -> dict[str, str]:
    """Words we do not use -> the word to use instead, from the glossary."""
    return {name: rest.split("|")[0].strip() for name, rest in _glossary("Words we do not use").items()}


# --------------------------------------------------------------------------
# The glossary
# --------------------------------------------------------------------------


def test_the_walk_finds_the_public_api():
    # a walker that finds nothing would make every check below pass
    assert len(CALLABLES) > 100
    for where in (
        "analysis.terms._contrast.bootstrap_intervals",
        "analysis.report.summaries.terms_summary",
        "analysis.corpus._load.Corpus.units",
        "analysis.charts.terms.pairwise_chart",
        "analysis.claims.Provenance.__init__",
    ):
        assert any(
            w.endswith(where.rsplit(".", 1)[-1]) and w.split(".")[1] == where.split(".")[1] for w in CALLABLES
        ), where


def test_every_public_parameter_is_in_the_glossary():
    glossary = _glossary("Parameters")
    missing = {name: sorted(where) for name, where in _parameters().items() if name not in glossary}
    assert not missing, f"add these parameter names to docs/vocabulary.md (## Parameters): {missing}"


def test_every_notebook_parameter_is_in_the_glossary():
    glossary = _glossary("Notebook parameters") | _glossary("Parameters")
    missing = {name: sorted(where) for name, where in _notebook_parameters().items() if name not in glossary}
    assert not missing, f"add these notebook parameters to docs/vocabulary.md: {missing}"


def test_the_glossary_lists_no_parameter_that_is_gone():
    used = set(_parameters())
    stale = sorted(set(_glossary("Parameters")) - used)
    assert not stale, f"docs/vocabulary.md lists parameters no public function has: {stale}"
    used_nb = set(_notebook_parameters())
    stale_nb = sorted(set(_glossary("Notebook parameters")) - used_nb)
    assert not stale_nb, f"docs/vocabulary.md lists notebook parameters no notebook has: {stale_nb}"


def test_every_entry_says_what_it_means():
    for section in ("Columns", "Parameters", "Notebook parameters"):
        for name, rest in _glossary(section).items():
            cells = [c.strip() for c in rest.split("|")]
            assert len(cells) == 2 and all(cells), f"'{name}' in '## {section}' needs a type and a meaning"


def test_shared_columns_are_in_the_glossary():
    assert set(SHARED_COLUMNS) <= set(_glossary("Columns"))


def test_no_synonyms():
    forbidden = _forbidden()
    # the words this project once used, and their usual spellings elsewhere, stay banned
    assert {
        "seed",
        "seeds",
        "random_seed",
        "level",
        "confidence",
        "conf_level",
        "n_bootstrap",
        "groupby",
        "group_by",
        "k",
    } <= set(forbidden)
    assert not set(forbidden) & (set(_glossary("Parameters")) | set(_glossary("Notebook parameters")))
    used = _parameters()
    for name, where in _notebook_parameters().items():
        used.setdefault(name, set()).update(where)
    offending = {}
    for name, where in used.items():
        words = {name} | {
            w for w in name.split("_") if len(w) > 3
        }  # 'seeds' in stability_seeds, not 'k' in top_k
        for word in words & set(forbidden):
            offending[name] = (word, forbidden[word], sorted(where))
    assert not offending, f"synonyms of glossary words (name: (word, use instead, where)): {offending}"


def test_no_keyword_pass_throughs():
    passing = sorted(
        where
        for where, func in CALLABLES.items()
        for p in inspect.signature(func).parameters.values()
        if p.kind is p.VAR_KEYWORD
    )
    assert not passing, f"public functions with **kwargs (name the options instead): {passing}"


def test_fixed_choices_are_literals():
    from analysis.terms import _contrast, _keyness

    assert get_args(_contrast.Method) == tuple(_keyness.METHOD_COLUMNS) == _contrast.METHODS
    signature = inspect.signature(_contrast.bootstrap_intervals)
    assert get_args(_contrast.Comparison) == ("one_vs_rest", "pairwise")
    for name in ("comparison", "variance", "prior"):
        assert signature.parameters[name].annotation != "str", name


# --------------------------------------------------------------------------
# by= end to end, on a tiny hand-built corpus
# --------------------------------------------------------------------------

# Four articles, two outlets per outlet type: 'wire' (w1, w2) and 'aggregator' (g1, g2).
UNITS = pd.DataFrame(
    {
        "article_id": ["a1", "a2", "a3", "a4"],
        "outlet": ["w1", "w2", "g1", "g2"],
        "outlet_type": ["wire", "wire", "aggregator", "aggregator"],
        "text": ["troops troops shelling", "troops ceasefire", "ceasefire ceasefire talks", "talks troops"],
    }
)


@pytest.fixture(scope="module")
def per_article():
    from analysis import terms

    return terms.count_terms(UNITS, by=["outlet_type", "article_id"], ngram_range=(1, 1), stop_words=None)


def test_contrast_by_outlet_type(per_article):
    from analysis import terms

    counts = terms.collapse_counts(per_article, by="outlet_type")
    assert counts[["outlet_type", "term", "n", "n_articles"]].values.tolist() == [
        ["wire", "troops", 3, 2],
        ["wire", "ceasefire", 1, 1],
        ["wire", "shelling", 1, 1],
        ["aggregator", "ceasefire", 2, 1],
        ["aggregator", "talks", 2, 2],
        ["aggregator", "troops", 1, 1],
    ]
    scores = terms.contrast(counts, by="outlet_type", methods=("log_ratio",))
    assert list(scores.columns[:3]) == ["outlet_type", "other", "term"] and "outlet" not in scores
    wire = scores[scores["outlet_type"] == "wire"].set_index("term")
    # log2 of relative frequencies, wire 3/5 vs aggregator 1/5 for troops; zeros as 0.5
    assert wire.loc["troops", "log_ratio"] == pytest.approx(np.log2(3 / 5 / (1 / 5)))
    assert wire.loc["talks", "log_ratio"] == pytest.approx(np.log2(0.5 / 5 / (2 / 5)))
    top = terms.top_terms(scores, by="outlet_type", stat="log_ratio", top_k=1)
    # wire: troops log2(3) > shelling log2(2) > ceasefire -1; aggregator: talks 2 > ceasefire 1 > troops
    assert top[["outlet_type", "term", "rank"]].values.tolist() == [
        ["wire", "troops", 1],
        ["aggregator", "talks", 1],
    ]


def test_sufficiency_by_outlet_type(per_article):
    from analysis import terms

    counts = terms.collapse_counts(per_article, by="outlet_type")
    suff = terms.text_sufficiency(
        counts, by="outlet_type", min_tokens=5, min_articles=2, article_counts=per_article
    )
    assert suff.to_dict("records") == [
        {
            "outlet_type": "wire",
            "n_tokens": 5,
            "n_articles": 2,
            "enough": True,
            "note": "wire: 2 articles, 5 words.",
        },
        {
            "outlet_type": "aggregator",
            "n_tokens": 5,
            "n_articles": 2,
            "enough": True,
            "note": "aggregator: 2 articles, 5 words.",
        },
    ]


def test_bootstrap_intervals_by_outlet_type(per_article):
    from analysis import terms

    counts = terms.collapse_counts(per_article, by="outlet_type")
    scores = terms.contrast(counts, by="outlet_type", methods=("log_ratio",))
    selected = scores[scores["term"] == "troops"]
    ci = terms.bootstrap_intervals(
        per_article, selected, by="outlet_type", stat="log_ratio", n_boot=400, ci=0.99, random_state=3
    )
    # Each type has two articles, so a replicate takes one of them twice or both: wire has troops in
    # 4 of 6, 3 of 5 or 2 of 4 tokens, aggregator in 0 (as 0.5) of 6, 1 of 5 or 2 of 4. The extreme
    # log ratios, log2((4/6) / (0.5/6)) = 3 and log2((2/4) / (2/4)) = 0, each come up in 1/16 of the
    # replicates, far more than the 0.5% in each tail: they are the interval's ends.
    assert ci.to_dict("records") == [
        {
            "outlet_type": "wire",
            "other": "rest",
            "term": "troops",
            "stat": "log_ratio",
            "ci_low": 0.0,
            "ci_high": 3.0,
            "n_boot": 400,
        },
        {
            "outlet_type": "aggregator",
            "other": "rest",
            "term": "troops",
            "stat": "log_ratio",
            "ci_low": -3.0,
            "ci_high": 0.0,
            "n_boot": 400,
        },
    ]
    # grouping by a column is the same as calling that column 'outlet'
    as_outlet = terms.bootstrap_intervals(
        per_article.drop(columns="outlet_type").assign(outlet=per_article["outlet_type"]),
        selected.rename(columns={"outlet_type": "outlet"}),
        stat="log_ratio",
        n_boot=400,
        ci=0.99,
        random_state=3,
    )
    pd.testing.assert_frame_equal(as_outlet.rename(columns={"outlet": "outlet_type"}), ci)


def test_terms_summary_by_outlet_type(per_article):
    from analysis import terms
    from analysis.report import summaries

    counts = terms.collapse_counts(per_article, by="outlet_type")
    top = terms.top_terms(terms.contrast(counts, by="outlet_type"), by="outlet_type", top_k=1)
    suff = terms.text_sufficiency(counts, by="outlet_type", min_tokens=5, article_counts=per_article)
    lines = summaries.terms_summary(top, suff.assign(enough=[True, False]), by="outlet_type")
    z = top["z"].iat[0]
    assert lines == [
        "Too little text for a term contrast: aggregator: 2 articles, 5 words.",
        "No clear difference in the words wire uses against the other outlet_type groups: none of its top "
        f"terms ('troops'; z up to {z:.1f}) has a false-discovery rate q < 0.05.",
    ]


DOC_TOPICS = pd.DataFrame(
    {
        "unit_id": [f"u{i}" for i in range(8)],
        "article_id": ["a1", "a1", "a2", "a2", "a3", "a3", "a4", "a4"],
        "outlet": ["w1", "w1", "w2", "w2", "g1", "g1", "g2", "g2"],
        "outlet_type": ["wire"] * 4 + ["aggregator"] * 4,
        "topic": [0, 0, 0, 1, 1, 1, 1, 0],
    }
)


def test_prevalence_by_outlet_type():
    from analysis import topics

    table = topics.prevalence(DOC_TOPICS, by="outlet_type", resample="units", n_boot=200, random_state=0)
    assert table[["outlet_type", "topic", "n", "n_units", "share"]].values.tolist() == [
        ["wire", 0, 3, 4, 0.75],
        ["wire", 1, 1, 4, 0.25],
        ["aggregator", 0, 1, 4, 0.25],
        ["aggregator", 1, 3, 4, 0.75],
    ]
    as_outlet = topics.prevalence(
        DOC_TOPICS.drop(columns="outlet").rename(columns={"outlet_type": "outlet"}),
        resample="units",
        n_boot=200,
        random_state=0,
    )
    pd.testing.assert_frame_equal(as_outlet.rename(columns={"outlet": "outlet_type"}), table)
