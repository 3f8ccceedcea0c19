"""Figures of notebook 06: claim groups, coverage matrix, coverage gaps, provenance, translation artefacts."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from analysis.charts import (
    MAX_ROWS,
    _too_few_outlets,
    article_label,
    cap_rows,
    note_chart,
    outlet_color,
    with_note,
)

__all__ = [
    "compared_groups",
    "claim_groups_table",
    "claim_groups_chart",
    "coverage_table",
    "coverage_chart",
    "gaps_chart",
    "provenance_table",
    "provenance_chart",
    "artefacts_chart",
]

LABEL_COLORS = {
    "agree": "#009E73",
    "compatible": "#56B4E9",
    "different_reference": "#999999",
    "disagree": "#D55E00",
    "single": "#cccccc",
}


#: Durations are stored in days; a group is drawn in years from this many days, in hours below 2 days.
_YEARS_FROM_DAYS = 730


def _display_units(data: pd.DataFrame) -> pd.DataFrame:
    """Per group: the unit its figures are drawn in ('years', 'days', 'hours' for durations) and the factor."""
    longest = data.groupby("group_id")["value"].transform("max")
    is_day = data["unit"].eq("day")
    unit = np.select(
        [is_day & (longest >= _YEARS_FROM_DAYS), is_day & (longest < 2), is_day],
        ["years", "hours", "days"],
        "",
    )
    factor = np.select([unit == "years", unit == "hours"], [1 / 365.25, 24.0], 1.0)
    return data.assign(display_unit=unit, factor=factor)


def compared_groups(groups: pd.DataFrame, *, min_outlets: int = 2) -> pd.DataFrame:
    """The claims of the groups that ``min_outlets`` or more outlets report (``claims.compare_numbers`` rows)."""
    return groups[groups["n_outlets"] >= min_outlets]


def claim_groups_table(groups: pd.DataFrame, *, min_outlets: int = 2, top: int = 30) -> pd.DataFrame:
    """Claims of groups spanning ``min_outlets`` or more outlets, one row per outlet and stated value.

    At most ``top`` groups are kept: disagreements first, then different
    references, compatible and agreeing groups, each in group order. Claims of
    one outlet with the same value and bounds are one row (``n_claims``), so a
    panel has a row per outlet and figure however many articles repeat it.
    Durations are drawn in years from two years on and in hours under two days.

    Open bounds are drawn to 1.5x (above) or 0.5x (below) the stated value and
    flagged in ``open_bound``. Returns the ``ClaimGroups`` columns of the
    row's first claim plus ``n_claims``, ``claim_ids`` (the first 12, then how many more), ``row`` (outlet and
    value), ``display_unit`` ('years', 'days', 'hours' or ''), ``panel``
    (group id, label with the drawn unit, and verdict), ``panel_order``
    (disagreements first, then by group), ``x_value``, ``x_low``, ``x_high``
    (in the drawn unit), ``open_bound``.
    """
    data = _display_units(compared_groups(groups, min_outlets=min_outlets))
    upper_open = ~np.isfinite(data["upper"])
    lower_open = data["lower"].isna()
    data["x_value"] = data["value"] * data["factor"]
    data["x_low"] = data["lower"].where(~lower_open, data["value"] * 0.5) * data["factor"]
    data["x_high"] = data["upper"].where(~upper_open, data["value"] * 1.5) * data["factor"]
    data["open_bound"] = np.select([upper_open, lower_open], ["above", "below"], "")
    label = data["group_label"].where(
        data["display_unit"].isin(["", "days"]),
        data["group_label"].str.replace("[day]", "", regex=False).str.strip()
        + " ["
        + data["display_unit"]
        + "]",
    )
    data["panel"] = data["group_id"] + " · " + label + " · " + data["label"].str.upper()
    rank = data["label"].map(
        {k: i for i, k in enumerate(["disagree", "different_reference", "compatible", "agree"])}
    )
    data["panel_order"] = rank.fillna(9) * 1e6 + data["group_id"].str[1:].astype(int)
    keep = data.drop_duplicates("group_id").sort_values("panel_order", kind="stable")["group_id"].head(top)
    data = data[data["group_id"].isin(keep)].drop(columns="factor")
    data["upper"] = data["upper"].replace(np.inf, np.nan)  # JSON-safe; open_bound keeps the information
    same = ["group_id", "outlet", "x_value", "x_low", "x_high"]
    first = data.drop_duplicates(same).set_index(same)
    repeats = data.groupby(same, sort=False, dropna=False)["claim_id"].agg(
        n_claims="size", claim_ids=_some_ids
    )
    out = first.join(repeats).reset_index()
    out["row"] = [
        f"{o} {v:g} {lo:g}-{hi:g}" for o, v, lo, hi in out[["outlet", *same[2:]]].itertuples(index=False)
    ]
    return out[[*data.columns, "n_claims", "claim_ids", "row"]].reset_index(drop=True)


def _some_ids(ids: pd.Series, shown: int = 12) -> str:
    """The first ``shown`` ids joined by spaces, then how many more (a tooltip stays readable at any scale)."""
    more = len(ids) - shown
    return " ".join(ids.iloc[:shown]) + (f" (+{more} more)" if more > 0 else "")


def claim_groups_chart(table: pd.DataFrame, outlets: list[str], *, n_groups: int = 0) -> alt.Chart:
    """Figures side by side per claim group: point = stated value, bar = bounds, colour = outlet.

    Input: :func:`claim_groups_table`. One panel per group, its title ending
    in the verdict (AGREE, COMPATIBLE, DISAGREE, DIFFERENT_REFERENCE). ``n_groups``: how many groups the
    table was chosen from (``compared_groups(groups)["group_id"].nunique()``), for a note on the rest.
    """
    title = {
        "text": "Figures side by side: where outlets agree and where they disagree",
        "subtitle": "One panel per group of claims about the same quantity; bar = bounds from qualifiers "
        "(open bounds drawn to 1.5x), verdict in the panel title",
    }
    if table.empty:
        return note_chart(
            _too_few_outlets(outlets, "Comparing figures across outlets")
            or "No quantity is reported by two or more outlets",
            title,
        )
    panels = table.sort_values("panel_order", kind="stable")["panel"].drop_duplicates().tolist()
    base = alt.Chart(table)
    y = alt.Y("row:N", title=None, axis=alt.Axis(labels=False, ticks=False))
    tooltip = [
        "outlet:N",
        alt.Tooltip("text:N", title="Stated as"),
        alt.Tooltip("counted:N", title="What is counted"),
        alt.Tooltip("source:N", title="Source"),
        alt.Tooltip("time_ref:N", title="When"),
        alt.Tooltip("qualifier:N", title="Qualifier"),
        alt.Tooltip("x_value:Q", format=",.4~g", title="Value (unit of the panel)"),
        "open_bound:N",
        alt.Tooltip("n_claims:Q", title="Claims with this figure"),
        alt.Tooltip("claim_ids:N", title="Claims"),
        "label:N",
        alt.Tooltip("sentence:N", title="Sentence (first claim)"),
    ]
    bars = base.mark_rule(strokeWidth=3, opacity=0.6).encode(
        x=alt.X("x_low:Q", title="Stated value, in the unit of the panel title", scale=alt.Scale(zero=False)),
        x2="x_high:Q",
        y=y,
        color=outlet_color(outlets),
    )
    points = base.mark_point(filled=True, size=90).encode(
        x="x_value:Q",
        y=y,
        color=outlet_color(outlets),
        shape=alt.Shape("label:N", title="Verdict"),
        tooltip=tooltip,
    )
    labels = (
        base.transform_calculate(
            shown="datum.n_claims > 1 ? datum.text + ' (x' + datum.n_claims + ')' : datum.text"
        )
        .mark_text(align="left", dx=8, fontSize=10)
        .encode(x="x_value:Q", y=y, text="shown:N")
    )
    # One view per panel rather than a facet: Vega-Lite warns about (and guesses the size of) a facet
    # of layers whose independent y scale is sized by step (vega-lite#2736).
    views = [
        alt.layer(bars, points, labels)
        .transform_filter(alt.FieldEqualPredicate(field="panel", equal=panel))
        .properties(
            width=460,
            height=alt.Step(22),
            title=alt.TitleParams(panel, anchor="start", fontSize=11, fontWeight="normal", limit=520),
        )
        for panel in panels
    ]
    left_out = n_groups - len(panels)
    note = f"+ {left_out:,} more claim groups not shown; see the csv" if left_out > 0 else ""
    return (
        alt.vconcat(*views)
        .resolve_scale(x="independent", y="independent")
        .properties(title=with_note(title, note))
    )


def coverage_table(coverage: pd.DataFrame, *, top: int = 40) -> pd.DataFrame:
    """The ``top`` content units covered by most outlets (ties: corpus order), for the matrix figure.

    Units reported by a single outlet are left to :func:`gaps_chart` unless no
    unit is shared. Returns the ``Coverage`` columns plus ``unit`` (id and
    label) and ``status`` ('covered' / 'not covered').
    """
    units = coverage.drop_duplicates("content_id")[["content_id", "n_outlets"]].copy()
    if (units["n_outlets"] > 1).any():
        units = units[units["n_outlets"] > 1]
    units["order"] = units["content_id"].str[1:].astype(int)
    keep = units.sort_values(["n_outlets", "order"], ascending=[False, True]).head(top)["content_id"]
    data = coverage[coverage["content_id"].isin(keep)].copy()
    data["unit"] = data["content_id"] + " · " + data["content_label"]
    data["status"] = np.where(data["covered"], "covered", "not covered")
    return data.reset_index(drop=True)


def coverage_chart(table: pd.DataFrame, outlets: list[str]) -> alt.Chart:
    """Content units (rows) x outlets (columns): filled = the outlet reports it (input: :func:`coverage_table`)."""
    title = {
        "text": "Who reported what: content units x outlets",
        "subtitle": "Rows are clusters of passages aligned across outlets; hover for the passages",
    }
    if len(outlets) < 2 or table.empty:
        return note_chart(_too_few_outlets(outlets, "Comparing coverage") or "No content units", title)
    order = (
        table.drop_duplicates("unit")
        .sort_values(["n_outlets"], ascending=False, kind="stable")["unit"]
        .tolist()
    )
    return (
        alt.Chart(table)
        .mark_rect(stroke="white")
        .encode(
            x=alt.X(
                "outlet:N", sort=outlets, title=None, axis=alt.Axis(orient="top", labelAngle=0, grid=False)
            ),
            y=alt.Y("unit:N", sort=order, title=None, axis=alt.Axis(labelLimit=360, grid=False)),
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=["covered", "not covered"], range=["#0072B2", "#eeeeee"]),
                title=None,
            ),
            tooltip=[
                "content_id:N",
                "content_label:N",
                "outlet:N",
                "status:N",
                "n_passages:Q",
                "unit_ids:N",
                "example:N",
            ],
        )
        .properties(width=alt.Step(90), height=alt.Step(16), title=title)
    )


def gaps_chart(gaps: pd.DataFrame, outlets: list[str]) -> alt.Chart:
    """Per outlet: content units it alone reports and units most others report but it omits."""
    title = {
        "text": "Exclusive and omitted content per outlet",
        "subtitle": "Exclusive: only this outlet; omitted: more than half of the other outlets report it",
    }
    if len(outlets) < 2 or gaps.empty:
        return note_chart(
            _too_few_outlets(outlets, "Finding exclusive and omitted content")
            or "No exclusive or omitted content",
            title,
        )
    counts = gaps.groupby(["outlet", "status"], sort=False).size().rename("n").reset_index()
    return (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            y=alt.Y("outlet:N", sort=outlets, title=None),
            x=alt.X("n:Q", title="Content units"),
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=["exclusive", "omitted"], range=["#009E73", "#D55E00"]),
                title=None,
            ),
            yOffset=alt.YOffset("status:N"),
            tooltip=["outlet:N", "status:N", "n:Q"],
        )
        .properties(width=360, height=alt.Step(16), title=title)
    )


#: Relations that mean one article's text comes from the other's (see ``claims.provenance``).
COPY_RELATIONS = ["near_duplicate", "shared_copy", "rewrite"]


def _count_words(values: pd.Series) -> str:
    """'2 rewrite, 13 same story': how often each value occurs, in order of appearance."""
    counts = values.value_counts(sort=False)
    return ", ".join(f"{n} {value.replace('_', ' ')}" for value, n in counts.items())


def provenance_table(pairs: pd.DataFrame, outlets: list[str] | None = None) -> pd.DataFrame:
    """Article pairs summed per pair of outlets (the data of :func:`provenance_chart`).

    Each unordered pair of outlets is one row (an outlet with itself included), named in ``outlets``
    order (default: order of appearance).

    Returns
    -------
    DataFrame
        Columns ``outlet``, ``other_outlet``, ``n_pairs`` (article pairs compared), ``n_copies`` (pairs
        whose relation is in :data:`COPY_RELATIONS`), ``copy_share``, ``max_paraphrase_share``,
        ``relations`` ('2 rewrite, 13 same story'), ``top_pairs`` (up to three article pairs with the
        highest paraphrase share, 'id–id'), ``note`` (the cell text).
    """
    order = outlets or list(dict.fromkeys([*pairs["outlet"], *pairs["other_outlet"]]))
    rank = {o: i for i, o in enumerate(order)}
    swap = pairs["outlet"].map(rank) > pairs["other_outlet"].map(rank)
    data = pairs.assign(
        outlet=pairs["outlet"].where(~swap, pairs["other_outlet"]),
        other_outlet=pairs["other_outlet"].where(~swap, pairs["outlet"]),
        copy=pairs["relation"].isin(COPY_RELATIONS),
        pair=pairs["article_id"] + "–" + pairs["other_article_id"],
    ).sort_values("paraphrase_share", ascending=False, kind="stable")
    grouped = data.groupby(["outlet", "other_outlet"], sort=False)
    out = grouped.agg(
        n_pairs=("pair", "size"),
        n_copies=("copy", "sum"),
        max_paraphrase_share=("paraphrase_share", "max"),
        top_pairs=("pair", lambda p: " ".join(p.head(3))),
        relations=("relation", _count_words),
    ).reset_index()
    out["n_copies"] = out["n_copies"].astype("int64")
    out["copy_share"] = out["n_copies"] / out["n_pairs"]
    out["note"] = [
        f"{c} of {n} copied" if c else f"no copy ({n} pair{'s' if n > 1 else ''})"
        for c, n in zip(out["n_copies"], out["n_pairs"], strict=True)
    ]
    key = out["outlet"].map(rank) * len(order) + out["other_outlet"].map(rank)
    return out.assign(_key=key).sort_values("_key").drop(columns="_key").reset_index(drop=True)


def provenance_chart(pairs: pd.DataFrame, outlets: list[str] | None = None) -> alt.LayerChart | alt.Chart:
    """Outlet x outlet: share of their article pairs that share copy or rewrite one another (input: provenance pairs).

    One cell per pair of outlets whatever the number of articles (:func:`provenance_table`); the
    article pairs themselves are in the CSV and the tooltip names the closest three.
    """
    title = {
        "text": "Shared copy and rewrites between outlets",
        "subtitle": "Colour: share of the article pairs (same story) that are near duplicates, shared copy or "
        "rewrites; label: how many; hover for the relations and the closest pairs",
    }
    if pairs.empty:
        return note_chart("Only one article", title)
    data = provenance_table(pairs, outlets)
    order = outlets or list(dict.fromkeys([*data["outlet"], *data["other_outlet"]]))
    base = alt.Chart(data).encode(
        x=alt.X("other_outlet:N", sort=order, title=None, axis=alt.Axis(labelAngle=-30, orient="top")),
        y=alt.Y("outlet:N", sort=order, title=None),
    )
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color(
            "copy_share:Q",
            title="Pairs copied",
            scale=alt.Scale(domain=[0, 1], range=["#f2f2f2", "#fdae6b", "#d94801"]),
            legend=alt.Legend(format="%"),
        ),
        tooltip=[
            "outlet:N",
            "other_outlet:N",
            alt.Tooltip("n_pairs:Q", title="Article pairs compared"),
            alt.Tooltip("n_copies:Q", title="Copies or rewrites"),
            alt.Tooltip("relations:N", title="Relations"),
            alt.Tooltip("max_paraphrase_share:Q", format=".0%", title="Most paraphrased pair"),
            alt.Tooltip("top_pairs:N", title="Closest article pairs"),
        ],
    )
    text = base.mark_text(fontSize=10).encode(
        text="note:N", color=alt.condition("datum.copy_share > 0.6", alt.value("white"), alt.value("black"))
    )
    return alt.layer(cells, text).properties(width=alt.Step(130), height=alt.Step(36), title=title)


def artefacts_chart(
    scores: pd.DataFrame, *, articles: pd.DataFrame | None = None, top_k: int = MAX_ROWS
) -> alt.Chart:
    """Translation and formatting artefacts per 1,000 words, per article and signal (input: artefact scores).

    The ``top_k`` articles with the highest summed score are drawn, labelled by outlet, headline and
    date (headlines from ``articles``); the note under the title counts the others.
    """
    title = {
        "text": "Machine-translation artefacts per article",
        "subtitle": "Occurrences per 1,000 words; the translation score weighs lower-cased names 0.5",
    }
    data = scores[~scores["signal"].isin(["total", "aggregator_signature"])]
    data = data[data["n"] > 0]
    if data.empty:
        return note_chart("No artefacts found", title)
    data, note = cap_rows(data, "article_id", top_k, rank="score", noun="articles with artefacts")
    data = data.assign(article=article_label(data, articles))
    order = data.groupby("article", sort=False)["score"].sum().sort_values(ascending=False, kind="stable")
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("article:N", title=None, sort=order.index.tolist(), axis=alt.Axis(labelLimit=360)),
            x=alt.X("score:Q", title="Per 1,000 words", stack=True),
            color=alt.Color("signal:N", title="Signal"),
            tooltip=[
                "article:N",
                "article_id:N",
                "signal:N",
                "n:Q",
                alt.Tooltip("score:Q", format=".2f", title="Per 1,000 words"),
            ],
        )
        .properties(width=360, height=alt.Step(24), title=with_note(title, note))
    )
