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
# # 03 · Term contrasts
#
# Which words set each outlet apart: for every term of the pooled vocabulary,
# how much more (or less) an outlet uses it than the other outlets, scored with
# the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi &
# Quinn 2008, "Fightin' Words") or another keyness measure (G², χ², PMI, Log
# Ratio, scaled F). Counts come from the shared tokenizer, so every term can be
# read in its sentences (table at the end). On a small corpus, distinctiveness
# can be one article's idiosyncrasy: terms carried by a single article are
# flagged, intervals resample whole articles, and outlets with too little text
# get a note instead of a chart.

# %% tags=["parameters"]
corpus_path = "../seeds"
out_dir = "../build/figures"
unit = "paragraphs"
ngram_range = [1, 2]
stop_words = "english"
min_count = 1
method = "log_odds"
prior = "informative"
alpha = 0.01
variance = "monroe"
comparison = "one_vs_rest"
top_k = 10
n_boot = 200
seed = 0
min_tokens = 300
min_articles = 1

# %%
from analysis import charts, contrast, summaries, terms
from analysis.charts import terms as term_charts
from analysis.corpus import load_corpus

corpus = load_corpus(corpus_path)
fig_dir = f"{out_dir}/03_term_contrasts"
stat = contrast.RANK_STAT[method]
methods = tuple(dict.fromkeys(["log_odds", method]))
options = dict(prior=prior, alpha=alpha, variance=variance)
per_article = terms.count_terms(corpus.units(unit), by=["outlet", "article_id"], ngram_range=tuple(ngram_range),
                                stop_words=stop_words, min_count=min_count)
counts = terms.collapse_counts(per_article)
sufficiency = contrast.text_sufficiency(counts, min_tokens=min_tokens, min_articles=min_articles,
                                        article_counts=per_article)
sufficiency

# %% [markdown]
# **Is there enough text?** One row per outlet: counted words (unigrams left
# after stop words and the minimum count) and articles. Outlets marked `enough = False`
# are left out of the figures below and named in a note instead. An outlet
# with a single article passes, but its "distinctive" terms describe that one
# article, and no interval can be computed for it.

# %%
scores = contrast.contrast(counts, methods=methods, comparison=comparison, **options)
top = contrast.top_terms(scores, k=top_k, stat=stat)
intervals = contrast.bootstrap_intervals(per_article, top, stat=stat, n_boot=n_boot, seed=seed,
                                         comparison=comparison, **options)
top.merge(intervals, on=["outlet", "other", "term"])[
    ["outlet", "other", "rank", "term", "n", "n_other", "n_articles", "dispersion_flag", stat, "ci_low", "ci_high"]
]

# %% [markdown]
# **Fightin' Words scatter.** One panel per outlet (or per pair, with
# `comparison = "pairwise"`). Each dot is a term: across, how often it occurs
# in all outlets together (log scale); up, its z-score, the log-odds ratio
# divided by its standard error. Orange terms (z ≥ 1.96) are used more by the
# outlet than by the others, blue ones less; grey ones are not distinctive.
# The informative prior shrinks rare terms toward zero, so a word used twice
# by one outlet cannot outrank a word used thirty times. Hover for counts, the
# number of articles using the term and the Benjamini-Hochberg q-value.

# %%
chart = term_charts.fightin_words_chart(scores, sufficiency=sufficiency)
charts.save_chart(chart, fig_dir, "fightin_words")
chart

# %% [markdown]
# **Most distinctive terms.** The top terms per outlet, ranked by the chosen
# method's score. Black rules are 95% bootstrap intervals that resample whole
# articles within each outlet: a wide interval, or one that reaches zero, means
# the term's distinctiveness depends on which articles happen to be in the
# corpus. Pale bars are terms carried by a single article (`dispersion_flag`).

# %%
chart = term_charts.top_terms_chart(top, intervals, stat=stat, sufficiency=sufficiency)
charts.save_chart(chart, fig_dir, "top_terms")
chart

# %% [markdown]
# **Outlet against outlet.** Every ordered pair: the row outlet against the
# column outlet alone. Colour counts the terms the row outlet uses
# significantly more (z > 0, q < 0.05); the text names its three terms with the
# highest z, significant or not (a pale cell with names means "leaning, not
# established"). Read a row to see what one outlet says that each of the others
# does not; pairs with an outlet that has too little text say so instead.

# %%
pair_scores = contrast.contrast(counts, methods=("log_odds",), comparison="pairwise", **options)
chart = term_charts.pairwise_chart(pair_scores, sufficiency=sufficiency)
charts.save_chart(chart, fig_dir, "pairwise")
chart

# %% [markdown]
# **Evidence.** Each top term with a sentence where the outlet uses it
# (sentence id and character offsets into the original article), so that
# every distinctive term can be checked by reading. The full table is written
# to `evidence.csv`; `contrast.in_context(corpus, term)` lists every occurrence.

# %%
evidence = contrast.evidence(corpus, top, n_examples=1)
evidence_table = evidence[["outlet", "other", "rank", "term", stat, "n", "n_articles", "dispersion_flag",
                           "sentence_id", "start", "end", "text"]]
charts.save_table(evidence_table, fig_dir, "evidence", title="Top terms and a sentence behind each")
summary_lines = summaries.terms_summary(top, sufficiency, stat=stat)
charts.save_summary(fig_dir, summary_lines)
evidence_table
