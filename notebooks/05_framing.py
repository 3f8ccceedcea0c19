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
# # 05 · Framing: frames, actors and agency, naming choices, tone
#
# How did each outlet frame the same events? Four transparent measures, each
# traceable to sentences and character offsets:
#
# 1. **Codebook frames** (default: Semetko & Valkenburg's five generic frames,
#    answered question by question with cue lexicons and patterns);
# 2. **Actors and agency**: who is mentioned, who acts, who is acted upon, who
#    is blamed for failure;
# 3. **Naming choices**: which variant of each contested term an outlet uses,
#    and whether in its own voice, attributed to a speaker, or in scare quotes;
# 4. **Tone**: VADER sentiment per sentence, overall and around each actor.
#
# The detectors are documented heuristics (see `docs/framing.md`): read the
# evidence tables before trusting a single number, especially for outlets
# with little text.

# %% tags=["parameters"]
corpus_path = "../seeds"
out_dir = "../build/figures"
codebook = "semetko_valkenburg"
actor_table = ""
terms_table = ""
use_embeddings = False
use_quote_table = True
min_actor_sentences = 3

# %%
from analysis import charts, framing, summaries
from analysis.charts import framing as framing_charts
from analysis.corpus import load_corpus
from analysis.nlp import load_spacy

corpus = load_corpus(corpus_path)
fig_dir = f"{out_dir}/05_framing"
outlets = corpus.outlets
evidence = framing.frame_evidence(corpus, codebook, embeddings=use_embeddings)
indicators = framing.frame_indicators(corpus, codebook, evidence=evidence)
scores = framing.frame_scores(corpus, codebook, indicators=indicators)
profile = framing.frame_profile(scores)
mentions = framing.actor_mentions(corpus, actor_table or None)
actors = framing.actor_profile(corpus, mentions)
terms = framing.load_terms(terms_table or None)
quotes = framing.quote_table(corpus) if use_quote_table else None
naming_mentions = framing.naming_mentions(corpus, terms, quotes=quotes)
naming = framing.naming_choices(corpus, terms, mentions=naming_mentions)
tones = framing.tone(corpus)
print(f"codebook: {framing.load_codebook(codebook).title}; spaCy parser used: {load_spacy() is not None}; "
      f"sourcing quote table used: {quotes is not None}")
framing.codebook_table(codebook)

# %% [markdown]
# **Frame profile per outlet.** Each cell is the mean, over the outlet's
# articles, of the frame's score: the share of the codebook's yes/no
# questions answered yes (Semetko & Valkenburg 2000). The number is how many
# sentences supplied the evidence. A dark cell with a small number rests on
# few sentences; the indicator table below says which questions fired and
# where.

# %%
chart = framing_charts.frame_profile_chart(profile, outlets)
charts.save_chart(chart, fig_dir, "frame_profile", data=profile)
chart

# %%
indicators[indicators["value"]][["article_id", "outlet", "frame", "indicator", "n_sentences", "sentence_ids"]]

# %%
evidence[["sentence_id", "frame", "indicator", "matched", "start", "end", "text"]].head(40)

# %% [markdown]
# **Actor salience.** Mentions of each actor (through the alias table) per
# 1,000 words of each outlet's text, so that long and short outlets compare.
# Metonyms count for their state (Moscow, the Kremlin, Putin for Russia);
# adjectives ("Russian") do not, unless the table lists a phrase.

# %%
chart = framing_charts.actor_salience_chart(actors, outlets)
charts.save_chart(chart, fig_dir, "actor_salience", data=actors)
chart

# %% [markdown]
# **Agency and blame.** For the sentences that mention an actor: the share
# where it is the grammatical agent (subject of an active verb, or the "by"
# agent of a passive), the patient (object, passive subject, target of an
# attack), and the agent of a blame or failure verb ("failed", "blocked",
# "refused to intervene") or possessor of a failure noun ("Russia's failure").
# Shares on one or two sentences are fragile: hover for the counts.

# %%
chart = framing_charts.actor_agency_chart(actors, outlets)
charts.save_chart(chart, fig_dir, "actor_agency", data=actors)
chart

# %%
mentions[mentions["blame"]][["sentence_id", "actor", "matched", "role", "verb", "method"]]

# %% [markdown]
# **Naming choices.** One row per contested term variant, one column per
# outlet; inside a column, grey circles are uses in the outlet's own voice,
# blue ones uses attributed to a speaker (in a quotation or after "said",
# "according to"), orange ones scare quotes or distancing phrases ("so-called",
# "what they called"). The number is how many times. With `use_quote_table`,
# quotations and their speakers come from notebook 04's quote extractor
# (`analysis.sourcing`) where it is installed; the table below gives the cue
# behind every non-asserted use.

# %%
chart = framing_charts.naming_matrix_chart(naming, outlets, terms)
charts.save_chart(chart, fig_dir, "naming_matrix", data=framing_charts.naming_table(naming))
chart

# %%
naming_mentions[naming_mentions["voice"] != "asserted"][["sentence_id", "variant", "matched", "voice", "cue"]]

# %% [markdown]
# **Tone of sentences.** VADER compound scores (-1 to 1) of every sentence,
# per outlet. VADER registers loaded words (killed, crisis, help), so a lower
# median mostly means more vocabulary of harm, not an editorial stance.

# %%
chart = framing_charts.tone_distribution_chart(tones, outlets)
charts.save_chart(chart, fig_dir, "tone_distribution", data=framing.tone_summary(tones))
chart

# %% [markdown]
# **Actor-targeted tone.** Mean compound score of the sentences that mention
# each actor, per outlet, with a normal 95% interval; only outlet-actor pairs
# with at least `min_actor_sentences` sentences are drawn. Overlapping
# intervals mean the data cannot tell the outlets apart.

# %%
actor_tones = framing.actor_tone(tones, mentions)
chart = framing_charts.actor_tone_chart(actor_tones, outlets, min_sentences=min_actor_sentences)
charts.save_chart(chart, fig_dir, "actor_tone", data=actor_tones)
chart

# %% [markdown]
# **Evidence tables and summary.** The report carries the non-asserted naming
# uses with their cues and the codebook questions answered yes, so every
# cell above can be checked against its sentences. The summary sentences are
# generated from the tables.

# %%
charts.save_table(naming_mentions[naming_mentions["voice"] != "asserted"][
    ["sentence_id", "outlet", "variant", "matched", "voice", "cue"]], fig_dir, "naming_evidence",
    title="Attributed and scare-quoted uses of contested terms")
charts.save_table(indicators[indicators["value"]][["article_id", "outlet", "frame", "indicator", "n_sentences",
                                                   "sentence_ids"]], fig_dir, "frame_indicators",
                  title="Codebook questions answered yes, with their evidence sentences")
summary_lines = summaries.framing_summary(profile, actors, naming, framing.tone_summary(tones))
charts.save_summary(fig_dir, summary_lines)
summary_lines
