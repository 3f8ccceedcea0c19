"""Figures of notebook 04: who is quoted, how much of each article is quotation, kinds of quotes, verbs, every quote."""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.charts import MAX_ROWS, article_label, cap_rows, note_chart, with_note

__all__ = [
    "speakers_chart",
    "quotation_share_chart",
    "kind_mix_chart",
    "verb_mix_chart",
    "hedges_chart",
    "quote_table_chart",
    "SPEAKER_TYPES",
]

SPEAKER_TYPES = ["government", "military", "expert", "journalist", "civilian", "organisation", "unknown"]
_TYPE_COLORS = ["#0072B2", "#56B4E9", "#009E73", "#E69F00", "#CC79A7", "#D55E00", "#999999"]
_KIND_ORDER = ["direct", "partial", "indirect", "scare"]


def speakers_chart(speakers: pd.DataFrame, outlets: list[str], *, top_k: int = 25) -> alt.Chart:
    """Speakers x outlets, circles sized by words quoted (input: ``sourcing_tables.speaker_table``).

    The ``top_k`` speakers by words quoted plus reported across all outlets are shown.
    """
    title = {
        "text": "Who is quoted, by which outlet",
        "subtitle": "Circle area: words in quotation marks; "
        "ring only: reported (indirect) speech; colour: speaker type",
    }
    if speakers.empty:
        return note_chart("No quotes found", title)
    data = speakers.assign(words=speakers["words_quoted"] + speakers["words_reported"])
    totals = data.groupby("speaker")["words"].sum().sort_values(ascending=False, kind="mergesort")
    keep = totals.index[:top_k].tolist()
    data = data.loc[data["speaker"].isin(keep)].copy()
    base = alt.Chart(data).encode(
        x=alt.X("outlet:N", sort=outlets, title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("speaker:N", sort=keep, title=None),
        tooltip=[
            "outlet:N",
            "speaker:N",
            "speaker_type:N",
            "affiliation:N",
            "n_quotes:Q",
            "n_direct:Q",
            "n_partial:Q",
            "n_indirect:Q",
            "words_quoted:Q",
            "words_reported:Q",
            alt.Tooltip("share_of_words:Q", format=".1%"),
        ],
    )
    color = alt.Color(
        "speaker_type:N", title="Speaker type", scale=alt.Scale(domain=SPEAKER_TYPES, range=_TYPE_COLORS)
    )
    size = alt.Size("words_quoted:Q", title="Words quoted", scale=alt.Scale(range=[0, 900]))
    rings = base.mark_circle(filled=False, size=60, strokeWidth=1.5).encode(color=color)
    dots = base.mark_circle(opacity=0.85).encode(size=size, color=color)
    return (rings + dots).properties(width=alt.Step(110), height=alt.Step(20), title=title)


def quotation_share_chart(
    shares: pd.DataFrame, outlets: list[str], *, articles: pd.DataFrame | None = None, top_k: int = MAX_ROWS
) -> alt.Chart:
    """Share of each article's words quoted or reported (input: ``sourcing_tables.quotation_share``).

    The ``top_k`` articles with most of their words quoted or reported are drawn, labelled by outlet,
    headline and date (headlines from ``articles``); the note under the title counts the others.
    """
    data, note = cap_rows(shares, "article_id", top_k, rank="share", noun="articles")
    data = data.assign(article=article_label(data, articles))
    title = {
        "text": "How much of each article is other people's words",
        "subtitle": "Quoted: inside quotation marks (direct and partial); reported: indirect speech",
    }
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y(
                "article:N",
                title=None,
                sort=data["article"].unique().tolist(),
                axis=alt.Axis(labelLimit=360),
            ),
            x=alt.X("share:Q", stack="zero", title="Share of the article's words", axis=alt.Axis(format="%")),
            color=alt.Color(
                "kind:N",
                title="Words",
                scale=alt.Scale(domain=["quoted", "reported"], range=["#0072B2", "#9ecae1"]),
            ),
            opacity=alt.value(0.95),
            tooltip=[
                "article:N",
                "article_id:N",
                "kind:N",
                "n_words:Q",
                "article_words:Q",
                alt.Tooltip("share:Q", format=".1%"),
            ],
        )
        .properties(width=380, height=alt.Step(20))
        .facet(
            row=alt.Row(
                "outlet:N", sort=outlets, title=None, header=alt.Header(labelAngle=0, labelAlign="left")
            )
        )
        .resolve_scale(y="independent")
        .properties(title=with_note(title, note))
    )


def kind_mix_chart(mix: pd.DataFrame, outlets: list[str]) -> alt.Chart:
    """Direct, partial, indirect and scare quotes per outlet (input: ``sourcing_tables.kind_mix``)."""
    return (
        alt.Chart(mix)
        .mark_bar()
        .encode(
            y=alt.Y("outlet:N", sort=outlets, title=None),
            x=alt.X(
                "n:Q", stack="normalize", title="Share of the outlet's quotes", axis=alt.Axis(format="%")
            ),
            color=alt.Color(
                "kind:N",
                title="Kind",
                sort=_KIND_ORDER,
                scale=alt.Scale(domain=_KIND_ORDER, range=["#0072B2", "#56B4E9", "#E69F00", "#999999"]),
            ),
            order=alt.Order("kind_order:Q"),
            tooltip=["outlet:N", "kind:N", "n:Q", alt.Tooltip("share:Q", format=".1%")],
        )
        .transform_calculate(kind_order="indexof(['direct','partial','indirect','scare'], datum.kind)")
        .properties(
            width=380,
            height=alt.Step(24),
            title={
                "text": "Direct, partial and indirect quotes per outlet",
                "subtitle": "Scare: short quoted phrases with no speaker (scare or naming quotes)",
            },
        )
    )


def verb_mix_chart(verbs: pd.DataFrame, outlets: list[str], *, top_k: int = 12) -> alt.Chart:
    """Attribution verbs per outlet, neutral vs loaded (input: ``sourcing_tables.verb_table(..., by=('outlet',))``)."""
    title = {
        "text": "How each outlet attributes speech",
        "subtitle": "Share of attributed statements per cue; "
        "orange: loaded verbs (claimed, insisted, warned ...), blue: neutral",
    }
    if verbs.empty:
        return note_chart("No attribution verbs found", title)
    data = verbs.groupby(["outlet", "cue_lemma", "cue_category"], as_index=False)["n"].sum()
    data["share"] = data["n"] / data.groupby("outlet")["n"].transform("sum")
    lemmas = (
        data.groupby("cue_lemma")["n"]
        .sum()
        .sort_values(ascending=False, kind="mergesort")
        .index[:top_k]
        .tolist()
    )
    data = data.loc[data["cue_lemma"].isin(lemmas)]
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("cue_lemma:N", sort=lemmas, title=None),
            x=alt.X("share:Q", title="Share of statements", axis=alt.Axis(format="%")),
            color=alt.Color(
                "cue_category:N",
                title="Verb",
                scale=alt.Scale(domain=["neutral", "loaded"], range=["#0072B2", "#E69F00"]),
            ),
            tooltip=[
                "outlet:N",
                "cue_lemma:N",
                "cue_category:N",
                "n:Q",
                alt.Tooltip("share:Q", format=".1%"),
            ],
        )
        .properties(width=160, height=alt.Step(16))
        .facet(column=alt.Column("outlet:N", sort=outlets, title=None))
        .properties(title=title)
    )


def hedges_chart(hedges: pd.DataFrame, outlets: list[str], article_words: pd.DataFrame) -> alt.Chart:
    """Hedges and evidentiality markers per 1,000 words, per outlet (inputs: ``find_hedges``, articles)."""
    title = {
        "text": "Hedges and evidentiality markers",
        "subtitle": "Per 1,000 words of the outlet, outside quotations",
    }
    words = article_words.groupby("outlet")["n_words"].sum()
    own = hedges.loc[~hedges["in_quote"]]
    if own.empty:
        return note_chart("No hedges found", title)
    data = own.groupby(["outlet", "marker", "category"], as_index=False).size().rename(columns={"size": "n"})
    data["per_1000"] = (1000 * data["n"] / data["outlet"].map(words)).round(2)
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("outlet:N", sort=outlets, title=None, scale=alt.Scale(domain=outlets)),
            x=alt.X(
                "per_1000:Q", title="Markers per 1,000 words", axis=alt.Axis(labelOverlap=True, tickMinStep=1)
            ),
            color=alt.Color("marker:N", title="Marker"),
            tooltip=["outlet:N", "marker:N", "category:N", "n:Q", "per_1000:Q"],
        )
        .properties(width=380, height=alt.Step(24), title=title)
    )


def quote_table_chart(quotes: pd.DataFrame, *, rows: int = 40, max_quotes: int = 1500) -> alt.Chart:
    """Quotes as a searchable text table (search box filters on text, speaker and verb; first ``rows`` shown).

    At most ``max_quotes`` quotes are embedded, taken from the outlets in turn (each outlet's quotes in
    corpus order), so the figure's size does not grow with the corpus; the subtitle says how many.
    """
    data = quotes[["quote_id", "outlet", "kind", "speaker", "cue", "text"]]
    if len(data) > max_quotes:
        turn = data.groupby("outlet", sort=False).cumcount()
        data = data.loc[turn.sort_values(kind="stable").index[:max_quotes]].sort_index()
    data = data.copy()
    data["speaker"] = data["speaker"].fillna("—")
    data["cue"] = data["cue"].fillna("")
    data["short"] = data["text"].where(data["text"].str.len() <= 90, data["text"].str.slice(0, 87) + "...")
    search = alt.param(
        name="search",
        value="",
        bind=alt.binding(input="search", placeholder="speaker, verb or words", name="Search quotes "),
    )
    base = (
        alt.Chart(data)
        .transform_filter(
            "test(regexp(search, 'i'), datum.text + ' ' + datum.speaker + ' ' + datum.cue + ' ' + datum.outlet)"
        )
        .transform_window(row="row_number()")
        .transform_filter(f"datum.row <= {rows}")
        .encode(
            y=alt.Y("row:O", axis=None),
            tooltip=["quote_id:N", "outlet:N", "kind:N", "speaker:N", "cue:N", "text:N"],
        )
    )
    columns = [("quote_id", 70), ("kind", 60), ("speaker", 160), ("cue", 80), ("short", 520)]
    panels = [
        base.mark_text(align="left", fontSize=10, limit=width)
        .encode(text=f"{col}:N", x=alt.value(0))
        .properties(width=width, height=alt.Step(14), title=col if col != "short" else "text")
        for col, width in columns
    ]
    return (
        alt.hconcat(*panels, spacing=4)
        .add_params(search)
        .properties(
            title={
                "text": "Every quote" if len(data) == len(quotes) else "Quotes",
                "subtitle": (
                    f"The first {min(rows, len(data))} of {len(data)} quotes; type in the search box "
                    "(interactive HTML/JSON) to list others. The CSV has every quote and column"
                    if len(data) == len(quotes)
                    else f"The first {rows} of {len(data):,} quotes searchable here (the outlets in turn; "
                    f"{len(quotes):,} in all): type in the search box (interactive HTML/JSON) to list others. "
                    "The CSV has every quote and column"
                ),
            }
        )
    )
