"""Plain-language summaries of each report section, generated from the section's tables.

Each function takes the tidy tables a notebook already computed and returns a short list of
sentences for ``charts.save_summary``. They state only what the tables show, name the evidence
size where it is small, and never assume a particular corpus or event.

A sentence says that outlets differ only where an interval or a test supports it, and says "no
clear difference" otherwise (the rule is :func:`analysis.report._wording.leader_sentence`); ties are
said as ties; the words follow the sign of the numbers ("least negative", never "most negative" for
a positive mean). Rates over units (attributions, content units) get Wilson intervals that treat
the units as independent: units from one article are not, so these intervals are, if anything,
too narrow, which is why a difference is claimed only when two intervals do not overlap at all.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.report._wording import (
    compared_noun,
    interval,
    join_names,
    leader_sentence,
    pct,
    plural,
    points,
    signed,
    wilson_rates,
)
from analysis.schemas.claims import WHOLE_CORPUS

__all__ = [
    "corpus_summary",
    "topics_summary",
    "terms_summary",
    "sourcing_summary",
    "framing_summary",
    "claims_summary",
    "stories_summary",
    "word_shift_summary",
    "join_names",
    "pct",
]


def corpus_summary(summary: pd.DataFrame, shares: pd.DataFrame, removed: pd.DataFrame) -> list[str]:
    """Sentences on corpus size, balance, quotation and removals.

    Parameters
    ----------
    summary, shares, removed : DataFrame
        ``describe.outlet_summary``, ``describe.quoted_share`` and ``Corpus.removed``.
    """
    total = int(summary["n_words"].sum())
    removed_words = int(removed["n_words"].sum()) if len(removed) else 0
    out = [
        f"{plural(int(summary['n_articles'].sum()), 'article')} from {plural(len(summary), 'outlet')}, "
        f"{plural(total, 'word')} after removing {plural(len(removed), 'boilerplate paragraph')} "
        f"({plural(removed_words, 'word')})."
    ]
    if len(summary) > 1:
        words = summary.set_index("outlet")["n_words"]
        if words.min() == words.max():
            out.append(f"Every outlet contributes the same number of words ({int(words.max()):,}).")
        else:
            big = words[words == words.max()].index.tolist()
            small = words[words == words.min()].index.tolist()
            out.append(
                f"{join_names(big)} {'contributes' if len(big) == 1 else 'each contribute'} "
                f"{pct(words.max() / total)} of the words; {join_names(small)} the fewest "
                f"({int(words.min()):,}{'' if len(small) == 1 else ' each'}), so per-word rates for "
                f"{'it rest' if len(small) == 1 else 'them rest'} on the least text."
            )
    if len(shares):
        most = shares[shares["share"] == shares["share"].max()]
        if shares["share"].max() == 0:
            out.append("No article has any text inside quotation marks.")
        else:
            named = join_names([f"{r.article_id} ({r.outlet})" for r in most.itertuples()])
            out.append(
                f"The most quoted {'article is' if len(most) == 1 else 'articles are'} {named}: "
                f"{pct(most['share'].iat[0])} of {'its text' if len(most) == 1 else 'the text of each'} is "
                "inside quotation marks."
            )
    return out


def _leading_frames(profile: pd.DataFrame) -> str | None:
    """'Leading frame: Conflict in A and B; Economic and Morality (tied) in C.' (outlets scoring no frame left out)."""
    scored = profile[profile["score"] > 0]
    if scored.empty:
        return None
    top = scored[scored["score"] == scored.groupby("outlet")["score"].transform("max")]
    labels = top.sort_values(["outlet", "label"]).groupby("outlet", sort=True)["label"].apply(list)
    said = labels.map(lambda ls: ls[0] if len(ls) == 1 else f"{join_names(ls)} (tied)")
    by_frame = said.reset_index().groupby("label", sort=True)["outlet"].apply(list)
    return "Leading frame: " + "; ".join(f"{label} in {join_names(o)}" for label, o in by_frame.items()) + "."


def _tone_end(mean: float, end: str) -> str:
    """Words for the lowest or highest mean tone that follow its sign (as shown, to 2 decimals)."""
    shown = round(float(mean), 2)
    if end == "low":
        return "most negative" if shown < 0 else "least positive" if shown > 0 else "lowest (neutral)"
    return "most positive" if shown > 0 else "least negative" if shown < 0 else "highest (neutral)"


def _tone_sentence(overall: pd.DataFrame) -> str | None:
    """Lowest and highest mean sentence tone, a difference claimed only when their intervals do not overlap."""
    rows = overall[overall["mean"].notna()]
    if len(rows) < 2:
        return None
    low, high = rows.loc[rows["mean"].idxmin()], rows.loc[rows["mean"].idxmax()]
    noun = compared_noun(rows["outlet"])
    if signed(low["mean"]) == signed(high["mean"]):
        return (
            f"No clear difference in sentence tone between {noun}s: every {noun}'s mean VADER compound "
            f"is {signed(low['mean'])}."
        )

    def shown(r: pd.Series) -> str:
        return f"{signed(r['mean'])}, 95% interval {signed(r['ci_low'])} to {signed(r['ci_high'])}"

    if low["ci_high"] < high["ci_low"]:
        return (
            f"Sentence tone is {_tone_end(low['mean'], 'low')} in {low['outlet']} (mean VADER compound "
            f"{shown(low)}) and {_tone_end(high['mean'], 'high')} in {high['outlet']} ({shown(high)}); "
            "their intervals do not overlap."
        )
    why = (
        "their 95% intervals overlap"
        if pd.notna([low["ci_high"], high["ci_low"]]).all()
        else "too few sentences for an interval"
    )
    return (
        f"No clear difference in sentence tone between {noun}s: mean VADER compound from "
        f"{signed(low['mean'])} ({low['outlet']}) to {signed(high['mean'])} ({high['outlet']}), and {why}."
    )


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
        frames = _leading_frames(profile)
        if frames:
            out.append(frames)
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
                f"Names only one {compared_noun(naming['outlet'])} uses: "
                + "; ".join(f"'{v}' ({o})" for v, o in exclusive[:6])
                + "."
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
        blamed = actors[actors["n_blame"] >= 2]
        blamed = blamed[blamed["n_blame"] == blamed.groupby("outlet")["n_blame"].transform("max")]
        if len(blamed):
            parts = [
                f"{join_names(sorted(g['actor']))} in {outlet} "
                f"({plural(int(g['n_blame'].iat[0]), 'sentence')}{'' if len(g) == 1 else ' each'})"
                for outlet, g in blamed.groupby("outlet", sort=True)
            ]
            out.append("Most often the agent of failure or blame verbs: " + "; ".join(parts) + ".")
    overall = tones[tones["actor"] == "(all)"] if "actor" in tones else tones
    tone = _tone_sentence(overall)
    if tone:
        out.append(tone)
    return out


def _share_leader(
    k: pd.Series, n: pd.Series, *, leads: str, noun: str, of: str, unit: str, ci: float
) -> str | None:
    """:func:`leader_sentence` over the shares ``k / n`` per outlet with Wilson intervals; ``of`` is a
    template such as 'its {}' that receives the count of ``unit``s ('40 attributions')."""
    rates = wilson_rates(k, n, ci=ci).rename_axis("outlet").reset_index()

    def detail(r: pd.Series) -> str:
        return f"{pct(r['estimate'])} of {of.format(plural(int(r['n']), unit))}, {interval(r, ci)}"

    return leader_sentence(rates, leads=leads, noun=noun, ci=ci, detail=detail)


def _gap_sentences(gaps: pd.DataFrame, coverage: pd.DataFrame, ci: float) -> list[str]:
    """Which outlet has the largest share of exclusive, and of omitted, content: named only when apart."""
    shared_story = coverage.groupby("story_id")["outlet"].transform("nunique") > 1
    coverage = coverage[shared_story]
    noun = compared_noun(coverage["outlet"])
    counts = gaps.groupby(["outlet", "status"]).size().unstack(fill_value=0)
    out = []
    covered = coverage[coverage["covered"]].groupby("outlet").size()
    if "exclusive" in counts and len(covered):
        said = _share_leader(
            counts["exclusive"].reindex(covered.index, fill_value=0),
            covered,
            leads=f"has the largest share of content no other {noun} reports",
            noun="share of exclusive content",
            of="the {} it reports",
            unit="content unit",
            ci=ci,
        )
        out += [said] if said else []
    reported_by_others = coverage[coverage["n_outlets"] - coverage["covered"].astype(int) > 0]
    offered = reported_by_others.groupby("outlet").size()
    if "omitted" in counts and counts["omitted"].max() > 0 and len(offered):
        said = _share_leader(
            counts["omitted"].reindex(offered.index, fill_value=0),
            offered,
            leads=f"omits the largest share of content that most other {noun}s report",
            noun="share of omitted content",
            of="the {} others report in its stories",
            unit="content unit",
            ci=ci,
        )
        out += [said] if said else []
    return out


def _artefact_sentence(artefact_scores: pd.DataFrame) -> str | None:
    """The article with the highest translation-artefact score, with the runner-up for scale; ties as ties."""
    total = (
        artefact_scores[artefact_scores["signal"] == "total"]
        if "signal" in artefact_scores
        else artefact_scores
    )
    if not len(total) or total["score"].max() <= 0:
        return None
    top_score = total["score"].max()
    top = total[total["score"] == top_score]
    named = join_names([f"{r.article_id} ({r.outlet})" for r in top.itertuples()])
    if len(top) > 1:
        return (
            f"Machine-translation artefact scores are highest, tied at {top_score:.1f} per 1,000 words, "
            f"in articles {named}."
        )
    rest = total[total["score"] < top_score]
    runner = rest.loc[rest["score"].idxmax()] if len(rest) and rest["score"].max() > 0 else None
    then = (
        f"; next, article {runner['article_id']} ({runner['outlet']}): {runner['score']:.1f}"
        if runner is not None
        else "; no other article scores above zero"
    )
    return f"Machine-translation artefact scores are highest in article {named}: {top_score:.1f} per 1,000 words{then}."


def claims_summary(
    groups: pd.DataFrame,
    gaps: pd.DataFrame,
    artefact_scores: pd.DataFrame,
    warnings: pd.DataFrame | None = None,
    *,
    coverage: pd.DataFrame | None = None,
    ci: float = 0.95,
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
    coverage : DataFrame, optional
        ``claims.coverage_matrix`` output, the denominators of the exclusive and omitted shares;
        required when ``gaps`` has rows.
    ci : float
        Coverage of the Wilson intervals of those shares.
    """
    if "story_id" not in groups.columns:
        raise ValueError("groups lack story_id: pass the output of claims.compare_numbers")
    if len(gaps) and coverage is None:
        raise ValueError("gaps need coverage=: pass the claims.coverage_matrix the gaps came from")
    out = []
    seen = sorted({*groups.get("outlet", ()), *gaps.get("outlet", ()), *artefact_scores.get("outlet", ())})
    if len(seen) == 1:
        out.append(
            f"Comparing figures and coverage needs at least two {compared_noun(seen)}s; this corpus has one "
            f"({seen[0]})."
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
        named = pd.Series([o for names in by_value["outlets"] for o in names]).value_counts()
        if (named > 1).any():  # one outlet (a group's members) on two sides: say so, or it reads as a slip
            sides.append(
                f"the articles of {join_names(sorted(named.index[named > 1]))} differ among themselves"
            )
        story = g["story_id"].iat[0]
        where = "" if story == WHOLE_CORPUS else f" in story {story}"
        out.append(f"Disputed figure{where}, {g['group_label'].iat[0]}: " + "; ".join(sides) + ".")
    labels = groups.drop_duplicates("group_id")["label"].value_counts()
    compared = {k: int(v) for k, v in labels.items() if k != "single"}
    if compared:
        out.append(
            f"Figures reported by more than one {compared_noun(groups['outlet'])}: "
            + ", ".join(f"{plural(v, 'group')} {k}" for k, v in sorted(compared.items()))
            + "."
        )
    if len(gaps):
        out += _gap_sentences(gaps, coverage, ci)
    artefacts = _artefact_sentence(artefact_scores)
    if artefacts:
        out.append(artefacts)
    if warnings is not None and len(warnings):
        out.append(
            f"{plural(len(warnings), 'pair')} of articles share copy or are rewrites: statistics that count "
            "articles count those stories more than once."
        )
    return out


def topics_summary(
    labels: pd.DataFrame,
    prevalence: pd.DataFrame,
    distinctive: pd.DataFrame,
    stability_pairs: pd.DataFrame | None = None,
    *,
    by: str = "outlet",
    ci: float = 0.95,
) -> list[str]:
    """Sentences on the number of topics, distinctive topics (with intervals) and stability.

    A topic is said to set a group apart only where ``distinctive`` flags it (its interval excludes 0):
    over-represented topics first, then under-represented ones, three at most.

    Parameters
    ----------
    labels, prevalence, distinctive : DataFrame
        ``TopicModel.topic_labels_``, ``topics.prevalence(...)`` and ``topics.distinctive(...)``.
    stability_pairs : DataFrame, optional
        ``topics.stability(...).pairs`` (adjusted Rand index per pair of random_states).
    by : str
        Group column of ``prevalence`` and ``distinctive`` (``outlet`` unless grouped otherwise).
    ci : float
        Coverage of the intervals in ``distinctive``, as passed to it.
    """
    named = labels[labels["topic"] >= 0]
    n_units = int(prevalence.groupby(by)["n_units"].first().sum())
    out = [f"{plural(len(named), 'topic')} over {plural(n_units, 'unit')}."]
    lab = dict(zip(labels["topic"], labels["label"], strict=True))
    flagged = distinctive[distinctive["distinctive"]]
    hits = pd.concat(
        [
            flagged[flagged["diff"] > 0].sort_values("diff", ascending=False, kind="mergesort"),
            flagged[flagged["diff"] < 0].sort_values("diff", kind="mergesort"),
        ]
    )
    for r in hits.head(3).itertuples():
        out.append(
            f"{getattr(r, by)} spends {pct(r.share)} of its units on '{lab.get(r.topic, r.topic)}' against "
            f"{pct(r.share_rest)} elsewhere (difference {points(r.diff)} percentage points, {pct(ci)} interval "
            f"{points(r.ci_low)} to {points(r.ci_high)})."
        )
    groups = f"{compared_noun(prevalence[by], by)}s"
    present = list(dict.fromkeys(prevalence[by].astype(str)))
    if len(present) < 2:
        out.append(
            f"Comparing topic shares needs at least two {groups}; this corpus has "
            f"{f'one ({present[0]})' if present else 'none'}."
        )
    elif hits.empty:
        out.append(
            f"No clear difference in topic shares between {groups}: every difference's {pct(ci)} interval "
            "includes 0."
        )
    if stability_pairs is not None and len(stability_pairs):
        ari = stability_pairs["ari"]
        out.append(
            f"Across seeds the assignments agree with adjusted Rand index {ari.min():.2f} to {ari.max():.2f}"
            + (" (below 0.5: read single topics as tentative)." if ari.min() < 0.5 else ".")
        )
    return out


def _speaker_line(outlet: str, g: pd.DataFrame) -> str:
    """'A quotes 2 identified speakers; X (expert) has 75% of its quoted words; ...' (tied top speakers named together)."""
    total = g["words_quoted"].sum()
    named = g[g["speaker"] != "unknown"]
    unknown = g.loc[g["speaker"] == "unknown", "words_quoted"].sum()
    line = f"{outlet} quotes {plural(len(named), 'identified speaker')}"
    if len(named):
        top = named[named["words_quoted"] == named["words_quoted"].max()]
        who = [
            f"{r.speaker}"
            + ("" if r.speaker_type in ("", "unknown") else f" ({str(r.speaker_type).replace('_', ' ')})")
            for r in top.itertuples()
        ]
        share = pct(top["words_quoted"].iat[0] / total)
        line += (
            f"; {who[0]} has {share} of its quoted words"
            if len(who) == 1
            else f"; {join_names(who)} have {share} of its quoted words each"
        )
    if unknown:
        line += f"; {pct(unknown / total)} of its quoted words have no identified speaker"
    return line + "."


def sourcing_summary(
    speakers: pd.DataFrame, verbs: pd.DataFrame, kind_mix: pd.DataFrame, *, ci: float = 0.95
) -> list[str]:
    """Sentences on whose words each outlet carries, loaded attribution verbs and the direct-quote mix.

    Parameters
    ----------
    speakers, verbs, kind_mix : DataFrame
        ``sourcing_tables.speaker_table``, ``verb_table`` and ``kind_mix`` outputs.
    ci : float
        Coverage of the Wilson intervals of each outlet's share of loaded attribution verbs.
    """
    quoted = speakers[speakers["words_quoted"] > 0]
    out = [_speaker_line(outlet, g) for outlet, g in quoted.groupby("outlet", sort=False)]
    silent = sorted(set(speakers["outlet"]) - set(quoted["outlet"]))
    if silent:
        out.append(f"No direct or partial quotation in {join_names(silent)}.")
    if len(verbs) and "cue_category" in verbs:
        per_outlet = verbs.pivot_table(
            index="outlet", columns="cue_category", values="n", aggfunc="sum", fill_value=0
        )
        if "loaded" in per_outlet and len(per_outlet) > 1:
            said = _share_leader(
                per_outlet["loaded"],
                per_outlet.sum(axis=1),
                leads="uses loaded attribution verbs (claimed, insisted, warned, ...) most often",
                noun="share of loaded attribution verbs",
                of="its {}",
                unit="attribution",
                ci=ci,
            )
            out += [said] if said else []
    return out


def terms_summary(
    top: pd.DataFrame, sufficiency: pd.DataFrame, *, stat: str = "z", q_max: float = 0.05, by: str = "outlet"
) -> list[str]:
    """Sentences on each outlet's distinctive terms: only those with a false-discovery rate under ``q_max``.

    Where no top term passes, or the method gives no ``q``, the sentence names the highest-scoring
    terms and says that no difference is claimed.

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
    enough = top[top[by].isin(sufficiency.loc[sufficiency["enough"], by])]
    for (outlet, other), g in enough.groupby([by, "other"], sort=False):
        g = g.sort_values("rank")
        versus = f"the other {compared_noun(top[by], by)}s" if other == "rest" else other
        significant = g[g["q"] < q_max].head(3) if "q" in g else g.iloc[:0]
        shown = significant if len(significant) else g.head(3)
        terms = ", ".join(f"'{t}'" for t in shown["term"])
        single = shown.loc[shown["dispersion_flag"], "term"].tolist()
        carried = (
            ""
            if not single
            else "; all carried by a single article"
            if len(single) == len(shown)
            else f"; {join_names([repr(t) for t in single])} carried by a single article"
        )
        evidence = f"{stat} up to {shown[stat].max():.1f}{carried}"
        if len(significant):
            out.append(
                f"{outlet} uses {terms} more than {versus} (false-discovery rate q < {q_max}; {evidence})."
            )
        elif "q" in g:
            out.append(
                f"No clear difference in the words {outlet} uses against {versus}: none of its top terms "
                f"({terms}; {evidence}) has a false-discovery rate q < {q_max}."
            )
        else:
            out.append(
                f"{outlet}'s highest-scoring terms against {versus} are {terms} ({evidence}); {stat} comes "
                "with no test, so no difference is claimed."
            )
    return out


def word_shift_summary(
    shifts: pd.DataFrame, intervals: pd.DataFrame, *, top_k: int = 3, ci: float = 0.95, by: str = "outlet"
) -> list[str]:
    """One sentence per pair on its difference in tone (sentiment word shifts), with the words behind it.

    'X's tone is lower than Y's ... mainly because of more 'a', 'b' and less 'c'' is said only when the
    interval of the difference excludes zero; otherwise the sentence says "no clear difference".

    Parameters
    ----------
    shifts : DataFrame
        ``terms.word_shift(..., kind="sentiment")`` outputs, one or several pairs concatenated.
    intervals : DataFrame
        ``terms.word_shift_interval`` output for the same pairs (one row each).
    top_k : int
        Words named per sentence (the largest contributions in the direction of the difference).
    ci : float
        Coverage of the intervals.
    by : str
        Group column of both tables.
    """
    if (shifts["kind"] != "sentiment").any() or (intervals["kind"] != "sentiment").any():
        raise ValueError("word_shift_summary speaks of tone: give sentiment word shifts")
    out = []
    for row in intervals.itertuples(index=False):
        a, b, total = getattr(row, by), row.other, row.total
        low, high = row.ci_low, row.ci_high
        if pd.isna(low) or pd.isna(high):
            out.append(
                f"{a}'s mean word score differs from {b}'s by {signed(total)} (VADER, -4 to +4), but a group "
                "has a single article, so there is no interval and no difference is claimed."
            )
            continue
        if low <= 0 <= high:
            out.append(
                f"No clear difference in tone between {a} and {b}: {a}'s mean word score differs from {b}'s by "
                f"{signed(total)} (VADER, -4 to +4; {pct(ci)} interval {signed(low)} to {signed(high)})."
            )
            continue
        lower, higher, sign = (a, b, 1) if total < 0 else (b, a, -1)
        pair = shifts[(shifts[by] == a) & (shifts["other"] == b) & (shifts["story_id"] == row.story_id)]
        # the largest contributions in the direction of the difference; the lower group uses a word
        # more when its share is higher (p_diff is a's share minus b's)
        behind = pair[np.sign(pair["contribution"]) == np.sign(total)].nsmallest(top_k, "rank")
        more = [f"'{t}'" for t in behind.loc[sign * behind["p_diff"] > 0, "term"]]
        less = [f"'{t}'" for t in behind.loc[sign * behind["p_diff"] <= 0, "term"]]
        said = ([f"more {join_names(more)}"] if more else []) + ([f"less {join_names(less)}"] if less else [])
        d_low, d_high = (low, high) if sign == 1 else (-high, -low)
        out.append(
            f"{lower}'s tone is lower than {higher}'s (mean VADER word score, -4 to +4: {signed(sign * total)}, "
            f"{pct(ci)} interval {signed(d_low)} to {signed(d_high)}) mainly because of {' and '.join(said)}."
        )
    return out


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
            f"1 story, covered by {plural(n_outlets, compared_noun(stories['outlet']))}.",
            "Comparing outlets over stories needs at least two stories; with one, its intervals say nothing.",
        ]
    out = [
        f"{n_stories} stories, {int((outlets_per_story > 1).sum())} of them covered by more than one "
        f"{compared_noun(stories['outlet'])}."
    ]
    for measure, leads, noun in (
        ("share_covered", "covered the most stories", "share of stories covered"),
        (
            "share_first",
            "published first most often on stories it shared",
            "share of shared stories published first",
        ),
    ):
        rows = stats[stats["measure"] == measure]
        sentence = leader_sentence(rows, leads=leads, noun=noun, ci=ci)
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
                f"({interval(top, ci)})."
            )
        elif top["ci_low"] > 0:
            out.append(
                f"{top['outlet']} and {top['other_outlet']} disagree on figures in {counts} "
                f"({interval(top, ci)}); its interval overlaps other pairs': no clear ranking of pairs."
            )
        else:
            out.append(
                f"No pair of outlets clearly disagrees on figures: the most, {top['outlet']} and "
                f"{top['other_outlet']}, in {counts}, with an interval that includes 0."
            )
    return out
