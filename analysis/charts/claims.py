"""Figures of notebook 06: claim groups, coverage matrix, coverage gaps, provenance, translation artefacts."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from analysis.charts import _too_few_outlets, note_chart, outlet_color

__all__ = [
    "claim_groups_table",
    "claim_groups_chart",
    "coverage_table",
    "coverage_chart",
    "gaps_chart",
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


def claim_groups_table(groups: pd.DataFrame, *, min_outlets: int = 2, top: int = 30) -> pd.DataFrame:
    """Claims of groups spanning ``min_outlets`` or more outlets, with drawable interval ends.

    At most ``top`` groups are kept: disagreements first, then different
    references, compatible and agreeing groups, each in group order.

    Open bounds are drawn to 1.5x (above) or 0.5x (below) the stated value and
    flagged in ``open_bound``. Returns the ``ClaimGroups`` columns plus
    ``panel`` (group id, label and verdict), ``panel_order`` (disagreements
    first, then by group), ``x_low``, ``x_high``, ``open_bound``.
    """
    data = groups[groups["n_outlets"] >= min_outlets].copy()
    upper_open = ~np.isfinite(data["upper"])
    lower_open = data["lower"].isna()
    data["x_low"] = data["lower"].where(~lower_open, data["value"] * 0.5)
    data["x_high"] = data["upper"].where(~upper_open, data["value"] * 1.5)
    data["open_bound"] = np.select([upper_open, lower_open], ["above", "below"], "")
    data["panel"] = data["group_id"] + " · " + data["group_label"] + " · " + data["label"].str.upper()
    rank = data["label"].map(
        {k: i for i, k in enumerate(["disagree", "different_reference", "compatible", "agree"])}
    )
    data["panel_order"] = rank.fillna(9) * 1e6 + data["group_id"].str[1:].astype(int)
    keep = data.drop_duplicates("group_id").sort_values("panel_order", kind="stable")["group_id"].head(top)
    data = data[data["group_id"].isin(keep)]
    data["upper"] = data["upper"].replace(np.inf, np.nan)  # JSON-safe; open_bound keeps the information
    return data.reset_index(drop=True)


def claim_groups_chart(table: pd.DataFrame, outlets: list[str]) -> alt.Chart:
    """Figures side by side per claim group: point = stated value, bar = bounds, colour = outlet.

    Input: :func:`claim_groups_table`. One panel per group, its title ending
    in the verdict (AGREE, COMPATIBLE, DISAGREE, DIFFERENT_REFERENCE).
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
    y = alt.Y("claim_id:N", title=None, axis=alt.Axis(labels=False, ticks=False))
    tooltip = [
        "outlet:N",
        "text:N",
        "counted:N",
        "source:N",
        "time_ref:N",
        "qualifier:N",
        alt.Tooltip("value:Q", format=","),
        "open_bound:N",
        "label:N",
        "sentence:N",
    ]
    bars = base.mark_rule(strokeWidth=3, opacity=0.6).encode(
        x=alt.X("x_low:Q", title="Stated value (bar: bounds)", scale=alt.Scale(zero=False)),
        x2="x_high:Q",
        y=y,
        color=outlet_color(outlets),
    )
    points = base.mark_point(filled=True, size=90).encode(
        x="value:Q",
        y=y,
        color=outlet_color(outlets),
        shape=alt.Shape("label:N", title="Verdict"),
        tooltip=tooltip,
    )
    labels = base.mark_text(align="left", dx=8, fontSize=10).encode(x="value:Q", y=y, text="text:N")
    return (
        alt.layer(bars, points, labels)
        .properties(width=460, height=alt.Step(22))
        .facet(
            row=alt.Row(
                "panel:N",
                title=None,
                sort=panels,
                header=alt.Header(labelAngle=0, labelAlign="left", labelFontSize=11, labelLimit=520),
            )
        )
        .resolve_scale(x="independent", y="independent")
        .properties(title=title)
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


def provenance_chart(pairs: pd.DataFrame) -> alt.Chart:
    """Article x article: colour = paraphrased-sentence share, text = verdict (input: provenance pairs)."""
    title = {
        "text": "Shared copy and rewrites between articles",
        "subtitle": "Colour: share of sentences closely paraphrased; label: verdict and 5-gram containment",
    }
    if pairs.empty:
        return note_chart("Only one article", title)
    data = pairs.assign(
        a=pairs["article_id"] + " " + pairs["outlet"],
        b=pairs["other_article_id"] + " " + pairs["other_outlet"],
        note=pairs["relation"].str.replace("_", " ") + " " + pairs["containment"].map("{:.2f}".format),
    )
    base = alt.Chart(data).encode(
        x=alt.X("b:N", title=None, axis=alt.Axis(labelAngle=-30)), y=alt.Y("a:N", title=None)
    )
    cells = base.mark_rect().encode(
        color=alt.Color(
            "paraphrase_share:Q", title="Paraphrased", scale=alt.Scale(domain=[0, 1], scheme="oranges")
        ),
        tooltip=[
            "article_id:N",
            "other_article_id:N",
            "relation:N",
            alt.Tooltip("shingle_jaccard:Q", format=".2f"),
            alt.Tooltip("containment:Q", format=".2f"),
            alt.Tooltip("embed_sim:Q", format=".2f"),
            alt.Tooltip("paraphrase_share:Q", format=".0%"),
            "evidence:N",
        ],
    )
    text = base.mark_text(fontSize=10).encode(text="note:N")
    return alt.layer(cells, text).properties(width=alt.Step(120), height=alt.Step(36), title=title)


def artefacts_chart(scores: pd.DataFrame) -> alt.Chart:
    """Translation and formatting artefacts per 1,000 words, per article and signal (input: artefact scores)."""
    title = {
        "text": "Machine-translation artefacts per article",
        "subtitle": "Occurrences per 1,000 words; the translation score weighs lower-cased names 0.5",
    }
    data = scores[~scores["signal"].isin(["total", "aggregator_signature"])].copy()
    data["article"] = data["article_id"] + " " + data["outlet"]
    data = data[data["n"] > 0]
    if data.empty:
        return note_chart("No artefacts found", title)
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("article:N", title=None),
            x=alt.X("score:Q", title="Per 1,000 words", stack=True),
            color=alt.Color("signal:N", title="Signal"),
            tooltip=["article_id:N", "outlet:N", "signal:N", "n:Q", alt.Tooltip("score:Q", format=".2f")],
        )
        .properties(width=360, height=alt.Step(24), title=title)
    )
