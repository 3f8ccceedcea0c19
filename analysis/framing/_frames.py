"""Codebook frames with sentence-level evidence (Semetko & Valkenburg; any codebook file).

A codebook is a TOML file (shipped ones live in ``analysis/data/codebooks/``):
frames, each with indicator questions, and for each indicator the cues,
patterns, co-occurrence requirements and exclusions that answer it on a
sentence (format in ``docs/framing.md`` and the header of
``semetko_valkenburg.toml``). The pipeline is transparent by construction:

1. :func:`frame_evidence`: every sentence that fires an indicator, with the
   matched words and their character offsets in the article;
2. :func:`frame_indicators`: each indicator answered yes/no per article
   (yes when at least ``min_sentences`` sentences fire);
3. :func:`frame_scores`: per article and frame the score (mean of the yes/no
   items, as in Semetko & Valkenburg 2000) and ``present`` (score at least the
   codebook's ``present_threshold``).

Embedding similarity to each indicator's prototype sentences is optional and
off by default (``use_embeddings=True``); its hits are marked ``method='embedding'``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.corpus import Corpus, story_of
from analysis.data import shipped
from analysis.framing._io import FramingDataError, phrase_regex, phrases_pattern, word_bounded
from analysis.nlp import embed_texts
from analysis.schemas import validate
from analysis.schemas.framing import FrameEvidence, FrameIndicators, FrameProfile, FrameScores

__all__ = [
    "Indicator",
    "Frame",
    "Codebook",
    "load_codebook",
    "shipped_codebooks",
    "codebook_table",
    "frame_evidence",
    "frame_indicators",
    "frame_scores",
    "frame_profile",
]

_LEXICON_REF = re.compile(r"\{([A-Za-z_]\w*)\}")


@dataclass(frozen=True)
class Indicator:
    """One codebook question and the detectors that answer it on a sentence."""

    id: str
    question: str
    matchers: tuple[re.Pattern[str], ...]
    requires: tuple[re.Pattern[str], ...] = ()
    exclude: tuple[re.Pattern[str], ...] = ()
    min_sentences: int = 1
    prototypes: tuple[str, ...] = ()

    def first_match(self, sentence: str) -> re.Match[str] | None:
        """The earliest cue or pattern match in ``sentence`` if the sentence counts as evidence, else None."""
        if any(p.search(sentence) for p in self.exclude):
            return None
        if self.requires and not any(p.search(sentence) for p in self.requires):
            return None
        found = [m for m in (p.search(sentence) for p in self.matchers) if m is not None]
        return min(found, key=lambda m: (m.start(), -m.end())) if found else None


@dataclass(frozen=True)
class Frame:
    """A frame: label, indicators, and the score from which it counts as present."""

    id: str
    label: str
    indicators: tuple[Indicator, ...]
    present_threshold: float


@dataclass(frozen=True)
class Codebook:
    """A parsed codebook file."""

    name: str
    title: str
    reference: str
    frames: tuple[Frame, ...]
    source: str


def shipped_codebooks() -> list[str]:
    """Names of the codebooks shipped in ``analysis/data/codebooks/``."""
    folder = shipped("codebooks")
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def _expand(source: str, lexicons: dict[str, str], where: str) -> re.Pattern[str]:
    def sub(m: re.Match[str]) -> str:
        if m.group(1) not in lexicons:
            raise FramingDataError(f"{where}: unknown lexicon {{{m.group(1)}}} in pattern {source!r}")
        return lexicons[m.group(1)]

    try:
        return re.compile(_LEXICON_REF.sub(sub, source), re.IGNORECASE)
    except re.error as exc:
        raise FramingDataError(f"{where}: invalid regex {source!r} ({exc})") from None


def _parse(data: dict, source: str) -> Codebook:
    lexicons = {
        name: word_bounded("|".join(phrase_regex(p) for p in sorted(words, key=len, reverse=True)))
        for name, words in data.get("lexicons", {}).items()
    }
    default = float(data.get("present_threshold", 0.5))
    frames = []
    for f in data.get("frames", []):
        indicators = []
        for ind in f.get("indicators", []):
            where = f"{source}: frame {f.get('id')!r} indicator {ind.get('id')!r}"
            if not ind.get("id") or not ind.get("question"):
                raise FramingDataError(f"{where}: needs 'id' and 'question'")
            cue = phrases_pattern(ind.get("cues", []))
            matchers = ([cue] if cue else []) + [_expand(p, lexicons, where) for p in ind.get("patterns", [])]
            if not matchers and not ind.get("prototypes"):
                raise FramingDataError(f"{where}: needs cues, patterns or prototypes")
            indicators.append(
                Indicator(
                    id=ind["id"],
                    question=ind["question"],
                    matchers=tuple(matchers),
                    requires=tuple(_expand(p, lexicons, where) for p in ind.get("requires", [])),
                    exclude=tuple(_expand(p, lexicons, where) for p in ind.get("exclude", [])),
                    min_sentences=int(ind.get("min_sentences", 1)),
                    prototypes=tuple(ind.get("prototypes", [])),
                )
            )
        if not f.get("id") or not indicators:
            raise FramingDataError(f"{source}: every frame needs an 'id' and at least one indicator")
        frames.append(
            Frame(
                f["id"],
                f.get("label", f["id"]),
                tuple(indicators),
                float(f.get("present_threshold", default)),
            )
        )
    if not frames:
        raise FramingDataError(f"{source}: no [[frames]] defined")
    return Codebook(
        data.get("name", Path(source).stem),
        data.get("title", ""),
        data.get("reference", ""),
        tuple(frames),
        source,
    )


def load_codebook(codebook: str | Path | Codebook = "semetko_valkenburg") -> Codebook:
    """Parse a codebook: a shipped name (see :func:`shipped_codebooks`) or a path to a TOML file (``""``: the default).

    Raises
    ------
    FramingDataError
        Naming the file, frame and indicator that is malformed.
    """
    if isinstance(codebook, Codebook):
        return codebook
    text = str(codebook) or "semetko_valkenburg"
    if text in shipped_codebooks():
        source = f"analysis/data/codebooks/{text}.toml"
        raw = shipped("codebooks", f"{text}.toml").read_text(encoding="utf-8")
    elif Path(text).is_file():
        source, raw = text, Path(text).read_text(encoding="utf-8")
    else:
        raise FramingDataError(f"{text}: neither a shipped codebook {shipped_codebooks()} nor a file")
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise FramingDataError(f"{source}: cannot parse ({exc})") from None
    return _parse(data, source)


def codebook_table(codebook: str | Path | Codebook = "semetko_valkenburg") -> pd.DataFrame:
    """The codebook's questions as a table.

    Returns
    -------
    DataFrame
        Columns ``frame``, ``label``, ``indicator``, ``question``, ``n_detectors``, ``min_sentences``,
        ``n_prototypes``.
    """
    cb = load_codebook(codebook)
    return pd.DataFrame(
        [
            dict(
                frame=f.id,
                label=f.label,
                indicator=i.id,
                question=i.question,
                n_detectors=len(i.matchers),
                min_sentences=i.min_sentences,
                n_prototypes=len(i.prototypes),
            )
            for f in cb.frames
            for i in f.indicators
        ]
    )


_EVIDENCE_COLUMNS = [
    "article_id",
    "outlet",
    "codebook",
    "frame",
    "indicator",
    "sentence_id",
    "start",
    "end",
    "matched",
    "method",
    "similarity",
    "sentence_start",
    "sentence_end",
    "text",
]


def frame_evidence(
    corpus: Corpus,
    codebook: str | Path | Codebook = "semetko_valkenburg",
    *,
    use_embeddings: bool = False,
    similarity: float = 0.6,
    model: str | None = None,
    stories: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every sentence that fires a codebook indicator, with what matched and where, in its story.

    Parameters
    ----------
    corpus : Corpus
    codebook : str, path or Codebook
        Shipped codebook name or TOML path.
    use_embeddings : bool
        Also count sentences whose cosine similarity to one of an indicator's prototype sentences
        reaches ``similarity`` (uses :func:`analysis.nlp._embed.embed_texts`; off by default).
    similarity : float
        Cosine threshold for embedding hits.
    model : str, optional
        Embedding model (default: the verified all-MiniLM-L6-v2).
    stories : DataFrame, optional
        ``analysis.topics.stories(corpus)``: gives each row its article's ``story_id``; without it every
        row has ``story_id`` = ``'all'`` (``analysis.corpus.WHOLE_CORPUS``, the whole corpus as one story).

    Returns
    -------
    DataFrame
        Columns ``article_id``, ``outlet``, ``story_id``, ``codebook``, ``frame``, ``indicator``, ``sentence_id``,
        ``start``/``end`` (offsets of the matched words in the article text), ``matched`` (those words, or
        the nearest prototype for embedding hits), ``method`` ('lexicon' or 'embedding'), ``similarity``
        (cosine, NaN for lexicon hits), ``sentence_start``/``sentence_end``, ``text`` (the sentence).
        One row per sentence, indicator and method, in corpus order.
    """
    cb = load_codebook(codebook)
    sents = corpus.sentences
    rows = []
    for s in sents.itertuples(index=False):
        for f in cb.frames:
            for ind in f.indicators:
                m = ind.first_match(s.text)
                if m is not None:
                    rows.append(
                        (
                            s.article_id,
                            s.outlet,
                            cb.name,
                            f.id,
                            ind.id,
                            s.sentence_id,
                            s.start + m.start(),
                            s.start + m.end(),
                            m.group(0),
                            "lexicon",
                            np.nan,
                            s.start,
                            s.end,
                            s.text,
                        )
                    )
    if use_embeddings:
        rows.extend(_embedding_hits(sents, cb, similarity, model))
    out = pd.DataFrame(rows, columns=_EVIDENCE_COLUMNS)
    if (
        use_embeddings and not out.empty
    ):  # interleave embedding hits: corpus order, then codebook order, lexicon first
        rank = {sid: i for i, sid in enumerate(sents["sentence_id"])}
        ind_rank = {ind.id: i for i, ind in enumerate(x for f in cb.frames for x in f.indicators)}
        keys = pd.DataFrame(
            {
                "s": out["sentence_id"].map(rank),
                "i": out["indicator"].map(ind_rank),
                "m": out["method"].eq("embedding"),
            }
        )
        out = out.loc[keys.sort_values(["s", "i", "m"], kind="stable").index].reset_index(drop=True)
    out.insert(2, "story_id", story_of(out, stories))
    return validate(
        out.astype(
            {
                "start": "int64",
                "end": "int64",
                "sentence_start": "int64",
                "sentence_end": "int64",
                "similarity": "float64",
            }
        ),
        FrameEvidence,
        table="frame_evidence",
    )


def _embedding_hits(sents: pd.DataFrame, cb: Codebook, threshold: float, model: str | None) -> list[tuple]:
    protos = [(f.id, ind.id, p) for f in cb.frames for ind in f.indicators for p in ind.prototypes]
    if not protos or sents.empty:
        return []
    sim = (
        embed_texts(sents["text"].tolist(), model=model) @ embed_texts([p for *_, p in protos], model=model).T
    )
    rows = []
    keys = list(dict.fromkeys((f, i) for f, i, _ in protos))
    for frame, ind in keys:
        cols = [j for j, (f, i, _) in enumerate(protos) if (f, i) == (frame, ind)]
        best = sim[:, cols].max(axis=1)
        which = np.asarray(cols)[sim[:, cols].argmax(axis=1)]
        for k in np.flatnonzero(best >= threshold):
            s = sents.iloc[k]
            rows.append(
                (
                    s.article_id,
                    s.outlet,
                    cb.name,
                    frame,
                    ind,
                    s.sentence_id,
                    s.start,
                    s.end,
                    protos[which[k]][2],
                    "embedding",
                    round(float(best[k]), 6),
                    s.start,
                    s.end,
                    s.text,
                )
            )
    return rows


def frame_indicators(
    corpus: Corpus,
    codebook: str | Path | Codebook = "semetko_valkenburg",
    *,
    evidence: pd.DataFrame | None = None,
    use_embeddings: bool = False,
    similarity: float = 0.6,
    model: str | None = None,
) -> pd.DataFrame:
    """Each indicator question answered yes/no for each article.

    Parameters
    ----------
    corpus : Corpus
    codebook : str, path or Codebook
    evidence : DataFrame, optional
        Output of :func:`frame_evidence` (computed when not given, with the next three arguments).
    use_embeddings, similarity, model
        As in :func:`frame_evidence`; used only when ``evidence`` is not given.

    Returns
    -------
    DataFrame
        Columns ``article_id``, ``outlet``, ``codebook``, ``frame``, ``indicator``, ``question``,
        ``n_sentences`` (distinct evidence sentences), ``min_sentences``, ``value`` (True = yes),
        ``sentence_ids`` (space-separated). One row per article x indicator, codebook order.
    """
    cb = load_codebook(codebook)
    ev = (
        frame_evidence(corpus, cb, use_embeddings=use_embeddings, similarity=similarity, model=model)
        if evidence is None
        else evidence
    )
    grouped = ev.groupby(["article_id", "frame", "indicator"], sort=False)["sentence_id"].agg(
        lambda s: list(dict.fromkeys(s))
    )
    rows = []
    for art in corpus.articles.itertuples(index=False):
        for f in cb.frames:
            for ind in f.indicators:
                ids = grouped.get((art.article_id, f.id, ind.id), [])
                rows.append(
                    dict(
                        article_id=art.article_id,
                        outlet=art.outlet,
                        codebook=cb.name,
                        frame=f.id,
                        indicator=ind.id,
                        question=ind.question,
                        n_sentences=len(ids),
                        min_sentences=ind.min_sentences,
                        value=len(ids) >= ind.min_sentences,
                        sentence_ids=" ".join(ids),
                    )
                )
    out = pd.DataFrame(rows).astype({"n_sentences": "int64", "min_sentences": "int64", "value": bool})
    return validate(out, FrameIndicators, table="frame_indicators")


def frame_scores(
    corpus: Corpus,
    codebook: str | Path | Codebook = "semetko_valkenburg",
    *,
    indicators: pd.DataFrame | None = None,
    use_embeddings: bool = False,
    similarity: float = 0.6,
    model: str | None = None,
) -> pd.DataFrame:
    """Frame score (mean of yes/no items) and presence per article and frame, with the evidence behind them.

    Parameters
    ----------
    corpus : Corpus
    codebook : str, path or Codebook
        ``"semetko_valkenburg"`` (default), ``"policy_frames"`` or a TOML path.
    indicators : DataFrame, optional
        Output of :func:`frame_indicators` (computed when not given).
    use_embeddings, similarity, model
        As in :func:`frame_evidence`; used only when ``indicators`` is not given.

    Returns
    -------
    DataFrame
        Columns ``article_id``, ``outlet``, ``codebook``, ``frame``, ``label``, ``n_items``, ``n_yes``,
        ``score`` (n_yes / n_items), ``present`` (score >= the frame's ``present_threshold``),
        ``threshold``, ``indicators_yes`` (space-separated ids), ``n_evidence`` (distinct evidence
        sentences of the yes items), ``sentence_ids`` (space-separated, corpus order).
    """
    cb = load_codebook(codebook)
    ind = (
        frame_indicators(corpus, cb, use_embeddings=use_embeddings, similarity=similarity, model=model)
        if indicators is None
        else indicators
    )
    order = {sid: i for i, sid in enumerate(corpus.sentences["sentence_id"])}
    rows = []
    for (article_id, frame_id), g in ind.groupby(["article_id", "frame"], sort=False):
        frame = next(f for f in cb.frames if f.id == frame_id)
        yes = g[g["value"]]
        ids = sorted({s for v in yes["sentence_ids"] for s in v.split()}, key=order.__getitem__)
        score = round(len(yes) / len(g), 6)
        rows.append(
            dict(
                article_id=article_id,
                outlet=g["outlet"].iloc[0],
                codebook=cb.name,
                frame=frame_id,
                label=frame.label,
                n_items=len(g),
                n_yes=len(yes),
                score=score,
                present=score >= frame.present_threshold,
                threshold=frame.present_threshold,
                indicators_yes=" ".join(yes["indicator"]),
                n_evidence=len(ids),
                sentence_ids=" ".join(ids),
            )
        )
    out = pd.DataFrame(rows).astype(
        {"n_items": "int64", "n_yes": "int64", "n_evidence": "int64", "present": bool}
    )
    return validate(out, FrameScores, table="frame_scores")


def frame_profile(scores: pd.DataFrame) -> pd.DataFrame:
    """Frame profile per outlet: mean score, share of articles with the frame present, evidence count.

    Returns
    -------
    DataFrame
        Columns ``outlet``, ``frame``, ``label``, ``n_articles``, ``score`` (mean over articles),
        ``share_present``, ``n_evidence`` (evidence sentences, summed over articles).
    """
    g = scores.groupby(["outlet", "frame", "label"], sort=False)
    out = g.agg(
        n_articles=("article_id", "size"),
        score=("score", "mean"),
        share_present=("present", "mean"),
        n_evidence=("n_evidence", "sum"),
    ).reset_index()
    out["score"] = out["score"].round(6)
    out["share_present"] = out["share_present"].astype(float).round(6)
    return validate(
        out.astype({"n_articles": "int64", "n_evidence": "int64"}), FrameProfile, table="frame_profile"
    )
