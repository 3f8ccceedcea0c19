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
# # 02 · Topics: what each outlet spends its words on
#
# A topic model groups the corpus's paragraphs (or sentences) by what they are
# about; comparing how each outlet's paragraphs spread over the topics says who
# covered which part of the story. Every share is shown with a bootstrap
# interval, a topic is called distinctive for an outlet only when the interval
# of the difference excludes zero and at least three paragraphs back it, and
# the stability section shows which topics survive a different random seed.
# Embeddings come from the verified offline all-MiniLM-L6-v2 and are cached, so
# a second run embeds nothing. Method, unit and settings are parameters; see
# `docs/topics.md`.

# %% tags=["parameters"]
corpus_path = "../seeds"
out_dir = "../build/figures"
unit = "paragraphs"
method = "bertopic"
n_topics = None
random_state = 0
embedding_model = None
stability_seeds = [0, 1, 2]
n_boot = 2000

# %%
from analysis import charts, summaries, topics
from analysis.charts import topics as topic_charts
from analysis.corpus import load_corpus
from analysis.embed import embed_texts, model_info

corpus = load_corpus(corpus_path)
fig_dir = f"{out_dir}/02_topics"
outlets = corpus.outlets
units = corpus.units(unit)
embeddings = embed_texts(units["text"].tolist(), model=embedding_model)
result = topics.fit_topics(units, method=method, n_topics=n_topics, random_state=random_state,
                           embeddings=embeddings, n_boot=n_boot)
print(f"{len(units)} {unit}, {result.params['n_topics']} topics, method {method}, "
      f"embedding model {model_info(embedding_model).name}")
for note in result.notes:
    print("note:", note)
result.topic_labels

# %% [markdown]
# **Topic shares per outlet.** Each cell is the share of an outlet's units
# assigned to a topic (each column sums to 100%). Hover for the 95% interval:
# it comes from resampling the outlet's articles (or its units, when it has
# fewer than five articles) and is wide for outlets with little text. Compare
# colours across a row only when the intervals do not overlap much.

# %%
chart = topic_charts.prevalence_heatmap(result.prevalence, result.topic_labels, outlets)
charts.save_chart(chart, fig_dir, "topic_shares")
chart

# %% [markdown]
# **What the topics are.** The heaviest terms of each topic (for BERTopic the
# c-TF-IDF weight of the term in the topic's units). The topic label is the
# top three c-TF-IDF terms; the table above lists representative units to read.

# %%
chart = topic_charts.topic_terms_chart(result.topic_terms, result.topic_labels)
charts.save_chart(chart, fig_dir, "topic_terms")
chart

# %% [markdown]
# **Map of the units.** Each dot is a unit placed by a 2-D projection of its
# embedding (seeded UMAP), coloured by outlet; topic labels sit at the median
# of their units. Clusters of one colour show angles only one outlet took;
# mixed clusters are ground everyone covered. Distances between far-apart
# groups mean little in this projection.

# %%
points = topics.unit_map(units, embeddings=embeddings, random_state=random_state).merge(
    result.doc_topics, on="unit_id").assign(text=units["text"].to_numpy())
chart = topic_charts.unit_map_chart(points, result.topic_labels, outlets)
charts.save_chart(chart, fig_dir, "unit_map", data=points.drop(columns=["text"]))
chart

# %% [markdown]
# **Distinctive topics.** For each outlet and topic: the outlet's share minus
# the other outlets' pooled share, with its 95% bootstrap interval. Solid dots
# are distinctive: the interval excludes zero and the side with the higher
# share has at least three units in the topic. Faint dots are differences the
# data cannot tell from chance.

# %%
chart = topic_charts.distinctive_chart(result.distinctive, result.topic_labels, outlets)
charts.save_chart(chart, fig_dir, "distinctive_topics")
result.distinctive[result.distinctive["distinctive"]].merge(result.topic_labels[["topic", "label"]], on="topic")

# %%
chart

# %% [markdown]
# **Stability.** The model is refitted with each seed in `stability_seeds`.
# For every topic above, the bar is the mean (tick: the worst) best Jaccard
# overlap of its units with any topic of another seed's fit; near 1 the topic
# is robust, below about 0.5 it is an artefact of the seed and should not be
# interpreted. The subtitle gives the adjusted Rand index of whole assignments.

# %%
stability = topics.topic_stability(units, seeds=stability_seeds, method=method, n_topics=n_topics,
                                   embeddings=embeddings, fitted=result)
chart = topic_charts.stability_chart(stability.topics, stability.pairs)
charts.save_chart(chart, fig_dir, "stability", data=stability.topics)
stability.pairs

# %%
chart

# %% [markdown]
# **Stories.** Articles grouped into stories (events) by the similarity of
# their title and lead plus shared names and dates (threshold 0.5, see
# `docs/topics.md`). Each row is a story, each square an outlet's articles in
# it: a story covered by one outlet only is an event the others did not report.

# %%
stories = topics.cluster_stories(corpus)
chart = topic_charts.story_coverage_chart(stories, outlets)
charts.save_chart(chart, fig_dir, "story_coverage", data=stories)
stories

# %% [markdown]
# **In short.** Generated from the tables above: the topics that set an
# outlet apart (only those whose difference in share excludes zero) and how
# stable the assignments are across seeds.

# %%
charts.save_table(result.topic_labels, fig_dir, "topic_labels", title="Topics, their c-TF-IDF labels and representative units")
summary_lines = summaries.topics_summary(result.topic_labels, result.prevalence, result.distinctive, stability.pairs)
charts.save_summary(fig_dir, summary_lines)
summary_lines
