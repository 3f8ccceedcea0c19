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
# # 01 · The corpus
#
# What the loader made of the corpus: how many articles and words each outlet
# contributes, how long its paragraphs and sentences are, how much of each
# article is quotation, and what was removed as boilerplate (and by which
# rule). Read this first: every later comparison is only as fair as the text
# underneath it. An outlet with a few hundred words cannot support strong
# claims about its vocabulary; an article that is half quotation speaks
# largely in other people's words.

# %% tags=["parameters"]
corpus_path = "../seeds"
out_dir = "../build/figures"

# %%
from analysis import charts, describe, summaries
from analysis.charts import corpus as corpus_charts
from analysis.corpus import load_corpus

corpus = load_corpus(corpus_path)
fig_dir = f"{out_dir}/01_corpus"
outlets = corpus.outlets
summary = describe.outlet_summary(corpus)
summary

# %% [markdown]
# **Size per outlet.** Bars show articles and words after boilerplate removal.
# Differences of an order of magnitude mean per-word rates for the small
# outlet rest on little text; later notebooks flag that explicitly.

# %%
chart = corpus_charts.outlet_size_chart(summary)
charts.save_chart(chart, fig_dir, "outlet_size")
chart

# %% [markdown]
# **Unit lengths.** Paragraph and sentence length in words. Wire copy and
# machine-translated rewrites tend to have long paragraphs; analyses and
# web-native outlets use short ones. Topic models and passage alignment work on
# paragraphs by default, so very long paragraphs blur topics.

# %%
chart = corpus_charts.unit_length_chart(describe.unit_lengths(corpus), outlets)
charts.save_chart(chart, fig_dir, "unit_lengths")
chart

# %% [markdown]
# **Quotation share.** The share of each article's characters inside double
# quotation marks (a quote that runs over several paragraphs counts in each).
# A high share means the article lets its sources speak; notebook 04 says who.

# %%
chart = corpus_charts.quoted_share_chart(describe.quoted_share(corpus), outlets)
charts.save_chart(chart, fig_dir, "quoted_share")
chart

# %% [markdown]
# **What was removed, and why.** Nothing is dropped silently: every removed
# paragraph is listed with the rule that matched it (site chrome, photo
# captions, reader appeals, aggregator disclaimers). Hover for the paragraph
# ids; the table below shows the text. Add rules with
# `load_corpus(path, boilerplate="my_rules.csv")`.

# %%
chart = corpus_charts.removed_chart(describe.removed_summary(corpus), outlets)
charts.save_chart(chart, fig_dir, "removed", data=corpus.removed.drop(columns=["n_words"]))
chart

# %%
removed_table = corpus.removed[["paragraph_id", "outlet", "rule_id", "category", "start", "end", "text"]]
charts.save_table(removed_table, fig_dir, "removed_paragraphs", title="Removed paragraphs and the rule behind each")
removed_table

# %% [markdown]
# **In short.** The sentences below are generated from the tables above and
# open the corpus section of `report.html`.

# %%
summary_lines = summaries.corpus_summary(summary, describe.quoted_share(corpus), corpus.removed)
charts.save_summary(fig_dir, summary_lines)
summary_lines
