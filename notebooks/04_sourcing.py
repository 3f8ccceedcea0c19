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
# # 04 · Sourcing: who is quoted, how much, and in which words
#
# Whose voices an outlet carries, and whether it writes "said" or "claimed",
# is one of the strongest framing signals. This notebook finds every
# quotation (direct, partial, scare) and every reported statement (indirect
# speech) in the corpus, attributes each to a speaker, and compares outlets:
# who they quote, how much of each article is other people's words, and
# which attribution verbs and hedges they use. Every number traces back to a
# quote id, with character offsets into the article, in the last table.
# The rules are described in `docs/sourcing.md`; they are heuristics, so read
# the quote table before drawing conclusions from a single speaker.

# %% tags=["parameters"]
corpus_path = "../seeds"
out_dir = "../build/figures"
speaker_mapping = ""
top_speakers = 25

# %%
from analysis import charts, sourcing, sourcing_tables, summaries
from analysis.charts import sourcing as sourcing_charts
from analysis.corpus import load_corpus
from analysis.nlp import load_spacy

corpus = load_corpus(corpus_path)
fig_dir = f"{out_dir}/04_sourcing"
outlets = corpus.outlets
quotes = sourcing.extract_quotes(corpus)
speakers = sourcing_tables.speaker_table(quotes, corpus, speaker_mapping=speaker_mapping or None)
print(f"spaCy pipeline used: {load_spacy() is not None}")
quotes.groupby(["outlet", "kind"], sort=False).size().unstack(fill_value=0)

# %% [markdown]
# **Who is quoted, by which outlet.** One row per speaker (the most quoted
# across the corpus), one column per outlet. The filled circle's area is the
# number of words the outlet puts inside quotation marks for that speaker; a
# ring alone means the outlet only paraphrases them (indirect speech). Colour
# is the speaker type from the title rules (Prime Minister, spokesman,
# analyst, journalist, residents ...) or from your `speaker_mapping` file;
# `unknown` stays visible. Hover for counts by kind.

# %%
chart = sourcing_charts.speakers_chart(speakers, outlets, top_k=top_speakers)
charts.save_chart(chart, fig_dir, "speakers_by_outlet", data=speakers)
chart

# %%
speakers.drop(columns=["quote_ids"])

# %% [markdown]
# **Share of each article that is quotation.** Dark: words inside quotation
# marks attributed to a speaker (direct and partial quotes); light: words of
# reported speech. An article near the top of the scale speaks mostly in its
# sources' words (interviews, analyses built on one commentator); wire copy
# and rewrites paraphrase more.

# %%
chart = sourcing_charts.quotation_share_chart(sourcing_tables.quotation_share(quotes, corpus), outlets)
charts.save_chart(chart, fig_dir, "quotation_share")
chart

# %% [markdown]
# **Direct vs indirect mix.** The share of each kind among an outlet's
# quotes. Direct quotes let a source speak in full sentences; partial quotes
# embed a few of their words in the writer's sentence; indirect speech is
# the writer's paraphrase; scare quotes mark a word as someone else's
# (‘peacekeepers’) without giving a speaker.

# %%
chart = sourcing_charts.kind_mix_chart(sourcing_tables.kind_mix(quotes, outlets), outlets)
charts.save_chart(chart, fig_dir, "kind_mix")
chart

# %% [markdown]
# **Attribution verbs.** Which verbs each outlet uses to introduce speech,
# as a share of its attributed statements. Neutral verbs (said, told, added,
# according to) report; loaded verbs (claimed, insisted, warned, denied,
# fumed) also comment. Compare the loaded share between outlets and, in the
# table below, per speaker: an outlet that writes 'said' for one side and
# 'claimed' for the other is framing. The lexicon is
# `analysis/data/sourcing_verbs.csv`.

# %%
verbs = sourcing_tables.verb_table(quotes)
chart = sourcing_charts.verb_mix_chart(verbs, outlets)
charts.save_chart(chart, fig_dir, "verb_mix", data=verbs)
chart

# %%
verbs.pivot_table(
    index=["outlet", "speaker"], columns="cue_category", values="n", aggfunc="sum", fill_value=0
)

# %% [markdown]
# **Hedges and evidentiality.** Markers such as reportedly, alleged(ly),
# unconfirmed, 'could not be independently verified' and 'according to',
# per 1,000 words of the outlet's own text (markers inside quotations are
# the source's, not the outlet's, and are left out of the chart).

# %%
hedges = sourcing_tables.find_hedges(corpus, quotes)
chart = sourcing_charts.hedges_chart(hedges, outlets, corpus.articles)
charts.save_chart(chart, fig_dir, "hedges", data=hedges)
chart

# %% [markdown]
# **Every quote.** The full table (CSV next to the figure, with offsets,
# sentence and paragraph ids, rule and confidence); the figure lists the
# first rows and, opened as interactive Vega-Lite, filters them with the
# search box (speaker, verb, outlet or words).

# %%
chart = sourcing_charts.quote_table_chart(quotes)
charts.save_chart(chart, fig_dir, "quote_table", data=quotes)
chart

# %%
quotes[["quote_id", "outlet", "kind", "speaker", "speaker_mention", "cue", "text", "rule_id", "confidence"]]

# %% [markdown]
# **In short.** Generated from the speaker and verb tables: whose words each
# outlet carries, and how loaded its attribution verbs are.

# %%
charts.save_table(speakers.drop(columns=["quote_ids"]), fig_dir, "speaker_table",
                  title="Speakers per outlet: quotes, words quoted, type and the rule that typed them")
summary_lines = summaries.sourcing_summary(speakers, verbs, sourcing_tables.kind_mix(quotes, outlets))
charts.save_summary(fig_dir, summary_lines)
summary_lines
