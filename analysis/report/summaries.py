"""Plain-language summaries of each report section, generated from the section's tables.

Each function takes the tidy tables a notebook already computed and returns a short list of
sentences for ``charts.save_summary``. They state only what the tables show, name the evidence
size where it is small, and never assume a particular corpus or event.
"""

from __future__ import annotations

import pandas as pd

from analysis.schemas.claims import WHOLE_CORPUS

__all__ = [
    "corpus_summary",
    "topics_summary",
    "terms_summary",
    "sourcing_summary",
    "framing_summary",
    "claims_summary",
    "stories_summary",
    "join_names",
    "pct",
]


def pct(x: float) -> str:
    """0.4567 -> '46%'."""
    return f"{100 * x:.0f}%"


def join_names(names: list[str], limit: int = 4) -> str:
    """'a', 'a and b', 'a, b and c', 'a, b, c and 2 more'."""
    names = [str(n) for n in names]
    if len(names) > limit:
        names = [*names[: limit - 1], f"{len(names) - limit + 1} more"]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def corpus_summary(summary: pd.DataFrame, shares: pd.DataFrame, removed: pd.DataFrame) -> list[str]:
    """Sentences on corpus size, balance, quotation and removals.

    Parameters
    ----------
    summary, shares, removed : DataFrame
        ``describe.outlet_summary``, ``describe.quoted_share`` and ``Corpus.removed``.
    """
    total = int(summary["n_words"].sum())
    out = [
        f"{int(summary['n_articles'].sum())} articles from {len(summary)} outlets, {total:,} words after "
        f"removing {len(removed)} boilerplate paragraphs ({int(removed['n_words'].sum()) if len(removed) else 0:,} words)."
    ]
    if len(summary) > 1:
        big = summary.loc[summary["n_words"].idxmax()]
        small = summary.loc[summary["n_words"].idxmin()]
        out.append(
            f"{big['outlet']} contributes {pct(big['n_words'] / total)} of the words; {small['outlet']} the fewest "
            f"({int(small['n_words']):,}), so per-word rates for it rest on the least text."
        )
    if len(shares):
        top = shares.loc[shares["share"].idxmax()]
        out.append(
            f"The most quoted article is {top['article_id']} ({top['outlet']}): {pct(top['share'])} of its "
            "text is inside quotation marks."
        )
    return out


def framing_summary(
    profile: pd.DataFrame, actors: pd.DataFrame, naming: pd.DataFrame, tones: pd.DataFrame
) -> list[str]:
    """Sentences on leading frames, exclusive or scare-quoted names, blame and tone.

    Parameters
    ----------
    profile, actors, naming, tones : DataFrame
        ``framing.frame_profile``, ``framing.actor_profile``, ``framing.naming_choices`` and
        ``framing.tone_summary`` outputs.
    """
    out = []
    if len(profile):
        lead = (
            profile.sort_values(["outlet", "score", "frame"], ascending=[True, False, True])
            .groupby("outlet")
            .head(1)
        )
        by_frame = lead.groupby("label", sort=True)["outlet"].apply(list)
        out.append(
            "Leading frame: "
            + "; ".join(f"{label} in {join_names(o)}" for label, o in by_frame.items())
            + "."
        )
    if len(naming):
        used = naming.groupby(["group", "variant"])["outlet"].agg(lambda s: sorted(set(s)))
        n_outlets = naming["outlet"].nunique()
        groups_with_choice = naming.groupby("group")["variant"].nunique()
        exclusive = [
            (v, o[0])
            for (g, v), o in used.items()
            if len(o) == 1 and n_outlets > 1 and groups_with_choice[g] > 1
        ]
        if exclusive:
            out.append(
                "Names only one outlet uses: " + "; ".join(f"'{v}' ({o})" for v, o in exclusive[:6]) + "."
            )
        scare = (
            naming[naming["voice"] == "scare_quoted"]
            .groupby("outlet")["variant"]
            .agg(lambda s: sorted(set(s)))
        )
        if len(scare):
            out.append(
                "Scare quotes or distancing: "
                + "; ".join(f"{o} on {join_names([repr(x) for x in v])}" for o, v in scare.items())
                + "."
            )
    if len(actors) and "n_blame" in actors:
        blamed = actors[actors["n_blame"] >= 2].sort_values(
            ["outlet", "n_blame", "actor"], ascending=[True, False, True]
        )
        blamed = blamed.groupby("outlet").head(1)
        if len(blamed):
            out.append(
                "Most often the agent of failure or blame verbs: "
                + "; ".join(
                    f"{r.actor} in {r.outlet} ({int(r.n_blame)} sentences)" for r in blamed.itertuples()
                )
                + "."
            )
    overall = tones[tones["actor"] == "(all)"] if "actor" in tones else tones
    if len(overall) > 1:
        low, high = overall.loc[overall["mean"].idxmin()], overall.loc[overall["mean"].idxmax()]
        overlap = low["ci_high"] >= high["ci_low"]
        out.append(
            f"Sentence tone is most negative in {low['outlet']} (mean VADER {low['mean']:+.2f}) and least in "
            f"{high['outlet']} ({high['mean']:+.2f}); "
            + ("their 95% intervals overlap." if overlap else "their 95% intervals do not overlap.")
        )
    return out


def claims_summary(
    groups: pd.DataFrame,
    gaps: pd.DataFrame,
    artefact_scores: pd.DataFrame,
    warnings: pd.DataFrame | None = None,
) -> list[str]:
    """Sentences on disputed figures, agreement, exclusive/omitted content and provenance.

    Parameters
    ----------
    groups : DataFrame
        ``claims.compare_numbers`` output (one row per claim, with ``story_id``, ``group_id``, ``label``).
        A disagreement is stated only for a group whose claims share one story (docs/stories.md);
        the story is named unless the whole corpus was compared as one ('all').
    gaps : DataFrame
        ``claims.coverage_gaps`` output (``outlet``, ``status``, ``content_id``).
    artefact_scores : DataFrame
        ``provenance(...).scores`` (``article_id``, ``outlet``, ``signal``, ``score``).
    warnings : DataFrame, optional
        ``provenance(...).warnings``: pairs of articles that share copy.
    """
    if "story_id" not in groups.columns:
        raise ValueError("groups lack story_id: pass the output of claims.compare_numbers")
    out = []
    seen = sorted({*groups.get("outlet", ()), *gaps.get("outlet", ()), *artefact_scores.get("outlet", ())})
    if len(seen) == 1:
        out.append(
            f"Comparing figures and coverage needs at least two outlets; this corpus has one ({seen[0]})."
        )
    disputed = groups[groups["label"] == "disagree"]
    within_story = disputed.groupby("group_id", sort=False)["story_id"].transform("nunique") == 1
    for _gid, g in list(disputed[within_story].groupby("group_id", sort=False))[:3]:
        by_value = g.groupby("value", sort=False).agg(
            outlets=("outlet", lambda s: sorted(set(s))), n=("article_id", "nunique"), text=("text", "first")
        )
        by_value = by_value.sort_values("n", kind="mergesort")
        if len(by_value) < 2:
            continue
        sides = [
            f"{join_names(r.outlets)} {'gives' if len(r.outlets) == 1 else 'give'} '{r.text}'"
            + (f" ({r.n} articles)" if r.n > 1 else "")
            for r in by_value.itertuples()
        ]
        story = g["story_id"].iat[0]
        where = "" if story == WHOLE_CORPUS else f" in story {story}"
        out.append(f"Disputed figure{where}, {g['group_label'].iat[0]}: " + "; ".join(sides) + ".")
    labels = groups.drop_duplicates("group_id")["label"].value_counts()
    compared = {k: int(v) for k, v in labels.items() if k != "single"}
    if compared:
        out.append(
            "Figures reported by more than one outlet: "
            + ", ".join(f"{v} group{'s' if v > 1 else ''} {k}" for k, v in sorted(compared.items()))
            + "."
        )
    if len(gaps):
        counts = gaps.groupby(["outlet", "status"]).size().unstack(fill_value=0)
        if "exclusive" in counts:
            most, n = counts["exclusive"].idxmax(), int(counts["exclusive"].max())
            out.append(
                f"{most} has the most content no other outlet reports ({n} unit{'s' if n != 1 else ''})."
            )
        if "omitted" in counts and counts["omitted"].max() > 0:
            most, n = counts["omitted"].idxmax(), int(counts["omitted"].max())
            out.append(
                f"{most} omits the most content that most other outlets report ({n} unit{'s' if n != 1 else ''})."
            )
    total = (
        artefact_scores[artefact_scores["signal"] == "total"]
        if "signal" in artefact_scores
        else artefact_scores
    )
    if len(total) and total["score"].max() > 0:
        top = total.loc[total["score"].idxmax()]
        out.append(
            f"Machine-translation artefacts are densest in article {top['article_id']} ({top['outlet']}): "
            f"{top['score']:.1f} per 1,000 words."
        )
    if warnings is not None and len(warnings):
        out.append(
            f"{len(warnings)} pair(s) of articles share copy or are rewrites: statistics that count articles "
            "count those stories more than once."
        )
    return out


def topics_summary(
    labels: pd.DataFrame,
    prevalence: pd.DataFrame,
    distinctive: pd.DataFrame,
    stability_pairs: pd.DataFrame | None = None,
    *,
    by: str = "outlet",
) -> list[str]:
    """Sentences on the number of topics, distinctive topics (with intervals) and stability.

    Parameters
    ----------
    labels, prevalence, distinctive : DataFrame
        ``TopicModel.topic_labels_``, ``topics.prevalence(...)`` and ``topics.distinctive(...)``.
    stability_pairs : DataFrame, optional
        ``topics.stability(...).pairs`` (adjusted Rand index per pair of random_states).
    by : str
        Group column of ``prevalence`` and ``distinctive`` (``outlet`` unless grouped otherwise).
    """
    named = labels[labels["topic"] >= 0]
    out = [f"{len(named)} topics over {int(prevalence.groupby(by)['n_units'].first().sum())} units."]
    lab = dict(zip(labels["topic"], labels["label"], strict=True))
    hits = distinctive[distinctive["distinctive"] & (distinctive["diff"] > 0)].sort_values(
        "diff", ascending=False
    )
    for r in hits.head(3).itertuples():
        out.append(
            f"{getattr(r, by)} spends {pct(r.share)} of its units on '{lab.get(r.topic, r.topic)}' against "
            f"{pct(r.share_rest)} elsewhere (difference {pct(r.diff)}, 95% interval {pct(r.ci_low)} to {pct(r.ci_high)})."
        )
    groups = "outlets" if by == "outlet" else f"{by} groups"
    present = list(dict.fromkeys(prevalence[by].astype(str)))
    if len(present) < 2:
        out.append(
            f"Comparing topic shares needs at least two {groups}; this corpus has "
            f"{f'one ({present[0]})' if present else 'none'}."
        )
    elif hits.empty:
        out.append(
            f"No topic share differs between {groups} beyond its interval: with this much text the {groups} "
            "cannot be told apart by topic."
        )
    if stability_pairs is not None and len(stability_pairs):
        ari = stability_pairs["ari"]
        out.append(
            f"Across seeds the assignments agree with adjusted Rand index {ari.min():.2f} to {ari.max():.2f}"
            + (" (below 0.5: read single topics as tentative)." if ari.min() < 0.5 else ".")
        )
    return out


def sourcing_summary(speakers: pd.DataFrame, verbs: pd.DataFrame, kind_mix: pd.DataFrame) -> list[str]:
    """Sentences on whose words each outlet carries, loaded attribution verbs and the direct-quote mix.

    Parameters
    ----------
    speakers, verbs, kind_mix : DataFrame
        ``sourcing_tables.speaker_table``, ``verb_table`` and ``kind_mix`` outputs.
    """
    out = []
    quoted = speakers[speakers["words_quoted"] > 0]
    for outlet, g in quoted.groupby("outlet", sort=False):
        total = g["words_quoted"].sum()
        named = g[g["speaker"] != "unknown"]
        unknown = g.loc[g["speaker"] == "unknown", "words_quoted"].sum()
        line = f"{outlet} quotes {len(named)} identified speaker{'s' if len(named) != 1 else ''}"
        if len(named):
            top = named.loc[named["words_quoted"].idxmax()]
            kind = (
                ""
                if top["speaker_type"] in ("", "unknown")
                else f" ({str(top['speaker_type']).replace('_', ' ')})"
            )
            line += f"; {top['speaker']}{kind} has {pct(top['words_quoted'] / total)} of its quoted words"
        if unknown:
            line += f"; {pct(unknown / total)} of its quoted words have no identified speaker"
        out.append(line + ".")
    silent = sorted(set(speakers["outlet"]) - set(quoted["outlet"]))
    if silent:
        out.append(f"No direct or partial quotation in {join_names(silent)}.")
    if len(verbs) and "cue_category" in verbs:
        loaded = verbs.pivot_table(
            index="outlet", columns="cue_category", values="n", aggfunc="sum", fill_value=0
        )
        if "loaded" in loaded and len(loaded) > 1:
            share = (loaded["loaded"] / loaded.sum(axis=1)).sort_values(ascending=False)
            top = share.index[0]
            out.append(
                f"Loaded attribution verbs (claimed, insisted, warned, ...) are most frequent in {top}: "
                f"{pct(share.iloc[0])} of its attributions, against {pct(share.iloc[-1])} in {share.index[-1]}."
            )
    return out


def terms_summary(
    top: pd.DataFrame, sufficiency: pd.DataFrame, *, stat: str = "z", q_max: float = 0.05, by: str = "outlet"
) -> list[str]:
    """Sentences on each outlet's most distinctive terms, their false-discovery rate and text sufficiency.

    Parameters
    ----------
    top : DataFrame
        ``contrast.top_terms`` output (``outlet``, ``other``, ``term``, ``rank``, the statistic, ``q`` when log-odds
        ran, ``dispersion_flag``).
    sufficiency : DataFrame
        ``contrast.text_sufficiency`` output (``outlet``, ``enough``, ``note``).
    stat : str
        The score column ``top`` was ranked by.
    q_max : float
        False-discovery rate under which a term counts as significant.
    by : str
        Group column of ``top`` and ``sufficiency`` (``outlet`` unless the contrast was grouped otherwise).
    """
    out = []
    thin = sufficiency[~sufficiency["enough"]]
    if len(thin):
        out.append(
            "Too little text for a term contrast: " + "; ".join(n.rstrip(".") for n in thin["note"]) + "."
        )
    for (outlet, other), g in top[top[by].isin(sufficiency.loc[sufficiency["enough"], by])].groupby(
        [by, "other"], sort=False
    ):
        g = g.sort_values("rank").head(3)
        terms = ", ".join(f"'{t}'" for t in g["term"])
        versus = (
            ("the other outlets" if by == "outlet" else f"the other {by} groups")
            if other == "rest"
            else other
        )
        sig = int((g["q"] < q_max).sum()) if "q" in g else 0
        flag = " all carried by a single article," if g["dispersion_flag"].all() else ""
        out.append(
            f"{outlet} uses {terms} more than {versus} ({stat} up to {g[stat].max():.1f};{flag} "
            f"{sig} of them with a false-discovery rate q < {q_max})."
        )
    return out


def _interval(row: pd.Series, ci: float) -> str:
    return f"{pct(ci)} interval {pct(row['ci_low'])} to {pct(row['ci_high'])}"


def _leader_sentence(stats: pd.DataFrame, measure: str, leads: str, noun: str, ci: float) -> str | None:
    """The outlet with the highest estimate of ``measure``, and whether its interval sets it apart."""
    rows = stats[(stats["measure"] == measure) & stats["estimate"].notna()].reset_index(drop=True)
    if len(rows) < 2:
        return None
    tied = rows.loc[rows["estimate"] == rows["estimate"].max(), "outlet"].tolist()
    if len(tied) > 1:  # several outlets share the top estimate: no leader to name
        return f"{join_names(tied)} tie for the {noun} ({pct(rows['estimate'].max())} each): no clear difference."
    lead = rows.loc[rows["estimate"].idxmax()]
    others = rows.drop(index=rows["estimate"].idxmax())
    overlapping = others.loc[~(others["ci_high"] < lead["ci_low"]), "outlet"].tolist()
    said = f"{lead['outlet']} {leads} ({pct(lead['estimate'])}, {_interval(lead, ci)})"
    if not overlapping:
        return f"{said}; its interval does not overlap any other outlet's."
    return f"{said}, but its interval overlaps {join_names(overlapping)}'s: no clear difference."


def stories_summary(
    stories: pd.DataFrame, stats: pd.DataFrame, pairs: pd.DataFrame, *, ci: float = 0.95
) -> list[str]:
    """Sentences on how many stories there are, which outlet covers most or is first, and which pair disagrees.

    A difference between outlets is stated only when the intervals from resampling stories do not
    overlap, a disagreement only when its interval excludes 0, and neither with fewer than two stories.

    Parameters
    ----------
    stories : DataFrame
        ``topics.stories`` output (``article_id``, ``outlet``, ``story_id``).
    stats : DataFrame
        ``compare.outlet_story_stats`` output (``outlet``, ``measure``, ``estimate``, ``ci_low``, ``ci_high``).
    pairs : DataFrame
        ``compare.pair_disagreement`` output (``outlet``, ``other_outlet``, ``n_shared``, ``n_disagree``,
        ``share``, ``ci_low``, ``ci_high``).
    ci : float
        Coverage of the intervals in ``stats`` and ``pairs``, as passed to them.
    """
    n_stories = stories["story_id"].nunique()
    if n_stories == 0:
        return []
    outlets_per_story = stories.groupby("story_id")["outlet"].nunique()
    if n_stories == 1:
        n_outlets = int(outlets_per_story.iat[0])
        return [
            f"1 story, covered by {n_outlets} outlet{'s' if n_outlets != 1 else ''}.",
            "Comparing outlets over stories needs at least two stories; with one, its intervals say nothing.",
        ]
    out = [
        f"{n_stories} stories, {int((outlets_per_story > 1).sum())} of them covered by more than one outlet."
    ]
    for measure, leads, noun in (
        ("share_covered", "covered the most stories", "share of stories covered"),
        (
            "share_first",
            "published first most often on stories it shared",
            "share of shared stories published first",
        ),
    ):
        sentence = _leader_sentence(stats, measure, leads, noun, ci)
        if sentence:
            out.append(sentence)
    disputed = pairs[pairs["n_disagree"] > 0]
    if len(disputed):
        top = disputed.loc[disputed["share"].idxmax()]
        counts = f"{int(top['n_disagree'])} of the {int(top['n_shared'])} stories both covered"
        rest = disputed.drop(index=top.name)
        apart = bool(len(rest)) and bool((rest["ci_high"] < top["ci_low"]).all())
        if top["ci_low"] > 0 and (apart or not len(rest)):
            out.append(
                f"{top['outlet']} and {top['other_outlet']} disagree on figures most often: in {counts} "
                f"({_interval(top, ci)})."
            )
        elif top["ci_low"] > 0:
            out.append(
                f"{top['outlet']} and {top['other_outlet']} disagree on figures in {counts} "
                f"({_interval(top, ci)}); its interval overlaps other pairs': no clear ranking of pairs."
            )
        else:
            out.append(
                f"No pair of outlets clearly disagrees on figures: the most, {top['outlet']} and "
                f"{top['other_outlet']}, in {counts}, with an interval that includes 0."
            )
    return out
