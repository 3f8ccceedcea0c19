"""Figures of notebook 03: Fightin'-Words scatter, ranked distinctive terms, outlet x outlet panel.

Every builder takes validated tables (``contrast.contrast``, ``contrast.top_terms``,
``contrast.bootstrap_intervals``, ``contrast.text_sufficiency``) and, when an outlet
has too little text, shows its note instead of a figure for it.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from analysis.charts import MAX_PANELS, _shorten, cap_rows, note_chart, outlet_color, with_note
from analysis.charts._labels import place_labels
from analysis.schemas.corpus import compared_noun

__all__ = [
    "fightin_words_chart",
    "top_terms_chart",
    "pairwise_chart",
    "word_shift_chart",
    "semiotic_square_chart",
]

_SIDES = ["over-used", "under-used", "not distinctive"]
_SIDE_COLORS = ["#D55E00", "#0072B2", "#BBBBBB"]


def _enough(sufficiency: pd.DataFrame | None, outlets: list[str]) -> tuple[list[str], list[str]]:
    if sufficiency is None:
        return outlets, []
    ok = set(sufficiency.loc[sufficiency["enough"], "outlet"])
    notes = sufficiency.loc[~sufficiency["enough"] & sufficiency["outlet"].isin(outlets), "note"].tolist()
    return [o for o in outlets if o in ok], notes


def _left_out(sufficiency: pd.DataFrame | None, outlets: list[str]) -> str:
    """A note on the outlets of ``sufficiency`` that the figure's table leaves out ("" when none).

    Notebook 03 bounds its per-outlet figures with ``terms.largest_outlets``; the note says so.
    """
    if sufficiency is None:
        return ""
    left = int((~sufficiency["outlet"].isin(outlets)).sum())
    noun = compared_noun(sufficiency["outlet"])
    if not left:
        return ""
    if not outlets:
        return f"{left:,} {noun}s not shown."
    return (
        f"+ {left:,} more {noun}s not shown: the figure (and its csv) keeps the {len(outlets):,} with enough "
        "text and the most counted words."
    )


def _panel(df: pd.DataFrame) -> pd.Series:
    """Facet label: the outlet (one-vs-rest) or 'outlet vs other' (pairwise)."""
    return df["outlet"].where(df["other"] == "rest", df["outlet"] + " vs " + df["other"])


def _log_ticks(upper: float) -> list[int]:
    """1, 2, 5, 10, 20, 50, ... up to ``upper``: readable ticks for a log axis."""
    return [
        m * 10**e for e in range(int(np.log10(max(upper, 1))) + 1) for m in (1, 2, 5) if m * 10**e <= upper
    ]


def _count_ticks(upper: int) -> list[int]:
    """At most six whole-number legend values from 0 to ``upper`` (at least 0 and 1), ending on ``upper``."""
    upper = max(upper, 1)
    step = max(1, int(np.ceil(upper / 5)))
    return sorted({*range(0, upper, step), upper})


def _with_notes(chart, notes: list[str], title: dict, shown: list[str]):
    if not shown:
        return note_chart(notes or ["No outlet has enough text for this comparison."], title)
    if not notes:
        return chart.properties(title=title)
    return alt.vconcat(chart, note_chart(notes)).properties(title=title)


_FW_WIDTH, _FW_HEIGHT, _LABEL_FONT = 300, 220, 10


def _place_term_labels(
    df: pd.DataFrame, stat: str, x_domain: list[float], y_domain: list[float]
) -> pd.DataFrame:
    """``df`` with label positions (``label_freq``, ``label_y`` in data units, ``label_align``, ``moved``)
    chosen per panel by :func:`analysis.charts._labels.place_labels` in the Fightin' Words plot's pixels."""
    log_lo, log_span = np.log10(x_domain[0]), np.log10(x_domain[1]) - np.log10(x_domain[0])
    y_span = y_domain[1] - y_domain[0]
    df = df.assign(label_freq=np.nan, label_y=np.nan, label_align="", moved=False)
    for _, rows in df[df["label"] != ""].sort_values(stat, ascending=False).groupby("panel", sort=False):
        px = (np.log10(rows["freq"].to_numpy(float)) - log_lo) / log_span * _FW_WIDTH
        py = (y_domain[1] - rows[stat].to_numpy(float)) / y_span * _FW_HEIGHT
        lx, ly, align = place_labels(
            px, py, rows["label"].tolist(), width=_FW_WIDTH, height=_FW_HEIGHT, font_size=_LABEL_FONT
        )
        df.loc[rows.index, "label_freq"] = 10 ** (log_lo + lx / _FW_WIDTH * log_span)
        df.loc[rows.index, "label_y"] = y_domain[1] - ly / _FW_HEIGHT * y_span
        df.loc[rows.index, "label_align"] = align
        df.loc[rows.index, "moved"] = np.abs(ly - py) > 1
    return df


def fightin_words_chart(
    scores: pd.DataFrame,
    *,
    stat: str = "z",
    threshold: float = 1.96,
    n_labels: int = 5,
    max_points: int = 1000,
    sufficiency: pd.DataFrame | None = None,
) -> alt.TopLevelMixin:
    """Monroe et al.'s Figure: term frequency (log scale) against z, one panel per outlet.

    Parameters
    ----------
    scores : DataFrame
        One-vs-rest output of ``contrast.contrast`` with column ``stat``.
    threshold : float
        |stat| beyond which a term is coloured as over- or under-used.
    n_labels : int
        Terms labelled per outlet (the highest ``stat``), placed so that no two labels overlap
        (a label that fits nowhere near its point is left out; a moved label gets a leader line).
    max_points : int
        Points kept per outlet (the most frequent, plus every labelled term), to keep
        the figure light on large vocabularies; the subtitle says how many were left out.
    sufficiency : DataFrame, optional
        ``contrast.text_sufficiency``; outlets without enough text get their note instead, and
        its outlets absent from ``scores`` (e.g. beyond ``terms.largest_outlets``) are counted.
    """
    outlets = list(dict.fromkeys(scores["outlet"]))
    shown, notes = _enough(sufficiency, outlets)
    title = {
        "text": "Which words set each outlet apart (Fightin' Words)",
        "subtitle": f"Each dot is a term; above the band |{stat}| < {threshold} the outlet uses it more than the "
        "others combined, below it less. Labels: most distinctive terms.",
    }
    if not shown:
        return _with_notes(None, notes, with_note(title, _left_out(sufficiency, outlets)), shown)
    df = scores.loc[scores["outlet"].isin(shown) & scores["other"].isin([*shown, "rest"])].copy()
    df["panel"] = _panel(df)
    df["freq"] = df["n"] + df["n_other"]
    df["side"] = np.where(
        df[stat] >= threshold, _SIDES[0], np.where(df[stat] <= -threshold, _SIDES[1], _SIDES[2])
    )
    panels = list(dict.fromkeys(df["panel"]))
    df = df.sort_values(["panel", stat, "term"], ascending=[True, False, True], kind="mergesort")
    df["label"] = np.where(
        (df.groupby("panel").cumcount() < n_labels) & (df[stat] >= threshold), df["term"], ""
    )
    # terms at the same spot share one label ("amma, didn't") instead of overprinting
    picked = df.loc[df["label"] != ""].assign(_spot=lambda d: d[stat].round(6))
    spot = ["panel", "n", "n_other", "_spot"]
    joined = picked.groupby(spot)["term"].transform(", ".join)
    first = ~picked.duplicated(subset=spot)
    df["label"] = ""
    df.loc[first.index[first], "label"] = joined[first]
    df = df.sort_values(["panel", "freq", "term"], ascending=[True, False, True], kind="mergesort")
    n_terms = len(df)
    df = df.loc[(df.groupby("panel").cumcount() < max_points) | (df["label"] != "")]
    left_out = n_terms - len(df)
    note = f"+ {left_out:,} rarer terms not drawn; see the csv" if left_out else ""
    x_domain = [float(df["freq"].min()), float(df["freq"].max())] if len(df) else [1.0, 10.0]
    x_domain[1] = max(x_domain[1], x_domain[0] * 2)
    pad = 0.05 * max(float(df[stat].max() - df[stat].min()), 1.0) if len(df) else 1.0
    y_domain = [float(df[stat].min()) - pad, float(df[stat].max()) + pad] if len(df) else [-1.0, 1.0]
    df = _place_term_labels(df, stat, x_domain, y_domain)
    cols = [
        "panel",
        "outlet",
        "other",
        "term",
        "freq",
        "n",
        "n_other",
        "n_articles",
        "dispersion_flag",
        stat,
        "side",
        "label",
        "label_freq",
        "label_y",
        "label_align",
        "moved",
    ]
    cols += [c for c in ("q",) if c in df.columns and c != stat]
    df = df[cols].reset_index(drop=True)
    tooltip = [
        "term:N",
        alt.Tooltip("n:Q", title="count in outlet"),
        alt.Tooltip("n_other:Q", title="count in rest"),
        alt.Tooltip("n_articles:Q", title="articles using it"),
        alt.Tooltip(f"{stat}:Q", format=".2f"),
        *([alt.Tooltip("q:Q", format=".3g", title="q (BH)")] if "q" in df.columns else []),
        alt.Tooltip("dispersion_flag:N", title="one article only"),
    ]
    x = alt.X(
        "freq:Q",
        scale=alt.Scale(type="log", domain=x_domain, nice=False),
        title="Count in all outlets (log scale)",
        axis=alt.Axis(values=_log_ticks(x_domain[1])),
    )
    y = alt.Y(
        f"{stat}:Q", title=f"{stat} (outlet vs comparison)", scale=alt.Scale(domain=y_domain, nice=False)
    )
    points = (
        alt.Chart()
        .mark_circle(size=22, opacity=0.65)
        .encode(
            x=x,
            y=y,
            color=alt.Color("side:N", scale=alt.Scale(domain=_SIDES, range=_SIDE_COLORS), title=None),
            tooltip=tooltip,
        )
    )
    labelled = alt.Chart().transform_filter("isValid(datum.label_y)")
    leaders = (
        labelled.transform_filter("datum.moved")
        .mark_rule(color="#999", strokeWidth=0.7)
        .encode(x="freq:Q", y=f"{stat}:Q", x2="label_freq:Q", y2="label_y:Q")
    )
    labels = [
        labelled.transform_filter(f"datum.label_align == '{side}'")
        .mark_text(align=side, baseline="middle", fontSize=_LABEL_FONT)
        .encode(x="label_freq:Q", y="label_y:Q", text="label:N")
        for side in ("left", "right")
    ]
    chart = (
        alt.layer(points, leaders, *labels, data=df)
        .properties(width=_FW_WIDTH, height=_FW_HEIGHT)
        .facet(facet=alt.Facet("panel:N", sort=panels, title=None), columns=2)
    )
    return _with_notes(chart, notes, with_note(title, note, _left_out(sufficiency, outlets)), shown)


def top_terms_chart(
    top: pd.DataFrame,
    intervals: pd.DataFrame | None = None,
    *,
    stat: str = "z",
    sufficiency: pd.DataFrame | None = None,
) -> alt.TopLevelMixin:
    """Ranked bars of each outlet's most distinctive terms, with bootstrap intervals.

    Parameters
    ----------
    top : DataFrame
        ``contrast.top_terms`` of a one-vs-rest contrast.
    intervals : DataFrame, optional
        ``contrast.bootstrap_intervals`` for the same rows and ``stat``; a rule spans ci_low to ci_high.
    sufficiency : DataFrame, optional
        Outlets without enough text get their note instead of bars; its outlets absent from
        ``top`` (e.g. beyond ``terms.largest_outlets``) are counted.
    """
    outlets = list(dict.fromkeys(top["outlet"]))
    shown, notes = _enough(sufficiency, outlets)
    title = with_note(
        {
            "text": "Most distinctive terms per outlet",
            "subtitle": "Black rules: 95% article-level bootstrap interval (absent when the outlet has one "
            "article); pale bars: term from a single article.",
        },
        _left_out(sufficiency, outlets),
    )
    if not shown:
        return _with_notes(None, notes, title, shown)
    df = top.loc[
        top["outlet"].isin(shown) & top["other"].isin([*shown, "rest"]),
        ["outlet", "other", "term", "rank", "n", "n_other", "n_articles", "dispersion_flag", stat],
    ]
    if intervals is not None:
        df = df.merge(
            intervals[["outlet", "other", "term", "ci_low", "ci_high"]],
            on=["outlet", "other", "term"],
            how="left",
        )
    else:
        df = df.assign(ci_low=np.nan, ci_high=np.nan)
    df["carried by"] = np.where(df["dispersion_flag"], "one article", "several articles")
    df["panel"] = _panel(df)
    panels = list(dict.fromkeys(df["panel"]))
    df = df.reset_index(drop=True)
    y = alt.Y("term:N", sort=alt.EncodingSortField(field="rank", op="min", order="ascending"), title=None)
    tooltip = [
        "term:N",
        alt.Tooltip("n:Q", title="count in outlet"),
        alt.Tooltip("n_other:Q", title="count in other"),
        alt.Tooltip("n_articles:Q", title="articles using it"),
        alt.Tooltip(f"{stat}:Q", format=".2f"),
        alt.Tooltip("ci_low:Q", format=".2f"),
        alt.Tooltip("ci_high:Q", format=".2f"),
    ]
    bars = (
        alt.Chart()
        .mark_bar()
        .encode(
            y=y,
            x=alt.X(f"{stat}:Q", title=f"{stat} (outlet vs comparison)"),
            color=outlet_color(shown, legend=False),
            opacity=alt.Opacity(
                "carried by:O",  # ordinal: Vega-Lite warns on an opacity scale over an unsorted field
                scale=alt.Scale(domain=["several articles", "one article"], range=[1.0, 0.4]),
                title="Term carried by",
            ),
            tooltip=tooltip,
        )
    )
    # A term without an interval gets a zero-length (invisible) rule at its bar's end rather than no row:
    # a view whose rules were all filtered out would make Vega warn of an infinite extent.
    rules = (
        alt.Chart()
        .transform_calculate(
            rule_low=f"isValid(datum.ci_low) ? datum.ci_low : datum['{stat}']",
            rule_high=f"isValid(datum.ci_high) ? datum.ci_high : datum['{stat}']",
        )
        .mark_rule(color="black")
        .encode(y=y, x="rule_low:Q", x2="rule_high:Q")
    )
    # One view per panel rather than a facet: Vega-Lite warns about (and guesses the size of) a facet
    # of layers whose independent y scale is sized by step (vega-lite#2736).
    views = [
        alt.layer(bars, rules, data=df)
        .transform_filter(alt.FieldEqualPredicate(field="panel", equal=panel))
        .properties(
            width=240,
            height=alt.Step(16),
            title=alt.TitleParams(panel, anchor="start", fontSize=11, fontWeight="normal"),
        )
        for panel in panels
    ]
    chart = alt.concat(*views, columns=2).resolve_scale(x="shared", y="independent")
    return _with_notes(chart, notes, title, shown)


def pairwise_chart(
    pair_scores: pd.DataFrame,
    *,
    stat: str = "z",
    q_max: float = 0.05,
    top_k: int = 3,
    sufficiency: pd.DataFrame | None = None,
) -> alt.TopLevelMixin:
    """Outlet x outlet panel: how many terms the row outlet over-uses against the column outlet.

    Cell colour counts terms with ``stat`` > 0 and ``q`` < ``q_max`` (or ``stat`` > 1.96 without
    ``q``); the cell text names the ``top_k`` terms with the highest ``stat``, significant or not
    (on small corpora few terms reach significance; the colour says how many do). Pairs
    involving an outlet with too little text show 'too little text' and no colour. Outlets of
    ``sufficiency`` absent from ``pair_scores`` (``terms.contrast(outlet=terms.largest_outlets(...))``)
    are counted in the subtitle.
    """
    outlets = list(dict.fromkeys(pair_scores["outlet"]))
    shown, _notes = _enough(sufficiency, outlets)
    sig = pair_scores[stat] > 0
    sig &= pair_scores["q"] < q_max if "q" in pair_scores.columns else pair_scores[stat] > 1.96
    ranked = (
        pair_scores.loc[(pair_scores[stat] > 0) & (pair_scores["n"] > 0)]
        .assign(sig=sig)
        .sort_values(["outlet", "other", stat, "term"], ascending=[True, True, False, True], kind="mergesort")
    )
    grouped = ranked.groupby(["outlet", "other"], sort=False)
    summary = pd.DataFrame(
        {
            "n_terms": grouped["sig"].sum(),
            "top": grouped["term"].agg(lambda t: ", ".join(t.head(top_k))),
            "top_10": grouped["term"].agg(lambda t: ", ".join(t.head(10))),
        }
    ).reset_index()
    cells = pd.DataFrame([(o, t) for o in outlets for t in outlets if o != t], columns=["outlet", "other"])
    cells = cells.merge(summary, on=["outlet", "other"], how="left")
    cells["n_terms"] = cells["n_terms"].fillna(0).astype("int64")
    cells[["top", "top_10"]] = cells[["top", "top_10"]].fillna("")
    thin = ~cells["outlet"].isin(shown) | ~cells["other"].isin(shown)
    cells.loc[thin, "top"] = "too little text"
    cells["shown_terms"] = np.where(thin, np.nan, cells["n_terms"])
    base = alt.Chart(cells).encode(
        y=alt.Y("outlet:N", sort=outlets, title="Outlet (uses these terms more)"),
        x=alt.X("other:N", sort=outlets, title="compared with", axis=alt.Axis(orient="top", labelAngle=0)),
    )
    rect = base.mark_rect(stroke="white").encode(
        color=alt.Color(
            "shown_terms:Q",
            title=f"terms at q < {q_max}",
            legend=alt.Legend(format="d", values=_count_ticks(int(cells["n_terms"].max()))),
            scale=alt.Scale(scheme="oranges", domain=[0, max(1, int(cells["n_terms"].max()))]),
        ),
        tooltip=[
            "outlet:N",
            "other:N",
            alt.Tooltip("n_terms:Q", title="distinctive terms"),
            alt.Tooltip("top_10:N", title="top terms"),
        ],
    )
    text = base.mark_text(fontSize=10, limit=150).encode(text="top:N")
    title = {
        "text": "Outlet against outlet: what each uses more",
        "subtitle": f"Colour: how many terms the row outlet uses more at q < {q_max}; text: its top {top_k} "
        f"terms by {stat} (significant or not). Diagonal empty.",
    }
    return (rect + text).properties(
        width=alt.Step(160), height=alt.Step(44), title=with_note(title, _left_out(sufficiency, outlets))
    )


# --------------------------------------------------------------------------
# Word shifts (terms.word_shift) and the semiotic square (terms.semiotic_square)
# --------------------------------------------------------------------------

#: Word-shift components: shifterator's class names, their legend text and shifterator's colours.
_SHIFT_PARTS = {
    "pos_s_pos_p": ("+↑ above reference, used more", "#FFFF80"),
    "pos_s_neg_p": ("+↓ above reference, used less", "#FDFFD2"),
    "neg_s_pos_p": ("−↑ below reference, used more", "#2F7CCE"),
    "neg_s_neg_p": ("−↓ below reference, used less", "#C4CAFC"),
    "pos_s": ("▲ score higher in the first group", "#FECC5D"),
    "neg_s": ("▽ score lower in the first group", "#9E75B7"),
}
_SHIFT_TITLES = {
    "sentiment": "Why the tone differs, word by word",
    "shannon": "Why the vocabulary's diversity (entropy) differs, word by word",
    "jsd": "Which words make the vocabularies diverge (Jensen-Shannon divergence)",
    "proportion": "Which words' shares differ most",
}
_SHIFT_WIDTH, _INSET_WIDTH, _CUMULATIVE_POINTS = 260, 90, 60


def _cumulative_points(shift: pd.DataFrame, top_k: int) -> pd.DataFrame:
    """Every rank up to ``top_k``, then about :data:`_CUMULATIVE_POINTS` log-spaced ranks to the last, per panel."""
    parts = []
    for _, rows in shift.groupby("panel", sort=False):
        last = int(rows["rank"].max())
        ranks = np.unique(
            np.concatenate(
                [
                    np.arange(1, min(top_k, last) + 1),
                    np.geomspace(1, last, _CUMULATIVE_POINTS).round(),
                    [last],
                ]
            ).astype(int)
        )
        parts.append(rows[rows["rank"].isin(ranks)])
    return pd.concat(parts)[["panel", "rank", "cumulative", "total"]]


def word_shift_chart(
    shift: pd.DataFrame,
    *,
    by: str = "outlet",
    top_k: int = 15,
    max_panels: int = MAX_PANELS,
) -> alt.TopLevelMixin:
    """Word-shift graph (Gallagher et al. 2021): each term's contribution to the difference between two groups.

    Parameters
    ----------
    shift : DataFrame
        ``terms.word_shift`` output for one kind, one pair or several pairs concatenated (one panel each).
    by : str
        Grouping column of ``shift``.
    top_k : int
        Terms drawn per panel (largest |contribution|); the subtitle says how many of how many.
    max_panels : int
        Most pairs drawn (in their order in ``shift``); the subtitle counts the rest.

    Returns
    -------
    Altair chart
        Per pair, horizontal bars split into the frequency part (coloured by shifterator's four classes:
        above/below the reference score, used more/less by the first group) and the score part, and an
        inset of the cumulative contribution by rank (log scale) that ends at the total.
    """
    kinds = shift["kind"].unique().tolist()
    if len(kinds) > 1:
        raise ValueError(f"draw one kind of word shift at a time, not {kinds}")
    title = _SHIFT_TITLES[kinds[0]] if kinds else "Word shift"
    if shift.empty:
        return note_chart("No term to draw: the two groups share no scored word.", title)
    df = shift.assign(panel=shift[by] + " vs " + shift["other"])
    if (df["story_id"] != df["story_id"].iat[0]).any():
        df["panel"] += " (" + df["story_id"] + ")"
    df, panel_note = cap_rows(df, "panel", max_panels, noun="pairs")
    n_terms = df.groupby("panel", sort=False)["term"].size()
    top = df[df["rank"] <= top_k]
    bars = pd.concat(
        [
            top.assign(component=top["frequency_class"], value=top["frequency_part"]),
            top.assign(component=top["score_class"], value=top["score_part"]),
        ]
    )
    bars = bars[bars["value"] != 0]
    stack = {component: i for i, component in enumerate(_SHIFT_PARTS)}
    bars = bars.assign(
        label=bars["component"].map(lambda c: _SHIFT_PARTS[c][0]), stack=bars["component"].map(stack)
    )[
        [
            "panel",
            by,
            "other",
            "term",
            "rank",
            "n",
            "n_other",
            "contribution",
            "component",
            "label",
            "stack",
            "value",
            "total",
        ]
    ].reset_index(drop=True)
    labels = [label for label, _ in _SHIFT_PARTS.values()]
    colors = [color for _, color in _SHIFT_PARTS.values()]
    y = alt.Y("term:N", sort=alt.EncodingSortField(field="rank", op="min", order="ascending"), title=None)
    bar = (
        alt.Chart(bars)
        .mark_bar(stroke="#777", strokeWidth=0.5)
        .encode(
            y=y,
            x=alt.X("sum(value):Q", title="Contribution to the difference"),
            color=alt.Color("label:N", scale=alt.Scale(domain=labels, range=colors), title="Component"),
            order=alt.Order("stack:Q"),
            tooltip=[
                "term:N",
                alt.Tooltip("n:Q", title="count in first"),
                alt.Tooltip("n_other:Q", title="count in second"),
                alt.Tooltip("contribution:Q", format=".4f"),
                alt.Tooltip("label:N", title="component"),
                alt.Tooltip("value:Q", format=".4f", title="component value"),
            ],
        )
    )
    cumulative = _cumulative_points(df, top_k)
    inset = (
        alt.Chart(cumulative)
        .mark_line(color="#333", point=alt.OverlayMarkDef(size=8, color="#333"))
        .encode(
            x=alt.X("cumulative:Q", title="Cumulative"),
            y=alt.Y("rank:Q", scale=alt.Scale(type="log", reverse=True, nice=False), title="Rank (log)"),
            order="rank:Q",
            tooltip=["rank:Q", alt.Tooltip("cumulative:Q", format=".4f")],
        )
    )
    views = []
    for panel in n_terms.index:
        total = float(df.loc[df["panel"] == panel, "total"].iat[0])
        shown = min(top_k, int(n_terms[panel]))
        heading = f"{panel}: total {total:+.4f}; {shown} of {int(n_terms[panel]):,} terms shown"
        where = alt.FieldEqualPredicate(field="panel", equal=panel)
        views.append(
            alt.hconcat(
                bar.transform_filter(where).properties(width=_SHIFT_WIDTH, height=alt.Step(14)),
                inset.transform_filter(where).properties(width=_INSET_WIDTH, height=120),
            ).properties(title=alt.TitleParams(heading, anchor="start", fontSize=11, fontWeight="normal"))
        )
    chart = alt.vconcat(*views).resolve_scale(y="independent")
    subtitle = [
        "Bars: what each term adds to (right) or takes from (left) the first group's value against the second's;",
        "colour: why (used more or less, above or below the reference score). Inset: running sum by rank, ending at the total.",
    ]
    return chart.properties(title=with_note({"text": title, "subtitle": subtitle}, panel_note))


#: Where each sector of the square sits in the 3 x 3 grid (column, row), and its label (A, B: the groups).
_SQUARE_CELLS = {
    "b": (0, 0, "{b}"),
    "a_and_b": (1, 0, "{a} + {b}"),
    "a": (2, 0, "{a}"),
    "b_and_not_a": (0, 1, "Not {a} + {b}"),
    "a_and_not_b": (2, 1, "{a} + Not {b}"),
    "not_a": (0, 2, "Not {a}"),
    "not_a_and_not_b": (1, 2, "Not {a} + Not {b} (neutral)"),
    "not_b": (2, 2, "Not {b}"),
}
_SQUARE_CELL_WIDTH, _LINE_HEIGHT = 190, 14


def semiotic_square_chart(
    square: pd.DataFrame, *, by: str = "outlet", top_k: int = 8, max_chars: int = 28
) -> alt.TopLevelMixin:
    """The semiotic square as Scattertext lays it out: the top terms of each of the eight sectors in a 3 x 3 grid.

    Parameters
    ----------
    square : DataFrame
        ``terms.semiotic_square`` output for one pair (and one story).
    by : str
        Grouping column of ``square``.
    top_k : int
        Terms listed per sector (the heaviest); the cell header says how many the sector holds.
    max_chars : int
        Longest term shown, cut at a word boundary.

    Returns
    -------
    Altair chart
        Text grid: first group's own words top right, second's top left, words both use more than the
        neutral groups top centre, the neutral groups' words bottom centre, and each group's avoided
        words in the bottom corners.
    """
    pairs = square[[by, "other", "story_id"]].drop_duplicates()
    if len(pairs) != 1:
        raise ValueError(f"draw one semiotic square at a time; square holds {len(pairs)} pairs")
    a, b = str(pairs[by].iat[0]), str(pairs["other"].iat[0])
    sizes = square.groupby("part").size()
    rows = []
    per_cell = top_k + 3  # label, count, terms, a blank line
    for part, (col, row, label) in _SQUARE_CELLS.items():
        top = row * per_cell
        rows.append({"part": part, "col": col, "line": top, "text": label.format(a=a, b=b), "header": True})
        count = f"{int(sizes.get(part, 0)):,} terms" + (", the heaviest:" if sizes.get(part, 0) else "")
        rows.append({"part": part, "col": col, "line": top + 1, "text": count, "header": False})
        for term in square.loc[(square["part"] == part) & (square["rank"] <= top_k)].itertuples():
            text = _shorten(term.term, max_chars)
            rows.append(
                {"part": part, "col": col, "line": top + 1 + term.rank, "text": text, "header": False}
            )
    cells = pd.DataFrame(rows)
    lines = 3 * per_cell
    position = {
        "x": alt.X("col:Q", scale=alt.Scale(domain=[0, 3]), axis=None),
        "y": alt.Y("line:Q", scale=alt.Scale(domain=[0, lines], reverse=True), axis=None),
        "text": "text:N",
    }
    text = [
        alt.Chart(cells)
        .transform_filter("datum.header" if header else "!datum.header")
        .mark_text(
            align="left",
            baseline="top",
            fontSize=10,
            dx=4,
            limit=_SQUARE_CELL_WIDTH - 8,
            fontWeight="bold" if header else "normal",
        )
        .encode(**position)
        for header in (True, False)
    ]
    grid = pd.DataFrame({"col": [1.0, 2.0], "line": [0.0, 0.0], "line_end": [lines, lines]})
    rules = alt.Chart(grid).mark_rule(color="#ccc").encode(x=position["x"], y=position["y"], y2="line_end:Q")
    chart = alt.layer(rules, *text).properties(width=3 * _SQUARE_CELL_WIDTH, height=lines * _LINE_HEIGHT)
    return chart.properties(
        title={
            "text": f"Semiotic square: {a} and {b} against each other and against the neutral groups",
            "subtitle": f"Across: {a} (right) vs {b} (left), by rank difference; down: both of them (top) vs "
            f"the neutral groups (bottom). Top {top_k} terms per sector (Scattertext's semiotic square).",
        }
    )
