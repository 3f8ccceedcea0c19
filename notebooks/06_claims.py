# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (coverage-compare)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 06 · Claims and coverage
#
# What each outlet reported, left out, disputed or copied. Four questions:
# which figures the outlets give and whether they agree; which facts each
# outlet alone reports and which it omits when most others report them; which
# articles are rewrites of others or share wire copy; and which texts carry
# the marks of machine translation. Every number below can be traced to a
# sentence id and character offsets in the original files.

# %% tags=["parameters"]
corpus_path = "../seeds"
out_dir = "../build/figures"
approx_tolerance = 0.05
link_threshold = 0.45
max_ratio = 3.0
align_unit = "sentences"
align_threshold = 0.5
omit_share = 0.5
paraphrase_threshold = 0.75
top_units = 40
top_groups = 30
embedding_model = None

# %%
import pandas as pd

from analysis import charts, claims, summaries
from analysis.charts import claims as claim_charts
from analysis.corpus import load_corpus

pd.set_option("display.max_colwidth", 120)
corpus = load_corpus(corpus_path)
fig_dir = f"{out_dir}/06_claims"
outlets = corpus.outlets
numbers = claims.extract_numbers(corpus, approx_tolerance=approx_tolerance)
numbers.groupby(["outlet", "kind"]).size().unstack(fill_value=0)

# %% [markdown]
# **Every figure, with its bounds.** One row per number: the span as written,
# its kind (counts, percentages, durations in days and money are quantities;
# years, dates and ordinals are kept apart), the bounds its qualifier implies
# ('at least 200' is [200, inf); 'about 2,000' is 2,000 ± 5%), what is counted,
# who it is attributed to and when.

# %%
quantities = numbers[numbers["kind"].isin(claims.COMPARABLE_KINDS)]
quantities[["claim_id", "outlet", "text", "kind", "value", "lower", "upper", "counted", "source", "time_ref"]]

# %% [markdown]
# **Figures side by side.** Each panel is a group of claims that the model
# judges to be about the same quantity (same kind and unit, similar counted
# phrase and context, values within a factor of `max_ratio`). Points are the
# stated values, bars the bounds; the panel title gives the verdict: AGREE
# (same figure and bounds), COMPATIBLE (bounds overlap), DISAGREE (no value
# satisfies every outlet) or DIFFERENT_REFERENCE (the figures conflict but
# refer to different times or events). At most `top_groups` panels are drawn,
# disagreements first; the CSV has every group. Hover a point for the sentence.

# %%
groups = claims.compare_numbers(numbers, link_threshold=link_threshold, max_ratio=max_ratio, model=embedding_model)
group_table = claim_charts.claim_groups_table(groups, top=top_groups)
chart = claim_charts.claim_groups_chart(group_table, outlets)
charts.save_chart(chart, fig_dir, "claim_groups", data=groups)
chart

# %%
disputed = groups[groups["label"].isin(["disagree", "different_reference"])]
disputed[["group_id", "label", "differs", "outlet", "text", "counted", "source", "time_ref", "sentence"]]

# %% [markdown]
# **Coverage matrix.** Each sentence is matched to its best counterpart in
# every other outlet (embedding similarity plus shared content words);
# sentences that are each other's best match above `align_threshold` form a
# content unit. Rows are the units reported by most outlets (first
# `top_units`); a filled cell means the outlet reports it. Hover for the
# passage ids and text.

# %%
alignments = claims.align_passages(corpus, unit=align_unit, align_threshold=align_threshold, model=embedding_model)
coverage = claims.coverage_matrix(corpus, alignments, unit=align_unit)
chart = claim_charts.coverage_chart(claim_charts.coverage_table(coverage, top=top_units), outlets)
charts.save_chart(chart, fig_dir, "coverage_matrix", data=coverage)
chart

# %% [markdown]
# **Exclusive and omitted content.** For each outlet: how many content units
# it alone reports, and how many it leaves out although more than
# `omit_share` of the other outlets report them. The table lists the omitted
# units with the other outlets' passages as evidence.

# %%
gaps = claims.coverage_gaps(coverage, omit_share=omit_share)
chart = claim_charts.gaps_chart(gaps, outlets)
charts.save_chart(chart, fig_dir, "coverage_gaps", data=gaps)
chart

# %%
gaps[gaps["status"] == "omitted"][["outlet", "content_id", "content_label", "n_outlets", "evidence"]]

# %% [markdown]
# **Provenance.** For every pair of articles: word 5-gram overlap (MinHash
# Jaccard and exact containment), the share of sentences closely paraphrased,
# and a verdict: near duplicate, shared copy, rewrite, same story or
# independent. Pairs that are not independent evidence are listed below the
# figure as warnings: any per-outlet statistic that adds both articles counts
# that story twice.

# %%
prov = claims.provenance(corpus, paraphrase_threshold=paraphrase_threshold, model=embedding_model)
chart = claim_charts.provenance_chart(prov.pairs)
charts.save_chart(chart, fig_dir, "provenance", data=prov.pairs)
chart

# %%
prov.warnings if not prov.warnings.empty else "No pair of articles shares copy or is a rewrite of another."

# %% [markdown]
# **Agreement that is not corroboration.** Claims of one group that come from
# articles flagged above (copies or rewrites of each other): their agreement
# reflects one source, not two.

# %%
echoes = claims.double_counted_claims(groups, prov.pairs)
echoes if not echoes.empty else "No claim group draws on two copies of the same story."

# %% [markdown]
# **Machine-translation artefacts.** Per article, occurrences per 1,000 words
# of stray sentence-initial capitals ('TO Azerbaijan'), doubled words
# ('influence and influence'), full stops splitting sentences ('. forced'),
# lower-cased names the corpus otherwise capitalises, and missing spaces after
# punctuation. The evidence table gives each occurrence with its offsets and
# context; aggregator signatures (auto-aggregator disclaimers) are listed too.

# %%
chart = claim_charts.artefacts_chart(prov.scores)
charts.save_chart(chart, fig_dir, "translation_artefacts", data=prov.artefacts)
chart

# %%
prov.scores[prov.scores["signal"] == "total"].sort_values("score", ascending=False)

# %%
prov.artefacts[["article_id", "signal", "start", "end", "text", "context"]]

# %% [markdown]
# **Evidence tables and summary.** The report carries every figure that
# another outlet disputes or reports for a different reference, and what each
# outlet omits, each with its sentences. The summary sentences are generated
# from the tables.

# %%
charts.save_table(disputed[["group_id", "label", "differs", "outlet", "text", "counted", "source", "time_ref",
                            "sentence_id", "sentence"]], fig_dir, "disputed_figures",
                  title="Figures that disagree or refer to different times, sources or events")
charts.save_table(gaps[gaps["status"] == "omitted"][["outlet", "content_id", "content_label", "n_outlets", "evidence"]],
                  fig_dir, "omitted_content", title="Content most other outlets report and this outlet omits")
summary_lines = summaries.claims_summary(groups, gaps, prov.scores, prov.warnings)
charts.save_summary(fig_dir, summary_lines)
summary_lines
