"""Naming variants discovered from the corpus: expressions for one thing that outlets choose differently.

:func:`naming_variants` proposes groups such as *Stepanakert / Khankendi* or *Obamacare / Affordable
Care Act* from three kinds of evidence, then measures how each group's use is skewed by outlet:

links (``method`` 'apposition', 'abbreviation', 'known_as', 'naming')
    one sentence names the thing twice: ``Stepanakert (Khankendi in Azerbaijani)``,
    ``Affordable Care Act (ACA)``, ``the Affordable Care Act, also known as Obamacare``,
    ``Nagorno-Karabakh, which Armenians call Artsakh``. Each pattern is in :data:`_LINKS`.
shared contexts (``method`` 'context')
    the ``n_candidates`` most frequent uni-, bi- and trigrams (with at least ``min_count``
    occurrences; no stop word inside) get a vector of the words within :data:`WINDOW` tokens of
    their occurrences (a scikit-learn tf-idf weighting of a SciPy sparse count matrix). Two
    candidates are proposed as variants when their cosine similarity reaches ``threshold`` *and*
    they behave like substitutes: both names or both common words (capitalisation), neither
    inside the other, rarely in the same sentence (at most :data:`MAX_COOCCURRENCE` of the rarer
    one's sentences), in the same article at most half as often as chance (:data:`MAX_ARTICLE_LIFT`), and used in
    different proportions by different outlets (the G-test below at ``1 - ci``). Related words
    that are not alternative names (Russia / Ukraine, Trump / Clinton) share contexts too, but
    they share sentences and articles as well.
embeddings (``method`` 'embedding', only with ``use_embeddings=True``)
    the same candidates embedded with :func:`analysis.nlp.embed_texts`; a pair whose cosine reaches
    ``similarity`` and passes the same substitute checks is proposed.

Cost: one pass over the sentences (linear in tokens), then ``n_candidates`` x ``n_candidates``
similarities; the candidate list, not the corpus, bounds the quadratic part.

Groups are merged from the pairs, strongest first, up to :data:`MAX_VARIANTS` variants. A user's
contested-terms table (``terms``) adds its groups as they are and *fixes* the discovered ones: a
discovered variant that one of the table's patterns matches belongs to the table's group, and a
discovered group left with one variant is dropped.

The ``confidence`` of a group is a documented heuristic in [0, 1], not a probability: each link
sentence counts :data:`LINK_CONFIDENCE` of its kind, a context or embedding pair ``0.4 x cosine x
(1 - co-occurrence share)``, and the pieces of evidence are combined as independent chances
(``1 - prod(1 - c)``); user-table groups have 1.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse, stats
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.metrics.pairwise import cosine_similarity

from analysis.corpus import Corpus
from analysis.corpus import text as textmod
from analysis.data import read_word_list
from analysis.framing._io import FramingDataError, phrase_regex, read_table, word_bounded
from analysis.nlp import embed_texts
from analysis.schemas import validate
from analysis.schemas.framing import NamingVariants

__all__ = [
    "load_terms",
    "naming_variants",
    "MIN_CONFIDENCE",
    "WINDOW",
    "MAX_COOCCURRENCE",
    "MAX_VARIANTS",
    "LINK_CONFIDENCE",
]

#: Confidence a discovered group needs to be used by default (naming_mentions without a table): every
#: link-backed group reaches it; groups on shared contexts alone stay proposals to review.
MIN_CONFIDENCE = 0.5
#: Tokens on each side of an occurrence that make its context.
WINDOW = 5
#: Largest share of the rarer candidate's sentences that may also hold the other one (substitutes).
MAX_COOCCURRENCE = 0.2
#: Substitutes share articles at most this fraction of what chance would give (lift = observed / expected).
MAX_ARTICLE_LIFT = 0.5
#: Most variants merged into one discovered group.
MAX_VARIANTS = 6
#: Confidence one link sentence gives, per kind of link.
LINK_CONFIDENCE = {"apposition": 0.8, "known_as": 0.8, "naming": 0.8, "abbreviation": 0.5}
_CONTEXT_WEIGHT = 0.4
_MAX_NGRAM = 3
#: Words never part of a candidate nor of a context, besides the shipped stop list.
_EXTRA_STOPS = frozenset(
    "he she it they we you i his her its their our your them him us me who whom whose which what "
    "said says say told also would could should will can may might must not no just new one two "
    "mr mrs ms dr".split()
)

_NAME_WORD = r"[A-Z][\w’'.-]*"
_NAME = rf"{_NAME_WORD}(?:\s+(?:of\s+|the\s+|and\s+|de\s+)?{_NAME_WORD}){{0,4}}"
_QUOTED = r"[“\"‘'](?P<bq>[^”\"’'\n]{2,40})[”\"’']"
_LINKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "apposition",
        re.compile(
            rf"(?P<a>{_NAME})\s+\((?:also\s+|formerly\s+|or\s+)?(?:known\s+as\s+|called\s+)?"
            rf"(?P<b>{_NAME})(?:\s+(?:in|to)\s+[A-Z]\w+)?\)"
        ),
    ),
    (
        "known_as",
        re.compile(
            rf"(?P<a>{_NAME}),?\s+(?:also\s+|better\s+|commonly\s+|widely\s+|popularly\s+)?"
            rf"(?:known|referred\s+to)\s+as\s+(?:the\s+)?(?:(?P<b>{_NAME})|{_QUOTED})"
        ),
    ),
    (
        "naming",
        re.compile(
            rf"(?P<a>{_NAME}),\s+(?:which|whom|what)\s+(?:[\w’'-]+\s+){{1,4}}?(?:calls?|called|name[sd]?)\s+"
            rf"(?:it\s+|the\s+)?(?:(?P<b>{_NAME})|{_QUOTED})"
        ),
    ),
)
_NOT_A_NAME = re.compile(r"^(?:[A-Z]-|[A-Z]\.?$|(?:AP|AFP|Reuters|File|Photo|Pictured|Video|Updated)$)")
_ROLE = re.compile(
    r"\b(?:Chairman|Chairwoman|Chair|CEO|Director|Spokes(?:man|woman|person)|President|Minister|Secretary|"
    r"Senator|Governor|Mayor|Leader|Commander)\b"
)
_ACRONYM = re.compile(r"[A-Z][A-Za-z.&]{0,7}[A-Z]s?")
#: Titles and affiliations: a name after one is a person, and a parenthesis after it their party or place.
_TITLED = re.compile(
    r"\b(?:Sens?|Reps?|Gov|Govs|Mr|Mrs|Ms|Dr|Gen|Col|Lt|Sgt|Adm|Rev|St|President|Vice President|Prime Minister|"
    r"Minister|Senator|Representative|Congressman|Congresswoman|Governor|Secretary|Chancellor|Mayor|"
    r"Ambassador|Judge|Justice|King|Queen|Prince|Democrats?|Republicans?)\b\.?\s+(?:[A-Z][\w’'.-]*\s*){0,4}$"
)


def load_terms(terms: str | Path | pd.DataFrame) -> pd.DataFrame:
    """A contested-terms table: a CSV path or a DataFrame (such as :func:`naming_variants` output).

    The seeds' example is ``analysis/data/terms_nk2023.csv``, named by ``seeds/coverage-compare.toml``.

    Returns
    -------
    DataFrame
        Columns ``group``, ``variant``, ``pattern`` (filled from the variant where empty), ``note``.

    Raises
    ------
    FramingDataError
        When no table is given, a required column is missing or a pattern is not a regex.
    """
    if terms is None or (not isinstance(terms, pd.DataFrame) and str(terms) == ""):
        raise FramingDataError(
            "no terms table given: pass a path or DataFrame, or discover one with naming_variants"
        )
    df = read_table(terms, "", ("group", "variant"))
    for column in ("pattern", "note"):
        if column not in df.columns:
            df[column] = ""
    df["pattern"] = [
        p if p.strip() else phrase_regex(v) for p, v in zip(df["pattern"], df["variant"], strict=True)
    ]
    for row in df.itertuples(index=False):
        try:
            re.compile(row.pattern)
        except re.error as exc:
            raise FramingDataError(
                f"terms table: variant {row.variant!r} has an invalid pattern ({exc})"
            ) from None
    return df[["group", "variant", "pattern", "note"]]


@dataclass
class _Term:
    """One candidate expression: its token key, how it is written, where and by whom."""

    key: tuple[str, ...]
    surface: Counter = field(default_factory=Counter)
    outlets: Counter = field(default_factory=Counter)
    sentences: set = field(default_factory=set)
    n: int = 0
    first: tuple[str, str, int, int] | None = None  # article_id, sentence_id, start, end

    @property
    def label(self) -> str:
        return min(self.surface.items(), key=lambda kv: (-kv[1], kv[0]))[0]

    @property
    def is_name(self) -> bool:
        capital = sum(n for s, n in self.surface.items() if s[:1].isupper())
        return capital * 2 > sum(self.surface.values())


@dataclass(frozen=True)
class _Pair:
    a: tuple[str, ...]
    b: tuple[str, ...]
    method: str
    score: float
    confidence: float
    evidence: str
    where: tuple[str, str, int, int] | None  # article_id, sentence_id, start, end of a link; None: first use


def _stop_words() -> frozenset[str]:
    words = read_word_list("stopwords_en.txt")
    return words | _EXTRA_STOPS


_CASED = re.compile(r"[A-Za-z][A-Z]")


def _token(raw: str, normalized: str) -> str:
    """The normalized token; an acronym or mixed-case word ('SMART', 'STePS') keeps its case, unlike the word."""
    return (
        raw.rstrip(".")
        if _CASED.search(raw) and not raw.isupper() or raw.isupper() and len(raw) > 1
        else normalized
    )


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(_token(phrase[a:b], t) for a, b, t in textmod.token_spans(phrase))


def _variant_pattern(variant: str) -> str:
    """Case-insensitive regex of a variant; case-sensitive for acronyms and mixed case ('SMART' is not 'smart')."""
    source = phrase_regex(variant)
    return f"(?-i:{source})" if any(_token(w, w.lower()) != w.lower() for w in variant.split()) else source


def _is_content(token: str, stops: frozenset[str]) -> bool:
    return len(token) > 1 and token.lower() not in stops and any(ch.isalpha() for ch in token)


@dataclass(frozen=True)
class _Sentence:
    article_id: str
    outlet: str
    sentence_id: str
    text: str
    start: int
    spans: list  # (start, end) of each token, in article offsets
    tokens: list  # the tokens (see _token)
    content: list  # whether each token is a content word (may be a candidate or a context)


def _sentence_tokens(sentences: pd.DataFrame, stops: frozenset[str]) -> list[_Sentence]:
    """Every kept sentence with its tokens; each distinct word is tested for content once."""
    is_content: dict[str, bool] = {}
    out = []
    for s in sentences.itertuples(index=False):
        spans, tokens = [], []
        for a, b, t in textmod.token_spans(s.text):
            spans.append((s.start + a, s.start + b))
            tokens.append(_token(s.text[a:b], t))
        content = []
        for t in tokens:
            flag = is_content.get(t)
            if flag is None:
                flag = is_content[t] = _is_content(t, stops)
            content.append(flag)
        out.append(_Sentence(s.article_id, s.outlet, s.sentence_id, s.text, s.start, spans, tokens, content))
    return out


def _candidates(rows: list[_Sentence], n_candidates: int, min_count: int) -> list[tuple[str, ...]]:
    """The ``n_candidates`` most frequent n-grams of content words, minus those inside a longer one."""
    counts: Counter = Counter()
    for row in rows:
        tokens, content = row.tokens, row.content
        for i in range(len(tokens)):
            for n in range(1, _MAX_NGRAM + 1):
                if i + n > len(tokens) or not content[i + n - 1]:
                    break
                counts[tuple(tokens[i : i + n])] += 1
    frequent = sorted(((k, n) for k, n in counts.items() if n >= min_count), key=lambda kv: (-kv[1], kv[0]))[
        : 3 * n_candidates
    ]
    kept = {k for k, _ in frequent}
    # an n-gram nearly always inside a longer frequent one ('care act' in 'affordable care act') is not a name
    inside: Counter = Counter()
    for k in kept:
        if len(k) > 1:
            for n in range(1, len(k)):
                for i in range(len(k) - n + 1):
                    inside[k[i : i + n]] = max(inside[k[i : i + n]], counts[k])
    return [k for k, n in frequent if inside[k] < 0.8 * n][:n_candidates]


def _occurrences(rows: list[_Sentence], candidates: list[tuple[str, ...]]):
    """Longest-match occurrences of the candidates and the context words around each."""
    index = {k: i for i, k in enumerate(candidates)}
    by_first: dict[str, set[int]] = defaultdict(set)
    for k in candidates:
        by_first[k[0]].add(len(k))
    lengths = {w: sorted(ns, reverse=True) for w, ns in by_first.items()}
    terms = [_Term(k) for k in candidates]
    vocab: dict[str, int] = {}
    cells_rows: list[int] = []
    cells_cols: list[int] = []
    for row in rows:
        tokens, content = row.tokens, row.content
        i = 0
        while i < len(tokens):
            hit = next(
                (
                    n
                    for n in lengths.get(tokens[i], ())
                    if i + n <= len(tokens) and tuple(tokens[i : i + n]) in index
                ),
                0,
            )
            if not hit:
                i += 1
                continue
            t = index[tuple(tokens[i : i + hit])]
            term = terms[t]
            a, b = row.spans[i][0], row.spans[i + hit - 1][1]
            term.n += 1
            term.surface[row.text[a - row.start : b - row.start]] += 1
            term.outlets[row.outlet] += 1
            term.sentences.add(row.sentence_id)
            if term.first is None:
                term.first = (row.article_id, row.sentence_id, a, b)
            for j in (*range(max(0, i - WINDOW), i), *range(i + hit, min(len(tokens), i + hit + WINDOW))):
                if content[j]:
                    cells_rows.append(t)
                    cells_cols.append(vocab.setdefault(tokens[j], len(vocab)))
            i += hit
    matrix = sparse.coo_matrix(
        (
            np.ones(len(cells_rows)),
            (np.array(cells_rows, dtype=np.int64), np.array(cells_cols, dtype=np.int64)),
        ),
        shape=(len(candidates), max(len(vocab), 1)),
    ).tocsr()
    return terms, matrix, {i: w for w, i in vocab.items()}


def _skew_p(tables: list[Counter]) -> float:
    """G-test p-value of independence between variant and outlet (NaN with one variant or one outlet used)."""
    outlets = sorted(set().union(*tables))
    table = np.array([[t.get(o, 0) for o in outlets] for t in tables], dtype=float)
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    if table.shape[0] < 2 or table.shape[1] < 2:
        return float("nan")
    return float(stats.chi2_contingency(table, correction=False, lambda_="log-likelihood").pvalue)


def _stem(key: tuple[str, ...]) -> tuple[str, ...]:
    return (*key[:-1], re.sub(r"(?:es|s|ed|ing)$", "", key[-1].lower()))


def _contained(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    short, long_ = sorted((a, b), key=len)
    return any(long_[i : i + len(short)] == short for i in range(len(long_) - len(short) + 1))


def _incidence(terms: list[_Term], unit_of) -> np.ndarray:
    """Terms x terms counts of shared units (``unit_of`` maps a sentence id to its unit)."""
    column: dict = {}
    cells = {
        (i, column.setdefault(unit_of(sid), len(column))) for i, t in enumerate(terms) for sid in t.sentences
    }
    rows, cols = zip(*sorted(cells), strict=True) if cells else ((), ())
    incidence = sparse.csr_matrix(
        (np.ones(len(rows)), (list(rows), list(cols))), shape=(len(terms), max(1, len(column)))
    )
    return (incidence @ incidence.T).toarray()


def _similar_pairs(
    terms: list[_Term],
    similarity: np.ndarray,
    cutoff: float,
    method: str,
    ci: float,
    words,
    article_of: dict[str, str],
):
    """Mutual nearest neighbours among candidates of the same kind, at least ``cutoff`` similar, that behave like substitutes.

    Each candidate's nearest neighbour is taken among those of the same kind (names with names, common
    words with common words), not inside it, sharing at most :data:`MAX_COOCCURRENCE` of the rarer
    one's sentences and found in the same articles at most half as often as chance (:data:`MAX_ARTICLE_LIFT`: substitutes
    replace each other, related words such as two rival candidates appear together); a pair is
    proposed when each is the other's nearest and the outlets' use is skewed.
    """
    names = np.array([t.is_name for t in terms])
    shared = _incidence(terms, lambda sid: sid)
    n_sentences = np.diag(shared).astype(float)
    cooc = shared / np.maximum(1.0, np.minimum.outer(n_sentences, n_sentences))
    in_articles = _incidence(terms, article_of.__getitem__)
    n_articles = np.diag(in_articles).astype(float)
    lift = (
        in_articles
        * max(1, len(set(article_of.values())))
        / np.maximum(1.0, np.outer(n_articles, n_articles))
    )
    eligible = (names[:, None] == names[None, :]) & (cooc <= MAX_COOCCURRENCE) & (lift <= MAX_ARTICLE_LIFT)
    np.fill_diagonal(eligible, False)
    masked = np.where(eligible, similarity, -np.inf)
    nearest = masked.argmax(axis=1)
    for i, j in enumerate(nearest):
        x, y = terms[i], terms[j]
        if i >= j or nearest[j] != i or masked[i, j] < cutoff or _contained(x.key, y.key):
            continue
        if _stem(x.key) == _stem(y.key):  # 'poll' / 'polls': one word, not two names
            continue
        if _skew_p([x.outlets, y.outlets]) > 1 - ci:
            continue
        score = float(min(1.0, similarity[i, j]))
        confidence = _CONTEXT_WEIGHT * score * (1 - cooc[i, j])
        yield _Pair(
            x.key, y.key, method, score, confidence, words(i, j), None
        )  # evidence: each one's first use


def _context_words(matrix: sparse.csr_matrix, vocab: dict[int, str]):
    def shared(i: int, j: int) -> str:
        both = matrix[i].multiply(matrix[j]).tocoo()
        order = sorted(zip(-both.data, (vocab[c] for c in both.col), strict=True))[:5]
        return "shared contexts: " + ", ".join(w for _, w in order)

    return shared


def _link(method: str, m: re.Match[str], stops: frozenset[str]) -> tuple[str, str, str] | None:
    """(method, a, b) of one link match, or None when it does not name one thing twice.

    Refused: a side that is a person with a title or affiliation ('Sen. X (R-Ariz.)', 'X (Iowa)' after a
    titled name), an abbreviation ending in a full stop ('Calif.'), a capitalised acronym that does not
    spell the name before it, quotation marks, a role ('Chairman'), a side starting with a stop word
    or pronoun ('He (Petraeus)'), and two sides of which one contains the other.
    """
    a = m.group("a").strip()
    b_raw = m.group("b") or (m.groupdict().get("bq") or "")
    b = b_raw.strip(" ,")
    if _NOT_A_NAME.match(b) or b.endswith(".") or re.search(r"[\"“”‘’']{2}|[“”\"]", b):
        return None
    if _TITLED.search(m.string[max(0, m.start("a") - 30) : m.start("a")] + a) or _TITLED.match(b):
        return None
    if _ROLE.search(a) or _ROLE.search(b):
        return None
    if method == "apposition" and _ACRONYM.fullmatch(b):
        a = _expansion(a, b)
        if not a:
            return None
        method = "abbreviation"
    else:
        a = a.rsplit(" and ", 1)[-1]
    a = re.sub(r"^(?:The|A|An)\s+", "", a)
    ka, kb = _key(a), _key(b)
    if not ka or not kb or _contained(ka, kb) or all(t.lower() in stops for t in ka + kb):
        return None
    if any(t.lower() in stops for t in (ka[0], kb[0])):  # 'He (Petraeus)'
        return None
    return method, a, b


def _link_pairs(rows: list[_Sentence], stops: frozenset[str]):
    """Pairs named together in one sentence by an apposition, 'known as' or 'which X call'.

    Parts of one name ('Jeb (Bush)', 'George (W. Bush)') are refused: the corpus writes them together.
    """
    whole = None
    for row in rows:
        article_id, sentence_id, text, s_start = row.article_id, row.sentence_id, row.text, row.start
        if "(" not in text and " as " not in text and "call" not in text and "name" not in text:
            continue
        for method, pattern in _LINKS:
            for m in pattern.finditer(text):
                link = _link(method, m, stops)
                if link is None:
                    continue
                kind, a, b = link
                if whole is None:
                    whole = "\n".join(r.text for r in rows)
                if re.search(
                    rf"\b(?:{re.escape(a)}\s+{re.escape(b)}|{re.escape(b)}\s+{re.escape(a)})\b", whole
                ):
                    continue
                where = (article_id, sentence_id, s_start + m.start(), s_start + m.end())
                yield _Pair(_key(a), _key(b), kind, 1.0, LINK_CONFIDENCE[kind], m.group(0), where), a, b


def _expansion(name: str, short: str) -> str:
    """The shortest tail of ``name`` whose initials (hyphenated parts count) spell ``short``, or ''."""
    words = name.split()
    letters = short.replace(".", "").replace("&", "")
    letters = letters[:-1] if letters.endswith("s") else letters
    for i in range(len(words) - 1, -1, -1):
        tail = words[i:]
        initials = "".join(p[0] for w in tail for p in w.split("-") if p and p[0].isupper())
        if initials == letters:
            return " ".join(tail)
    return ""


def _merge(pairs: list[_Pair]) -> list[list[tuple[str, ...]]]:
    """Groups from the pairs, strongest first, never larger than :data:`MAX_VARIANTS`."""
    parent: dict[tuple[str, ...], tuple[str, ...]] = {}
    members: dict[tuple[str, ...], list[tuple[str, ...]]] = {}

    def root(k):
        parent.setdefault(k, k)
        members.setdefault(k, [k])
        while parent[k] != k:
            k = parent[k]
        return k

    for p in sorted(pairs, key=lambda p: (-p.confidence, p.a, p.b)):
        ra, rb = root(p.a), root(p.b)
        if ra != rb and len(members[ra]) + len(members[rb]) <= MAX_VARIANTS:
            ra, rb = min(ra, rb), max(ra, rb)
            parent[rb] = ra
            members[ra] += members.pop(rb)
    return [sorted(m) for r, m in sorted(members.items()) if parent[r] == r and len(m) > 1]


def _wilson(k: int, n: int, ci: float) -> tuple[float, float]:
    z = stats.norm.ppf(0.5 + ci / 2)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return float(max(0.0, centre - half)), float(min(1.0, centre + half))


def _slug(label: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", label.lower()).strip("_") or "group"


def _count_variants(corpus: Corpus, table: pd.DataFrame) -> tuple[list[Counter], list[set], list]:
    """Per row of ``table``: occurrences per outlet, articles, and the first occurrence, in kept sentences.

    Each pattern runs once over each article's text (as :func:`naming_mentions` would find it, a
    match must lie inside one kept sentence).
    """
    patterns = [re.compile(word_bounded(p), re.IGNORECASE) for p in table["pattern"]]
    # a discovered variant's longest word must be in the text: a cheap test before the regex
    needles = [
        max(re.findall(r"\w+", v.lower()), key=len, default="") if note == "discovered" else ""
        for v, note in zip(table["variant"], table["note"], strict=True)
    ]
    outlets = [Counter() for _ in patterns]
    articles: list[set] = [set() for _ in patterns]
    first: list = [None] * len(patterns)
    texts = dict(zip(corpus.articles["article_id"], corpus.articles["text"], strict=True))
    for article_id, sents in corpus.sentences.groupby("article_id", sort=False):
        text, starts = texts[article_id], sents["start"].to_numpy()
        ends, ids, outlet = sents["end"].to_numpy(), sents["sentence_id"].tolist(), sents["outlet"].iloc[0]
        lowered = text.lower()
        for i, pat in enumerate(patterns):
            if needles[i] not in lowered:
                continue
            for m in pat.finditer(text):
                k = int(np.searchsorted(starts, m.start(), side="right")) - 1
                if k < 0 or m.end() > ends[k]:
                    continue
                outlets[i][outlet] += 1
                articles[i].add(article_id)
                if first[i] is None:
                    first[i] = (article_id, ids[k], m.start(), m.end())
    return outlets, articles, first


def _fixed_by(user: pd.DataFrame | None, variant: str) -> bool:
    if user is None:
        return False
    return any(re.fullmatch(p, variant, re.IGNORECASE) for p in user["pattern"])


def naming_variants(
    corpus: Corpus,
    terms: str | Path | pd.DataFrame | None = None,
    *,
    n_candidates: int = 2000,
    min_count: int = 3,
    threshold: float = 0.2,
    use_embeddings: bool = False,
    similarity: float = 0.8,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Groups of expressions that name the same thing, discovered from the corpus (and a user's table).

    Parameters
    ----------
    corpus : Corpus
    terms : path or DataFrame, optional
        A contested-terms table (``group``, ``variant``, optional ``pattern``, ``note``) that adds its
        groups and claims the discovered variants its patterns match. ``None``/``""``: discovery only.
    n_candidates : int
        Most frequent n-grams compared by context (bounds time and memory on large corpora).
    min_count : int
        Fewest occurrences a candidate needs (linked names need none).
    threshold : float
        Cosine similarity of context vectors from which two candidates may be variants.
    use_embeddings : bool
        Also compare the candidates' sentence embeddings (``analysis.nlp.embed_texts``, offline model).
    similarity : float
        Embedding cosine from which two candidates may be variants (with ``use_embeddings``).
    ci : float
        Coverage of the share intervals; a context or embedding pair needs an outlet skew with
        ``p <= 1 - ci``.

    Returns
    -------
    DataFrame
        One row per group and variant, usable as ``terms`` of :func:`naming_choices`. Columns
        ``group``, ``variant``, ``pattern``, ``note``, ``method`` (how the variant joined: 'table',
        'apposition', 'abbreviation', 'known_as', 'naming', 'context', 'embedding'; '' for the
        variant others joined), ``score`` (similarity behind that; 1 for links and tables),
        ``confidence`` (of the group), ``n``, ``n_articles``, ``n_outlets``, ``outlet`` (where the
        variant's share of the group is highest), ``share``, ``ci_low``, ``ci_high`` (Wilson
        interval of that share), ``p`` (G-test of outlet x variant within the group), ``article_id``,
        ``sentence_id``, ``start``, ``end`` (the evidence: link sentence span, else first occurrence)
        and ``evidence`` (the linking words or the shared context words).
    """
    stops = _stop_words()
    rows = _sentence_tokens(corpus.sentences, stops)
    article_of = dict(zip(corpus.sentences["sentence_id"], corpus.sentences["article_id"], strict=True))
    candidates = _candidates(rows, n_candidates, min_count)
    terms_, matrix, vocab = _occurrences(rows, candidates)
    used = [i for i, t in enumerate(terms_) if t.n]  # a candidate always inside a longer one has none left
    terms_, matrix = [terms_[i] for i in used], matrix[used]
    by_key = {t.key: t for t in terms_}
    pairs: list[_Pair] = []
    labels: dict[tuple[str, ...], str] = {t.key: t.label for t in terms_}
    for pair, a, b in _link_pairs(rows, stops):
        pairs.append(pair)
        labels.setdefault(pair.a, a)
        labels.setdefault(pair.b, b)
    if terms_:
        weighted = TfidfTransformer(sublinear_tf=True).fit_transform(matrix)
        pairs += _similar_pairs(
            terms_,
            cosine_similarity(weighted),
            threshold,
            "context",
            ci,
            _context_words(matrix, vocab),
            article_of,
        )
        if use_embeddings:
            vectors = embed_texts([t.label for t in terms_])
            pairs += _similar_pairs(
                terms_, vectors @ vectors.T, similarity, "embedding", ci, lambda i, j: "embedding", article_of
            )
    user = load_terms(terms) if terms is not None and str(terms) != "" else None
    found = []
    for members in _merge(pairs):
        kept = [k for k in members if not _fixed_by(user, labels[k])]
        if len(kept) < 2:
            continue
        group_pairs = [p for p in pairs if p.a in kept and p.b in kept]
        confidence = 1 - float(np.prod([1 - p.confidence for p in group_pairs]))
        head = max(kept, key=lambda k: (by_key[k].n if k in by_key else 0, labels[k]))
        for k in kept:
            best = max(
                (p for p in group_pairs if k in (p.a, p.b)), key=lambda p: (p.confidence, p.where or ())
            )
            found.append(
                dict(
                    group=labels[head],
                    variant=labels[k],
                    pattern=_variant_pattern(labels[k]),
                    note="discovered",
                    method="" if k == head and best.method not in LINK_CONFIDENCE else best.method,
                    score=best.score,
                    confidence=confidence,
                    evidence=best.evidence,
                    where=best.where,
                )
            )
    table = pd.DataFrame(
        found,
        columns=["group", "variant", "pattern", "note", "method", "score", "confidence", "evidence", "where"],
    )
    if user is not None:
        used = set(user["group"])
        table["group"] = [g if g not in used else f"{g} (discovered)" for g in table["group"]]
        given = user.assign(method="table", score=1.0, confidence=1.0, evidence="user table", where=None)
        table = pd.concat([given, table], ignore_index=True) if len(table) else given
    return _with_usage(corpus, table, ci)


def _with_usage(corpus: Corpus, table: pd.DataFrame, ci: float) -> pd.DataFrame:
    """Add counts, the skewed outlet with its share interval, the group's G-test, and the evidence location."""
    outlets, articles, first = _count_variants(corpus, table) if len(table) else ([], [], [])
    table = table.reset_index(drop=True)
    table["n"] = [sum(c.values()) for c in outlets]
    table["n_articles"] = [len(a) for a in articles]
    table["n_outlets"] = [len(c) for c in outlets]
    skew = {"outlet": [], "share": [], "ci_low": [], "ci_high": [], "p": []}
    for _, rows in table.groupby("group", sort=False):
        p = _skew_p([outlets[i] for i in rows.index])
        totals = sum((outlets[i] for i in rows.index), Counter())
        for i in rows.index:
            shares = {o: outlets[i][o] / totals[o] for o in outlets[i]}
            best = min(shares, key=lambda o: (-shares[o], o)) if shares else ""
            low, high = _wilson(outlets[i][best], totals[best], ci) if best else (np.nan, np.nan)
            skew["outlet"].append((i, best))
            skew["share"].append((i, shares.get(best, np.nan)))
            skew["ci_low"].append((i, low))
            skew["ci_high"].append((i, high))
            skew["p"].append((i, p))
    for col, values in skew.items():
        table[col] = pd.Series(dict(values), dtype=object if col == "outlet" else float)
    where = [w if isinstance(w, tuple) else f for w, f in zip(table["where"], first, strict=True)]
    where = [w if w is not None else ("", "", 0, 0) for w in where]
    table["article_id"], table["sentence_id"] = [w[0] for w in where], [w[1] for w in where]
    table["start"], table["end"] = [int(w[2]) for w in where], [int(w[3]) for w in where]
    columns = [
        "group", "variant", "pattern", "note", "method", "score", "confidence", "n", "n_articles",
        "n_outlets", "outlet", "share", "ci_low", "ci_high", "p", "article_id", "sentence_id", "start",
        "end", "evidence",
    ]  # fmt: skip
    out = table[columns].astype(
        {"n": "int64", "n_articles": "int64", "n_outlets": "int64", "start": "int64", "end": "int64",
         "score": float, "confidence": float, "outlet": str}
    )  # fmt: skip
    return validate(out, NamingVariants, table="naming_variants")
