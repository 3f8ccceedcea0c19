"""Figures of notebook 05: frame profiles, actor salience and agency, naming choices, tone."""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.charts import MAX_ROWS, _interval_tooltip, cap_rows, outlet_color, with_note
from analysis.charts.corpus import box_summary

__all__ = [
    "frame_profile_chart",
    "actor_salience_chart",
    "actor_agency_chart",
    "naming_matrix_chart",
    "naming_table",
    "tone_distribution_chart",
    "actor_tone_chart",
    "frame_prevalence_chart",
]

VOICES = ["asserted", "attributed", "scare_quoted"]
VOICE_COLORS = ["#555555", "#0072B2", "#D55E00"]


def frame_profile_chart(profile: pd.DataFrame, outlets: list[str]) -> alt.LayerChart:
    """Heat map of mean frame score per outlet, labelled with evidence-sentence counts (input: ``frame_profile``)."""
    labels = list(dict.fromkeys(profile["label"]))
    base = alt.Chart(profile).encode(
        x=alt.X("outlet:N", sort=outlets, title=None, axis=alt.Axis(labelAngle=-30)),
        y=alt.Y("label:N", sort=labels, title=None),
    )
    heat = base.mark_rect().encode(
        color=alt.Color("score:Q", title="Mean score", scale=alt.Scale(domain=[0, 1], scheme="blues")),
        tooltip=[
            "outlet:N",
            "label:N",
            alt.Tooltip("score:Q", format=".2f"),
            alt.Tooltip("share_present:Q", format=".0%", title="articles with frame present"),
            alt.Tooltip("n_evidence:Q", title="evidence sentences"),
            alt.Tooltip("n_articles:Q"),
        ],
    )
    text = base.mark_text(fontSize=12).encode(
        text=alt.Text("n_evidence:Q"),
        color=alt.condition("datum.score > 0.6", alt.value("white"), alt.value("black")),
    )
    return (heat + text).properties(
        width=alt.Step(90),
        height=alt.Step(40),
        title={
            "text": "Frame profile per outlet",
            "subtitle": "Colour: mean share of the frame's codebook questions answered yes; number: evidence sentences",
        },
    )


def _with_positions(profile: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Actors mentioned at least once, the :data:`MAX_ROWS` most mentioned, and a note on the others."""
    data, note = cap_rows(profile[profile["n"] > 0], "actor", MAX_ROWS, rank="n", noun="actors")
    return data.copy(), note


def actor_salience_chart(profile: pd.DataFrame, outlets: list[str]) -> alt.Chart:
    """Mentions per 1,000 words per actor and outlet (input: ``actor_profile``)."""
    data, note = _with_positions(profile)
    actors = data.groupby("actor")["per_1000_words"].sum().sort_values(ascending=False).index.tolist()
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("actor:N", sort=actors, title=None),
            yOffset=alt.YOffset("outlet:N", sort=outlets),
            x=alt.X("per_1000_words:Q", title="Mentions per 1,000 words"),
            color=outlet_color(outlets),
            tooltip=[
                "outlet:N",
                "actor:N",
                "n:Q",
                alt.Tooltip("per_1000_words:Q", format=".1f"),
                "n_words:Q",
            ],
        )
        .properties(
            width=380,
            height=alt.Step(9),
            title=with_note(
                {
                    "text": "Actor salience",
                    "subtitle": "Alias-table mentions per 1,000 words of each outlet's text",
                },
                note,
            ),
        )
    )


def actor_agency_chart(profile: pd.DataFrame, outlets: list[str]) -> alt.FacetChart:
    """Share of an actor's sentences where it is agent, patient, or blamed, per outlet (input: ``actor_profile``)."""
    data, note = _with_positions(profile)
    long = data.melt(
        id_vars=["outlet", "actor", "n_sentences"],
        value_vars=["agent_share", "patient_share", "blame_share"],
        var_name="measure",
        value_name="share",
    )
    long["measure"] = long["measure"].map(
        {
            "agent_share": "agent (acts)",
            "patient_share": "patient (acted upon)",
            "blame_share": "blamed (agent of failure/blame)",
        }
    )
    long["n_role"] = (long["share"] * long["n_sentences"]).round().astype("int64")
    long["count"] = long["n_role"].astype(str) + "/" + long["n_sentences"].astype(str)
    actors = data.groupby("actor")["n_sentences"].sum().sort_values(ascending=False).index.tolist()
    base = alt.Chart().encode(
        y=alt.Y("actor:N", sort=actors, title=None),
        yOffset=alt.YOffset("outlet:N", sort=outlets),
        x=alt.X(
            "share:Q",
            title="Share of its sentences",
            axis=alt.Axis(format="%", values=[0, 0.25, 0.5, 0.75, 1]),
            scale=alt.Scale(domain=[0, 1]),
        ),
    )
    bars = base.mark_bar().encode(
        color=outlet_color(outlets),
        tooltip=[
            "outlet:N",
            "actor:N",
            alt.Tooltip("measure:N", title="Role"),
            alt.Tooltip("share:Q", format=".0%", title="Share of its sentences"),
            alt.Tooltip("n_role:Q", title="Sentences in this role"),
            alt.Tooltip("n_sentences:Q", title="Sentences mentioning it"),
        ],
    )
    counts = (
        base.transform_filter("datum.share > 0")
        .mark_text(align="left", dx=3, fontSize=8, color="#444")
        .encode(text="count:N")
    )
    return (
        alt.layer(bars, counts, data=long)
        .properties(width=220, height=alt.Step(11))
        .facet(column=alt.Column("measure:N", title=None, sort=["agent (acts)", "patient (acted upon)"]))
        .properties(
            title=with_note(
                {
                    "text": "Who acts, who is acted upon, who is blamed",
                    "subtitle": "Grammatical role of each actor's mentions (parser or documented heuristic); "
                    "label: sentences in the role / sentences mentioning the actor",
                },
                note,
            )
        )
    )


def naming_table(choices: pd.DataFrame) -> pd.DataFrame:
    """Naming choices summed per outlet, variant and voice (the data of :func:`naming_matrix_chart`).

    Returns
    -------
    DataFrame
        Columns ``outlet``, ``group``, ``variant``, ``term`` ('group: variant'), ``voice``, ``n``,
        ``sentence_ids``.
    """
    g = choices.groupby(["outlet", "group", "variant", "voice"], sort=False)
    out = g.agg(n=("n", "sum"), sentence_ids=("sentence_ids", " ".join)).reset_index()
    out.insert(3, "term", out["group"] + ": " + out["variant"])
    return out


def naming_matrix_chart(choices: pd.DataFrame, outlets: list[str], terms: pd.DataFrame) -> alt.LayerChart:
    """Terms x outlets, one circle per voice sized by occurrences (input: ``naming_choices`` and the term table)."""
    data = naming_table(choices)
    order = [f"{g}: {v}" for g, v in zip(terms["group"], terms["variant"], strict=True)]
    order = [t for t in order if t in set(data["term"])]
    base = alt.Chart(data).encode(
        x=alt.X("outlet:N", sort=outlets, title=None, axis=alt.Axis(labelAngle=-30, orient="top")),
        xOffset=alt.XOffset("voice:N", sort=VOICES),
        y=alt.Y("term:N", sort=order, title=None, axis=alt.Axis(labelLimit=320)),
    )
    points = base.mark_circle(opacity=0.85).encode(
        size=alt.Size("n:Q", title="Occurrences", scale=alt.Scale(range=[40, 600])),
        color=alt.Color(
            "voice:N", sort=VOICES, title="Voice", scale=alt.Scale(domain=VOICES, range=VOICE_COLORS)
        ),
        tooltip=["outlet:N", "term:N", "voice:N", "n:Q", "sentence_ids:N"],
    )
    text = base.mark_text(dy=-11, fontSize=9).encode(text="n:Q")
    return (points + text).properties(
        width=alt.Step(28),
        height=alt.Step(22),
        title={
            "text": "Naming choices per outlet",
            "subtitle": "Which variant of each contested term is used, how often, and in whose voice",
        },
    )


def tone_distribution_chart(tones: pd.DataFrame, outlets: list[str]) -> alt.LayerChart:
    """Box plots of sentence compound scores per outlet, with the mean as a diamond (input: ``tone``).

    Drawn from :func:`analysis.charts.corpus.box_summary` plus the mean, one row per outlet, so the
    figure's size does not grow with the number of sentences (single sentences beyond the whiskers
    are not drawn).
    """
    data = box_summary(tones, "compound", ["outlet"], whisker_iqr=1.5).merge(
        tones.groupby("outlet", sort=False)["compound"].mean().rename("mean").reset_index(), on="outlet"
    )
    base = alt.Chart().encode(y=alt.Y("outlet:N", sort=outlets, title=None))
    tooltip = [
        "outlet:N",
        alt.Tooltip("n:Q", title="Sentences", format=","),
        alt.Tooltip("mean:Q", title="Mean", format=".3f"),
        *(alt.Tooltip(f"{c}:Q", title=t, format=".3f") for c, t in _BOX_TITLES.items()),
    ]
    whisker = base.mark_rule().encode(
        x=alt.X("min:Q", title="VADER compound score per sentence", scale=alt.Scale(domain=[-1, 1])),
        x2="max:Q",
    )
    box = base.mark_bar(size=16, opacity=0.6).encode(
        x="q1:Q", x2="q3:Q", color=outlet_color(outlets, legend=False), tooltip=tooltip
    )
    median = base.mark_tick(color="white", size=16, thickness=2).encode(x="median:Q")
    mean = base.mark_point(shape="diamond", filled=True, size=70, color="black").encode(
        x="mean:Q", tooltip=tooltip
    )
    rule = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(strokeDash=[3, 3], color="#888").encode(x="x:Q")
    return alt.layer(alt.layer(whisker, box, median, mean, data=data), rule).properties(
        width=380,
        height=alt.Step(30),
        title={
            "text": "Tone of sentences per outlet",
            "subtitle": "Box: quartiles, white tick: median, whiskers: the furthest sentences within 1.5 IQR; "
            "diamond: mean",
        },
    )


_BOX_TITLES = {
    "min": "Lower whisker",
    "q1": "First quartile",
    "median": "Median",
    "q3": "Third quartile",
    "max": "Upper whisker",
}


def actor_tone_chart(
    actor_tones: pd.DataFrame, outlets: list[str], *, min_sentences: int = 3
) -> alt.LayerChart:
    """Mean tone of the sentences mentioning each actor, per outlet, with 95% intervals (input: ``actor_tone``)."""
    data, note = cap_rows(
        actor_tones[actor_tones["n"] >= min_sentences], "actor", MAX_ROWS, rank="n", noun="actors"
    )
    actors = data.groupby("actor")["n"].sum().sort_values(ascending=False).index.tolist()
    base = alt.Chart(data).encode(
        y=alt.Y("actor:N", sort=actors, title=None),
        yOffset=alt.YOffset("outlet:N", sort=outlets),
        color=outlet_color(outlets),
    )
    bars = base.mark_rule().encode(
        x=alt.X("ci_low:Q", title="Mean compound score (95% interval)", scale=alt.Scale(domain=[-1, 1])),
        x2="ci_high:Q",
    )
    points = base.mark_point(filled=True, size=50).encode(
        x="mean:Q",
        tooltip=_interval_tooltip("outlet:N", "actor:N", "n:Q", estimate="mean", fmt=".3f"),
    )
    return (bars + points).properties(
        width=380,
        height=alt.Step(9),
        title=with_note(
            {
                "text": "Actor-targeted tone",
                "subtitle": f"Sentences mentioning each actor (outlet-actor pairs with at least {min_sentences} "
                "sentences)",
            },
            note,
        ),
    )


PREVALENCE_METHODS = ["naive", "coded", "prediction_powered"]
PREVALENCE_COLORS = ["#999999", "#E69F00", "#0072B2"]


def frame_prevalence_chart(prevalence: pd.DataFrame, outlets: list[str]) -> alt.FacetChart:
    """Share of units with each frame per outlet, three ways, with intervals (input: ``framing.prevalence``)."""
    frames = list(dict.fromkeys(prevalence["frame"]))
    base = alt.Chart().encode(  # no data: the layer carries it, so that it can be faceted
        y=alt.Y("frame:N", sort=frames, title=None),
        yOffset=alt.YOffset("method:N", sort=PREVALENCE_METHODS),
        color=alt.Color(
            "method:N",
            sort=PREVALENCE_METHODS,
            scale=alt.Scale(domain=PREVALENCE_METHODS, range=PREVALENCE_COLORS),
            title="Estimate",
        ),
    )
    rules = base.mark_rule().encode(
        x=alt.X("ci_low:Q", title="Share of units with the frame", scale=alt.Scale(domain=[0, 1])),
        x2="ci_high:Q",
    )
    points = base.mark_point(filled=True, size=50).encode(
        x="share:Q",
        tooltip=[
            *_interval_tooltip("outlet:N", "frame:N", "method:N", estimate="share"),
            alt.Tooltip("n_units:Q", title="units coded by the model"),
            alt.Tooltip("n_coded:Q", title="units coded by humans"),
        ],
    )
    return (
        alt.layer(rules, points, data=prevalence)
        .properties(width=200, height=alt.Step(8))
        .facet(column=alt.Column("outlet:N", sort=outlets, title=None))
        .properties(
            title={
                "text": "Frame prevalence corrected for coding errors",
                "subtitle": "Grey: the model's share; orange: the human-coded sample's; blue: the model's share "
                "corrected by its errors on the sample (prediction-powered inference). Lines: intervals",
            }
        )
    )
