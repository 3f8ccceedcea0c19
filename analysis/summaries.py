"""Plain-language summaries of each report section, generated from the section's tables.

Each function takes the tidy tables a notebook already computed and returns a short list of
sentences for ``charts.save_summary``. They state only what the tables show, name the evidence
size where it is small, and never assume a particular corpus or event.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["corpus_summary", "framing_summary", "join_names", "pct"]


def pct(x: float) -> str:
    """0.4567 -> '46%'."""
    return f"{100 * x:.0f}%"


def join_names(names: list[str], limit: int = 4) -> str:
    """'a', 'a and b', 'a, b and c', 'a, b, c and 2 more'."""
    names = [str(n) for n in names]
    if len(names) > limit:
        names = [*names[:limit - 1], f"{len(names) - limit + 1} more"]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def corpus_summary(summary: pd.DataFrame, shares: pd.DataFrame, removed: pd.DataFrame) -> list[str]:
    """Sentences on corpus size, balance, quotation and removals.

    Parameters
    ----------
    summary, shares, removed : DataFrame
        ``describe.outlet_summary``, ``describe.quoted_share`` and ``Corpus.removed``.
    """
    total = int(summary["n_words"].sum())
    out = [f"{int(summary['n_articles'].sum())} articles from {len(summary)} outlets, {total:,} words after "
           f"removing {len(removed)} boilerplate paragraphs ({int(removed['n_words'].sum()) if len(removed) else 0:,} words)."]
    if len(summary) > 1:
        big = summary.loc[summary["n_words"].idxmax()]
        small = summary.loc[summary["n_words"].idxmin()]
        out.append(f"{big['outlet']} contributes {pct(big['n_words'] / total)} of the words; {small['outlet']} the fewest "
                   f"({int(small['n_words']):,}), so per-word rates for it rest on the least text.")
    if len(shares):
        top = shares.loc[shares["share"].idxmax()]
        out.append(f"The most quoted article is {top['article_id']} ({top['outlet']}): {pct(top['share'])} of its "
                   "text is inside quotation marks.")
    return out


def framing_summary(profile: pd.DataFrame, actors: pd.DataFrame, naming: pd.DataFrame, tones: pd.DataFrame) -> list[str]:
    """Sentences on leading frames, exclusive or scare-quoted names, blame and tone.

    Parameters
    ----------
    profile, actors, naming, tones : DataFrame
        ``framing.frame_profile``, ``framing.actor_profile``, ``framing.naming_choices`` and
        ``framing.tone_summary`` outputs.
    """
    out = []
    if len(profile):
        lead = profile.sort_values(["outlet", "score", "frame"], ascending=[True, False, True]).groupby("outlet").head(1)
        by_frame = lead.groupby("label", sort=True)["outlet"].apply(list)
        out.append("Leading frame: " + "; ".join(f"{label} in {join_names(o)}" for label, o in by_frame.items()) + ".")
    if len(naming):
        used = naming.groupby(["group", "variant"])["outlet"].agg(lambda s: sorted(set(s)))
        n_outlets = naming["outlet"].nunique()
        groups_with_choice = naming.groupby("group")["variant"].nunique()
        exclusive = [(v, o[0]) for (g, v), o in used.items() if len(o) == 1 and n_outlets > 1 and groups_with_choice[g] > 1]
        if exclusive:
            out.append("Names only one outlet uses: " + "; ".join(f"'{v}' ({o})" for v, o in exclusive[:6]) + ".")
        scare = naming[naming["voice"] == "scare_quoted"].groupby("outlet")["variant"].agg(lambda s: sorted(set(s)))
        if len(scare):
            out.append("Scare quotes or distancing: " + "; ".join(f"{o} on {join_names([repr(x) for x in v])}"
                                                                  for o, v in scare.items()) + ".")
    if len(actors) and "n_blame" in actors:
        blamed = actors[actors["n_blame"] >= 2].sort_values(["outlet", "n_blame", "actor"], ascending=[True, False, True])
        blamed = blamed.groupby("outlet").head(1)
        if len(blamed):
            out.append("Most often the agent of failure or blame verbs: " + "; ".join(
                f"{r.actor} in {r.outlet} ({int(r.n_blame)} sentences)" for r in blamed.itertuples()) + ".")
    overall = tones[tones["actor"] == "(all)"] if "actor" in tones else tones
    if len(overall) > 1:
        low, high = overall.loc[overall["mean"].idxmin()], overall.loc[overall["mean"].idxmax()]
        overlap = low["ci_high"] >= high["ci_low"]
        out.append(f"Sentence tone is most negative in {low['outlet']} (mean VADER {low['mean']:+.2f}) and least in "
                   f"{high['outlet']} ({high['mean']:+.2f}); " + ("their 95% intervals overlap." if overlap
                                                                   else "their 95% intervals do not overlap."))
    return out
