"""Story clustering: group articles from different outlets that report the same event.

Each article is represented by its *lead* (title plus the first ``lead_words``
words of its body) and by the *named entities and dates* it mentions early on.
Two articles are similar by

    S = cos(embedding of lead A, embedding of lead B) + entity_weight * J(entities A, entities B)

where J is the Jaccard overlap with each entity weighted by its smoothed IDF in the corpus
(:func:`entity_overlap`): a name few articles mention (a town, a person) counts up to several
times as much as one that most do (a word opening a stock sentence, a country every article
names), so that a generic shared word does not join two events. S = 0 when both
articles have a publication date and the dates are more than ``max_days`` apart.
Two articles of at least ``lead_words`` words whose title and first paragraph both name places
(a proper noun after "in", "near" or "outside" in spaCy's parse), none of which the other
article mentions anywhere, also get S = 0 (:func:`place_conflicts`): events of one kind in
different towns share a templated lead ("At least 12 people were killed in the flood in ...",
cosine about 0.6) and differ only in the town. Shorter texts (headlines) are exempt: leaving out
a place says little there. Casualty figures are deliberately not used: rewrites of one event
disagree on them.
Articles are grouped by average-linkage agglomerative clustering on the distance
``1 + entity_weight - S`` cut at ``1 + entity_weight - threshold``: a story is a
group whose members are, on average, at least ``threshold`` similar to one
another. Average linkage (not single linkage) keeps two events from being
chained together through one in-between article.

Default threshold 0.5: with all-MiniLM-L6-v2, leads of different outlets on
the same event score about 0.55 to 0.85 (plus an entity bonus), leads on
different events of the same broad subject about 0.2 to 0.45, unrelated news
below 0.2 (measured on the test corpus of ``tests/test_stories.py``; see
docs/topics.md). Raise it to split a running story into its individual events,
lower it to merge follow-ups.

Entities (not places) are found by a pattern, not a parser: runs of capitalised words
(``Nagorno-Karabakh``, ``Security Council``) that are not a lone stop word,
acronyms, and day-month dates (``20 September``, ``Sept. 20``), case-folded.
The pairwise matrix is O(n^2): fine to tens of thousands of articles; for more,
cluster per date window.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from analysis.corpus.text import split_paragraphs
from analysis.nlp import embed_texts, parse_texts
from analysis.schemas import validate
from analysis.schemas.topics import StoryClusters

__all__ = ["cluster_stories", "story_leads", "entities", "entity_overlap", "lead_places", "place_conflicts"]

_MONTHS = {
    m[:3]: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
_MONTH = r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE_RE = re.compile(rf"\b(\d{{1,2}})\s+{_MONTH}|\b{_MONTH}\s+(\d{{1,2}})\b")
_ACRONYM_RE = re.compile(r"\b(?:[A-Z]\.){2,}")
_NAME_RE = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w'’-]*)*")
_SKIP = (
    ENGLISH_STOP_WORDS
    | {
        "mr",
        "mrs",
        "ms",
        "dr",
        "said",
        "says",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    }
    | set(_MONTHS)
)


def entities(text: str) -> set[str]:
    """Case-folded capitalised names, acronyms and day-month dates (``date:09-20``) in ``text``."""
    found = set()
    for m in _DATE_RE.finditer(text):
        day = m.group(1) or m.group(4)
        month = (m.group(2) or m.group(3))[:3].lower()
        if 1 <= int(day) <= 31:
            found.add(f"date:{_MONTHS[month]:02d}-{int(day):02d}")
    found.update(m.group().rstrip(".").casefold() for m in _ACRONYM_RE.finditer(text))
    for m in _NAME_RE.finditer(_ACRONYM_RE.sub(" ", text)):
        words = re.sub(r"['’]s$", "", m.group()).casefold().split()
        while words and words[0] in _SKIP:
            words = words[1:]
        if len(words) > 1 or (words and len(words[0]) > 1 and words[0][:3] not in _MONTHS):
            found.add(" ".join(words))
    return found


def _bodies(articles: pd.DataFrame, paragraphs: pd.DataFrame | None) -> list[list[str]]:
    """Each article's body paragraphs: its kept body paragraphs, else its text split into paragraphs."""
    if paragraphs is not None:
        body = paragraphs.loc[paragraphs["role"] == "body"]
        kept = body.groupby("article_id", sort=False)["text"].agg(list).to_dict()
        return [kept.get(article_id, []) for article_id in articles["article_id"]]
    return [[text[s:e] for s, e in split_paragraphs(text)] for text in articles["text"]]


def _first_words(paragraphs: list[str], n_words: int) -> str:
    words: list[str] = []
    for para in paragraphs:
        words += para.split()
        if len(words) >= n_words:
            break
    return " ".join(words[:n_words])


def story_leads(
    articles: pd.DataFrame,
    paragraphs: pd.DataFrame | None = None,
    *,
    lead_words: int = 60,
    entity_words: int = 300,
) -> pd.DataFrame:
    """The text each article is compared by.

    Returns
    -------
    DataFrame
        Columns ``article_id``, ``outlet``, ``lead`` (title + first ``lead_words`` body
        words), ``entities`` (set of str from the title and first ``entity_words`` words).
    """
    rows = []
    titles = articles["title"] if "title" in articles.columns else pd.Series("", index=articles.index)
    for article_id, outlet, title, body in zip(
        articles["article_id"], articles["outlet"], titles, _bodies(articles, paragraphs), strict=True
    ):
        title = title if isinstance(title, str) and title.strip() else ""
        lead = (title + "\n" + _first_words(body, lead_words)).strip()
        rows.append((article_id, outlet, lead, entities(title + "\n" + _first_words(body, entity_words))))
    return pd.DataFrame(rows, columns=["article_id", "outlet", "lead", "entities"])


def cluster_stories(
    articles,
    paragraphs: pd.DataFrame | None = None,
    *,
    threshold: float = 0.5,
    entity_weight: float = 0.3,
    max_days: float | None = 14,
    lead_words: int = 60,
    split_places: bool = True,
    embeddings: np.ndarray | None = None,
    embedding_model: str | None = None,
) -> pd.DataFrame:
    """Group articles that report the same event into stories.

    Parameters
    ----------
    articles : DataFrame or Corpus
        ``corpus.articles`` (``article_id``, ``outlet``, ``text``; ``title`` and
        ``published`` used when present). A :class:`~analysis.corpus._load.Corpus` brings its paragraphs too.
    paragraphs : DataFrame, optional
        ``corpus.paragraphs``: leads are then taken from kept body paragraphs (no boilerplate).
    threshold : float
        Minimum average similarity S within a story (module docstring).
    entity_weight : float
        Weight in S of the IDF-weighted Jaccard overlap of entities and dates (:func:`entity_overlap`).
    max_days : float or None
        Articles dated further apart are never in one story; None disables the rule.
    lead_words : int
        Body words in the lead; an article of fewer words in all never takes part in ``split_places``.
    split_places : bool
        Never join two articles whose leads name places and share none (:func:`place_conflicts`):
        their S is set to 0, as for dates ``max_days`` apart. Needs spaCy; without it, no effect.
    embeddings : ndarray, optional
        Precomputed embeddings of :func:`story_leads`' ``lead`` column.
    embedding_model : str, optional

    Returns
    -------
    DataFrame
        Columns ``article_id``, ``outlet``, ``story_id`` ('s0' = the story with
        most articles), ``n_articles``, ``n_outlets``; one row per article, input order.
    """
    if hasattr(articles, "articles") and hasattr(articles, "paragraphs"):
        articles, paragraphs = articles.articles, articles.paragraphs if paragraphs is None else paragraphs
    missing = {"article_id", "outlet", "text"} - set(articles.columns)
    if missing:
        raise ValueError(f"articles lack column(s) {sorted(missing)}")
    if articles.empty:
        raise ValueError("no articles to cluster")
    if articles["article_id"].duplicated().any():
        raise ValueError("article_id is not unique")
    if not 0 < threshold <= 1 + entity_weight:
        raise ValueError(f"threshold must be in (0, {1 + entity_weight}], got {threshold}")
    articles = articles.reset_index(drop=True)
    leads = story_leads(articles, paragraphs, lead_words=lead_words)
    if embeddings is None:
        embeddings = embed_texts(leads["lead"].tolist(), model=embedding_model)
    if len(embeddings) != len(articles):
        raise ValueError(f"embeddings have {len(embeddings)} rows for {len(articles)} articles")
    sim = _similarity(np.asarray(embeddings, dtype=float), leads["entities"].tolist(), entity_weight)
    if max_days is not None and "published" in articles.columns:
        dates = pd.to_datetime(articles["published"], errors="coerce", utc=True, format="mixed")
        days = ((dates - pd.Timestamp("1970-01-01", tz="UTC")) / pd.Timedelta(days=1)).to_numpy(dtype=float)
        gap = np.abs(days[:, None] - days[None, :])
        sim[np.nan_to_num(gap, nan=0.0) > max_days] = 0.0
    if split_places:
        sim[_place_conflicts_of(articles, paragraphs, min_words=lead_words)] = 0.0
    labels, top = np.zeros(len(articles), dtype=int), 1 + entity_weight  # top: S of an article with itself
    if len(articles) > 1:
        labels = AgglomerativeClustering(
            n_clusters=None, metric="precomputed", linkage="average", distance_threshold=top - threshold
        ).fit_predict(top - sim)
    first = {lab: i for i, lab in reversed(list(enumerate(labels.tolist())))}
    sizes = pd.Series(labels).value_counts()
    order = sorted(first, key=lambda lab: (-sizes[lab], first[lab]))
    story = pd.Series(labels).map({lab: f"s{i}" for i, lab in enumerate(order)})
    out = pd.DataFrame(
        {
            "article_id": articles["article_id"].astype(str),
            "outlet": articles["outlet"].astype(str),
            "story_id": story.to_numpy(),
        }
    )
    out["n_articles"] = out.groupby("story_id")["article_id"].transform("size").astype(np.int64)
    out["n_outlets"] = out.groupby("story_id")["outlet"].transform("nunique").astype(np.int64)
    return validate(out, StoryClusters, table="story clusters")


def _similarity(embeddings: np.ndarray, ents: list[set[str]], entity_weight: float) -> np.ndarray:
    unit = embeddings / np.maximum(np.linalg.norm(embeddings, axis=1, keepdims=True), 1e-12)
    sim = np.clip(unit @ unit.T, 0.0, 1.0)
    if entity_weight:
        sim = sim + entity_weight * entity_overlap(ents)
    np.fill_diagonal(sim, 1 + entity_weight)
    return sim


def entity_overlap(ents: list[set[str]]) -> np.ndarray:
    """Pairwise Jaccard overlap of entity sets, each entity weighted by its smoothed IDF.

    ``J(A, B) = sum of w(e) over A & B / sum of w(e) over A | B`` with
    ``w(e) = 1 + ln((1 + n) / (1 + df(e)))`` (scikit-learn's smoothed IDF), ``df`` the number of
    the ``n`` articles naming ``e``. An entity most articles name (a recurring place, a word that
    opens a stock sentence) weighs about 1; one that few name, up to ``1 + ln((1 + n) / 2)``.
    In a corpus of a few articles all weights are close and this is plain Jaccard.

    Returns
    -------
    ndarray of shape (n, n)
        Overlap in [0, 1]; 0 where both sets are empty.
    """
    n = len(ents)
    vocab = {name: k for k, name in enumerate(sorted(set().union(*ents)))}
    has = _incidence([[vocab[name] for name in sorted(e)] for e in ents], len(vocab))
    df = np.asarray(has.sum(axis=0)).ravel()
    weighted = has @ sparse.diags(1.0 + np.log((1.0 + n) / (1.0 + df)))
    shared = (weighted @ has.T).toarray()
    mass = np.asarray(weighted.sum(axis=1)).ravel()
    union = mass[:, None] + mass[None, :] - shared
    return np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)


#: Where an event happened: a proper noun governed by a locative preposition ("the flood in Ashford"),
#: whatever spaCy's label (en_core_web_sm tags towns it does not know as ORG or PERSON, or not at
#: all), unless the label says it is a date, a time, a quantity or a nationality ("in March").
#: Places in other roles are left out: "the US team", "off south-western Japan", "the Kashmiri summer
#: capital Srinagar" are how rewrites of one event differ (three Lee events of tests/test_stories.py
#: were split when every GPE/LOC entity counted).
_NOT_PLACE_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT", "NORP"}
_LOCATIVE = {"in", "near", "outside"}


def _place_key(name: str) -> str:
    """A place name case-folded, hyphens and runs of spaces as one space, no leading 'the' or possessive."""
    key = " ".join(re.sub(r"['’]s$", "", name.strip()).replace("-", " ").casefold().split())
    return key[4:] if key.startswith("the ") else key


def lead_places(articles: pd.DataFrame, paragraphs: pd.DataFrame | None = None) -> list[set[str]] | None:
    """Places named in each article's title and first body paragraph.

    A place is a proper noun that is the object of "in", "near" or "outside" ("the flood in
    Ivybridge"), with the entity or compound name it belongs to (see ``_NOT_PLACE_LABELS``).

    Returns
    -------
    list of set of str or None
        Place keys (:func:`_place_key`) per article, in order; None without a spaCy pipeline.
    """
    titles = articles["title"] if "title" in articles.columns else pd.Series("", index=articles.index)
    texts = [
        ((title if isinstance(title, str) else "") + "\n" + (body[0] if body else "")).strip()
        for title, body in zip(titles, _bodies(articles, paragraphs), strict=True)
    ]
    docs = parse_texts(texts, what="leads")
    if docs is None:
        return None
    return [{_place_key(name) for name in _places(doc)} - {""} for doc in docs]


def _places(doc) -> list[str]:
    """Place names in a parsed text (:func:`lead_places`), as written."""
    names = []
    for token in doc:
        if not (token.pos_ == "PROPN" and token.dep_ == "pobj" and token.head.lower_ in _LOCATIVE):
            continue
        if token.ent_type_:
            entity = next(e for e in doc.ents if e.start <= token.i < e.end)
            if entity.label_ not in _NOT_PLACE_LABELS:
                names.append(entity.text)
        else:
            first = min([token.i] + [t.i for t in token.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"])
            names.append(doc[first : token.i + 1].text)
    return names


def _full_texts(articles: pd.DataFrame) -> list[str]:
    titles = articles["title"] if "title" in articles.columns else pd.Series("", index=articles.index)
    return [
        (title if isinstance(title, str) else "") + "\n" + text
        for title, text in zip(titles, articles["text"].fillna(""), strict=True)
    ]


def _place_conflicts_of(
    articles: pd.DataFrame, paragraphs: pd.DataFrame | None, *, min_words: int
) -> np.ndarray:
    """:func:`place_conflicts` among the articles of at least ``min_words`` words (title and text).

    A shorter text (a headline, a brief) never conflicts: that it leaves a place out says little
    (headlines of one story name China or Hong Kong, Russia or Ukraine; on the headline-only UCI News
    Aggregator dev half the rule without this exemption lowered F1 from 0.449 to 0.445). Without a
    spaCy pipeline nothing conflicts.
    """
    texts = _full_texts(articles)
    long = np.flatnonzero([len(text.split()) >= min_words for text in texts])
    conflicts = np.zeros((len(texts), len(texts)), dtype=bool)
    places = lead_places(articles.iloc[long], paragraphs) if len(long) > 1 else None
    if places is not None:
        conflicts[np.ix_(long, long)] = place_conflicts(places, [texts[i] for i in long])
    return conflicts


def place_conflicts(places: list[set[str]], texts: list[str]) -> np.ndarray:
    """Pairs of articles that name places in their leads and share none of them in any way.

    Articles i and j conflict when both lead place sets are non-empty, no place of i's lead is
    mentioned anywhere in j's text (a whole-word match starting with a capital, otherwise
    case-insensitive, hyphen = space: "Westerly" but not "westerly winds") and no
    place of j's lead anywhere in i's: two floods in two towns are two events, while a city named
    two ways in a region both name stays linked.

    Returns
    -------
    ndarray of bool, shape (n, n)
    """
    n = len(places)
    vocab = {name: k for k, name in enumerate(sorted(set().union(*places)))}
    if not vocab:
        return np.zeros((n, n), dtype=bool)
    alternatives = (
        r"[\s-]+".join(map(re.escape, name.split())) for name in sorted(vocab, key=len, reverse=True)
    )
    pattern = re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)", re.IGNORECASE)
    lead = _incidence([[vocab[p] for p in ps] for ps in places], len(vocab))
    found = (
        [vocab.get(_place_key(m.group()), -1) for m in pattern.finditer(text) if m.group()[0].isupper()]
        for text in texts
    )
    named = _incidence([[k for k in ks if k >= 0] for ks in found], len(vocab))
    named = named.maximum(lead)
    shared = (lead @ named.T).toarray() > 0
    has = np.asarray(lead.sum(axis=1)).ravel() > 0
    return has[:, None] & has[None, :] & ~(shared | shared.T)


def _incidence(columns: list[list[int]], width: int) -> sparse.csr_matrix:
    """0/1 matrix with a row per list, holding 1 in the columns the list names."""
    rows = np.repeat(np.arange(len(columns)), [len(c) for c in columns])
    cols = np.fromiter((c for cs in columns for c in cs), dtype=np.int64, count=len(rows))
    matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(columns), width))
    matrix.data[:] = 1.0
    return matrix
