"""A frame coder learned from human-coded articles: one calibrated logistic regression per frame.

:func:`fit_coder` turns a filled coding sheet (:func:`read_coding`) into a :class:`FrameCoder`. For
frame ``f`` each article is described by

* what it is about: the mean and the elementwise maximum of its sentences' embeddings (the verified
  all-MiniLM-L6-v2, :func:`analysis.nlp.embed_texts`, cached on disk: a corpus is embedded once),
  reduced to their first :data:`N_COMPONENTS` principal components. The projection is fitted on every
  article of the corpus given to ``fit``, coded or not: it uses no codes, and 100 coded articles cannot
  support a weight for each of 768 raw dimensions;
* the codebook's rules for ``f``: ``log(1 + n_sentences)`` of each of ``f``'s indicators
  (:func:`frame_indicators`), and ``log(1 +`` the article's sentence count ``)``;
* ``f``'s questions read semantically: per indicator of ``f``, the cosine similarity of the article's
  sentence closest to the question or one of its prototype sentences, and the mean over its
  :data:`TOP_SENTENCES` closest sentences.

Only ``f``'s own indicators enter its model: with ~10 coded articles that have a rare frame, the other
frames' questions add noise, not signal (measured in ``docs/framing.md``).

Per frame, a standardised logistic regression with balanced class weights learns ``present`` from
the coded articles; its inverse regularisation ``C`` is chosen among ``c_values`` by an inner
stratified cross-validation (log loss) on the coded sample only. An outer ``n_folds``-fold
cross-validation gives every coded article an out-of-fold score: a sigmoid fitted on those scores
(Platt 1999) calibrates the probabilities, and the threshold is the one that maximises F1 on them.
The out-of-fold codes (each fold cut at the threshold that maximises F1 on the other folds) give the
cross-validated agreement (:func:`agreement`). A frame that
fewer than ``min_positive`` coded articles have (or lack) is coded by the codebook's rules, and the
coder says so (``notes_``, ``frames_``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from math import ceil
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from analysis.corpus import Corpus
from analysis.framing._agreement import agreement
from analysis.framing._frames import Codebook, frame_indicators, frame_scores, load_codebook
from analysis.nlp import embed_texts
from analysis.schemas import validate
from analysis.schemas.framing import CoderFrames, CoderScores

__all__ = ["FrameCoder", "fit_coder", "TOP_SENTENCES", "N_COMPONENTS"]

#: Sentences per article whose similarity to a question is averaged: one sentence can be a fluke,
#: the whole article dilutes a question that a few sentences answer.
TOP_SENTENCES = 3
#: ``C`` values tried by the inner cross-validation (strong to weak regularisation: 100 coded
#: articles and 40-50 features per frame need strong regularisation).
C_VALUES = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
#: Principal components of the article embeddings (mean and max of its sentences) that the models read.
N_COMPONENTS = 32
_SCORES_COLUMNS = list(CoderScores.to_schema().columns)


def _fewest_per_class(n_folds: int) -> int:
    """Fewest articles of a class for which every outer training part still has ``n_folds`` of them."""
    n = n_folds
    while n - ceil(n / n_folds) < n_folds:
        n += 1
    return n


def _article_targets(coded: pd.DataFrame, articles: pd.Series) -> pd.DataFrame:
    """Coded articles x frames: True where at least half of an article's coders found the frame."""
    if set(coded["unit"]) - {"articles"}:
        raise ValueError("fit_coder learns from coded articles; this coding is of sentences")
    missing = sorted(set(coded["unit_id"]) - set(articles))
    if missing:
        raise ValueError(f"{len(missing)} coded article(s) are not in the corpus, e.g. {missing[0]!r}")
    share = coded.groupby(["unit_id", "frame"], sort=False)["present"].mean().unstack("frame")
    return (share >= 0.5).where(share.notna()).reindex(sorted(share.index))


class FrameCoder(BaseEstimator):
    """Codes frames with models learned from human-coded articles (rules where too few were coded).

    Parameters
    ----------
    codebook : str, path or Codebook
        The codebook the articles were coded with.
    random_state : int
        Seeds the (stratified, shuffled) folds of both cross-validations.
    min_positive : int
        Fewest coded articles with the frame, and without it, needed to learn the frame; frames with
        fewer are coded by the codebook's rules. At least what ``n_folds`` needs (7 for 5 folds).
    n_folds : int
        Folds of the outer (calibration, threshold, agreement) and inner (``C``) cross-validations.
    c_values : tuple of float
        Inverse regularisation strengths tried by the inner cross-validation.
    model : str, optional
        Sentence-embedding model (default: the verified all-MiniLM-L6-v2).
    embed : callable, optional
        ``embed(texts) -> ndarray`` of L2-normalised rows, used instead of ``model`` (tests inject one).

    Attributes
    ----------
    codebook_ : Codebook
    projection_ : PCA or None
        The principal components of the fitting corpus's article embeddings (None: nothing learned).
    frames_ : DataFrame
        Per codebook frame: ``frame``, ``method`` ('learned' or 'rules'), ``n_coded``, ``n_positive``,
        ``c_value``, ``threshold``, ``cv_f1`` (out-of-fold), ``rules_f1`` (the rules on the same
        articles), ``note`` (schema ``CoderFrames``).
    notes_ : tuple of str
        Plain sentences on the frames left to the rules.
    models_ : dict
        Frame -> (fitted pipeline, fitted calibrating sigmoid) for the learned frames.
    cv_predictions_ : DataFrame
        The coded articles' out-of-fold codes, in :meth:`predict`'s columns.
    cv_agreement_ : DataFrame
        :func:`agreement` of ``cv_predictions_`` with the coders: per frame precision, recall, F1,
        Krippendorff's alpha, bootstrap intervals.
    """

    def __init__(
        self,
        codebook: str | Path | Codebook = "semetko_valkenburg",
        *,
        random_state: int = 0,
        min_positive: int = 8,
        n_folds: int = 5,
        c_values: tuple[float, ...] = C_VALUES,
        model: str | None = None,
        embed: Callable[[list[str]], np.ndarray] | None = None,
    ):
        self.codebook = codebook
        self.random_state = random_state
        self.min_positive = min_positive
        self.n_folds = n_folds
        self.c_values = c_values
        self.model = model
        self.embed = embed

    # ---------------------------------------------------------------- features

    def _embedder(self) -> Callable[[list[str]], np.ndarray]:
        return self.embed if self.embed is not None else partial(embed_texts, model=self.model)

    def _article_features(self, corpus: Corpus, indicators: pd.DataFrame) -> dict[str, np.ndarray]:
        """Per article of ``corpus`` (its order): pooled embeddings, and per indicator counts and similarities.

        Returns
        -------
        dict
            ``pooled`` (articles x 2 dims: mean and max of the sentence embeddings), ``length``
            (articles x 1: log(1 + sentences)), and, articles x indicators in codebook order, ``counts``
            (log(1 + rule sentences)), ``closest`` (best sentence's similarity), ``top`` (mean of the
            :data:`TOP_SENTENCES` best).
        """
        embed = self._embedder()
        articles = corpus.articles["article_id"]
        sents = corpus.sentences
        vectors = np.asarray(embed(sents["text"].tolist()), dtype=float).reshape(len(sents), -1)
        questions = [(ind.question, *ind.prototypes) for f in self.codebook_.frames for ind in f.indicators]
        prompts = np.asarray(embed([t for q in questions for t in q]), dtype=float)
        owner = np.repeat(np.arange(len(questions)), [len(q) for q in questions])
        similarity = vectors @ prompts.T
        per_question = np.stack(
            [similarity[:, owner == k].max(axis=1) for k in range(len(questions))], axis=1
        ).reshape(len(sents), len(questions))
        pooled = np.zeros((len(articles), 2 * vectors.shape[1]))
        closest = np.zeros((len(articles), len(questions)))
        top = np.zeros((len(articles), len(questions)))
        n_sentences = np.zeros(len(articles))
        rows = sents.groupby("article_id", sort=False).indices
        for i, article_id in enumerate(articles):
            own = rows.get(article_id)
            if own is None:  # an article without sentences: zeros throughout
                continue
            pooled[i] = np.concatenate([vectors[own].mean(axis=0), vectors[own].max(axis=0)])
            ranked = np.sort(per_question[own], axis=0)
            closest[i] = ranked[-1]
            top[i] = ranked[-TOP_SENTENCES:].mean(axis=0)
            n_sentences[i] = len(own)
        order = [ind.id for f in self.codebook_.frames for ind in f.indicators]
        counts = (
            indicators.pivot(index="article_id", columns="indicator", values="n_sentences")
            .reindex(index=articles, columns=order)
            .fillna(0)
            .to_numpy(dtype=float)
        )
        return dict(
            pooled=pooled,
            length=np.log1p(n_sentences)[:, None],
            counts=np.log1p(counts),
            closest=closest,
            top=top,
        )

    def _frame_features(self, parts: dict[str, np.ndarray], frame: str) -> np.ndarray:
        """The columns frame ``frame``'s model reads: components, its indicators' counts and similarities."""
        own = np.array([f.id == frame for f in self.codebook_.frames for _ in f.indicators])
        return np.hstack(
            [
                self.projection_.transform(parts["pooled"]),
                parts["counts"][:, own],
                parts["length"],
                parts["closest"][:, own],
                parts["top"][:, own],
            ]
        )

    # ---------------------------------------------------------------- fitting

    def _search(self) -> GridSearchCV:
        """Standardised, balanced logistic regression whose C an inner cross-validation picks."""
        pipeline = make_pipeline(StandardScaler(), LogisticRegression(class_weight="balanced", max_iter=1000))
        folds = StratifiedKFold(self.n_folds, shuffle=True, random_state=self.random_state)
        grid = {"logisticregression__C": list(self.c_values)}
        return GridSearchCV(pipeline, grid, cv=folds, scoring="neg_log_loss")

    def _learn(self, features: np.ndarray, target: np.ndarray) -> dict:
        """Fit one frame: out-of-fold scores, calibration, threshold, then the model on all coded articles."""
        folds = StratifiedKFold(self.n_folds, shuffle=True, random_state=self.random_state)
        out_of_fold = np.zeros(len(target))
        splits = list(folds.split(features, target))
        for train, test in splits:
            out_of_fold[test] = (
                self._search().fit(features[train], target[train]).decision_function(features[test])
            )
        sigmoid = LogisticRegression(C=1e6).fit(out_of_fold[:, None], target)
        probability = sigmoid.predict_proba(out_of_fold[:, None])[:, 1].round(6)
        threshold = _best_threshold(probability, target)
        # each fold's codes use the threshold that suits the other folds, so that cv_f1 is not tuned on them
        cv_threshold = np.zeros(len(target))
        for train, test in splits:
            cv_threshold[test] = _best_threshold(probability[train], target[train])
        search = self._search().fit(features, target)
        return dict(
            pipeline=search.best_estimator_,
            sigmoid=sigmoid,
            c_value=float(search.best_params_["logisticregression__C"]),
            threshold=threshold,
            cv_probability=probability,
            cv_threshold=cv_threshold,
        )

    def fit(
        self, corpus: Corpus, coded: pd.DataFrame, *, indicators: pd.DataFrame | None = None
    ) -> FrameCoder:
        """Learn each frame of the codebook from the coded articles of ``corpus``.

        Parameters
        ----------
        corpus : Corpus
            Holds every coded article.
        coded : DataFrame
            :func:`read_coding` output for articles; an article coded by several coders counts as
            having the frame when at least half of them say so.
        indicators : DataFrame, optional
            :func:`frame_indicators` of ``corpus`` with this codebook (computed when not given).

        Returns
        -------
        FrameCoder
            ``self``, fitted.
        """
        if self.min_positive < _fewest_per_class(self.n_folds):
            raise ValueError(
                f"min_positive={self.min_positive} is too few for n_folds={self.n_folds}: "
                f"at least {_fewest_per_class(self.n_folds)}"
            )
        self.codebook_ = load_codebook(self.codebook)
        indicators = frame_indicators(corpus, self.codebook_) if indicators is None else indicators
        articles = corpus.articles["article_id"]
        targets = _article_targets(coded, articles)
        position = pd.Series(np.arange(len(articles)), index=articles.to_numpy())
        parts = None  # embedded only when a frame can be learned
        self.projection_ = None
        rules = frame_scores(corpus, self.codebook_, indicators=indicators).set_index(["article_id", "frame"])
        self.models_, rows, notes, cv_parts = {}, [], [], []
        for frame in self.codebook_.frames:
            known = targets[frame.id].dropna() if frame.id in targets else pd.Series(dtype=bool)
            target = known.to_numpy(dtype=bool)
            frame_rules = rules.loc[[(a, frame.id) for a in known.index]].reset_index()
            rules_present = frame_rules["present"].to_numpy(dtype=bool)
            row = dict(
                frame=frame.id,
                n_coded=len(target),
                n_positive=int(target.sum()),
                rules_f1=_f1(target, rules_present),
            )
            fewest = int(min(target.sum(), len(target) - target.sum()))
            if fewest < self.min_positive:
                note = _fallback_note(frame.id, target, self.min_positive)
                notes.append(note)
                rows.append(
                    row | dict(method="rules", c_value=np.nan, threshold=frame.present_threshold, note=note)
                )
                cv_parts.append(frame_rules)
                continue
            if parts is None:
                parts = self._article_features(corpus, indicators)
                self.projection_ = _projection(parts["pooled"])
            features = self._frame_features(parts, frame.id)
            fitted = self._learn(features[position[known.index].to_numpy()], target)
            self.models_[frame.id] = (fitted["pipeline"], fitted["sigmoid"])
            cv_present = fitted["cv_probability"] >= fitted["cv_threshold"]
            rows.append(
                row
                | dict(
                    method="learned",
                    c_value=fitted["c_value"],
                    threshold=fitted["threshold"],
                    cv_f1=_f1(target, cv_present),
                    note="",
                )
            )
            cv_parts.append(
                frame_rules.assign(
                    score=fitted["cv_probability"], threshold=fitted["cv_threshold"], present=cv_present
                )
            )
        frames = pd.DataFrame(rows)
        frames.loc[frames["method"] == "rules", "cv_f1"] = frames["rules_f1"]
        self.frames_ = validate(
            frames[list(CoderFrames.to_schema().columns)].astype({"n_coded": "int64", "n_positive": "int64"}),
            CoderFrames,
            table="coder_frames",
        )
        self.notes_ = tuple(notes)
        self.cv_predictions_ = validate(
            pd.concat(cv_parts, ignore_index=True)[_SCORES_COLUMNS], CoderScores, table="coder_scores"
        )
        self.cv_agreement_ = agreement(coded, self.cv_predictions_, random_state=self.random_state)
        return self

    # ---------------------------------------------------------------- predicting

    def predict(self, corpus: Corpus, *, indicators: pd.DataFrame | None = None) -> pd.DataFrame:
        """Code every article of ``corpus``: learned frames by their model, the others by the rules.

        Parameters
        ----------
        corpus : Corpus
        indicators : DataFrame, optional
            :func:`frame_indicators` of ``corpus`` with this codebook (computed when not given).

        Returns
        -------
        DataFrame
            :func:`frame_scores`' columns ``article_id``, ``outlet``, ``codebook``, ``frame``, ``label``,
            ``n_items``, ``n_yes``, ``score``, ``present``, ``threshold``, ``indicators_yes``,
            ``n_evidence``, ``sentence_ids``. For a learned frame ``score`` is the calibrated
            probability that a coder finds the frame, ``threshold`` the learned one; the other columns
            are the rules' evidence (which the model also reads). Rules frames are as in frame_scores.
        """
        indicators = frame_indicators(corpus, self.codebook_) if indicators is None else indicators
        out = frame_scores(corpus, self.codebook_, indicators=indicators)
        if self.models_:
            parts = self._article_features(corpus, indicators)
            articles = corpus.articles["article_id"].to_numpy()
            thresholds = self.frames_.set_index("frame")["threshold"]
            for frame, (pipeline, sigmoid) in self.models_.items():
                rows = (out["frame"] == frame).to_numpy()
                decision = pipeline.decision_function(self._frame_features(parts, frame))
                probability = pd.Series(
                    sigmoid.predict_proba(decision[:, None])[:, 1].round(6), index=articles
                )
                score = out.loc[rows, "article_id"].map(probability)
                out.loc[rows, "score"] = score
                out.loc[rows, "threshold"] = thresholds[frame]
                out.loc[rows, "present"] = score >= thresholds[frame]
        return validate(out.astype({"present": bool}), CoderScores, table="coder_scores")

    def cross_predict(self, corpus: Corpus, *, indicators: pd.DataFrame | None = None) -> pd.DataFrame:
        """:meth:`predict`, except that the coded articles get their out-of-fold codes (``cv_predictions_``).

        What :func:`prevalence` needs: a model's errors on the articles it learned from understate its
        errors elsewhere, so the correction must use codes made without each article (cross-prediction,
        Zrnic & Candès 2024, PNAS 121(15)).

        Returns
        -------
        DataFrame
            :meth:`predict`'s columns, one row per article and frame.
        """
        out = self.predict(corpus, indicators=indicators).set_index(["article_id", "frame"])
        held_out = self.cv_predictions_.set_index(["article_id", "frame"])
        out.loc[held_out.index, ["score", "threshold", "present"]] = held_out[
            ["score", "threshold", "present"]
        ]
        return validate(
            out.reset_index()[_SCORES_COLUMNS].astype({"present": bool}), CoderScores, table="coder_scores"
        )


def _projection(pooled: np.ndarray) -> PCA:
    """Principal components of the articles' pooled embeddings (at most :data:`N_COMPONENTS`; exact SVD)."""
    n_components = min(N_COMPONENTS, *pooled.shape)
    return PCA(n_components, svd_solver="full").fit(pooled)


def _f1(truth: np.ndarray, guess: np.ndarray) -> float:
    """F1 of ``guess`` against ``truth`` (NaN when neither has a positive)."""
    tp = int((truth & guess).sum())
    wrong = int((truth != guess).sum())
    return round(2 * tp / (2 * tp + wrong), 6) if 2 * tp + wrong else np.nan


def _best_threshold(probability: np.ndarray, target: np.ndarray) -> float:
    """The probability cut that maximises F1 on ``probability`` (ties: the one closest to 0.5)."""
    candidates = np.unique(probability)
    return float(max(candidates, key=lambda t: (_f1(target, probability >= t), -abs(t - 0.5))))


def _fallback_note(frame: str, target: np.ndarray, min_positive: int) -> str:
    n_yes = int(target.sum())
    n_no = len(target) - n_yes
    if not len(target):
        return f"{frame}: not coded in the sheet; it is coded by the codebook's rules."
    return (
        f"{frame}: {n_yes} coded article(s) have the frame and {n_no} do not; learning needs at least "
        f"{min_positive} of each, so it is coded by the codebook's rules."
    )


def fit_coder(
    corpus: Corpus,
    coded: pd.DataFrame,
    codebook: str | Path | Codebook = "semetko_valkenburg",
    *,
    random_state: int = 0,
    min_positive: int = 8,
    n_folds: int = 5,
    model: str | None = None,
    indicators: pd.DataFrame | None = None,
) -> FrameCoder:
    """A :class:`FrameCoder` fitted on the coded articles of ``corpus`` (see the class for the method).

    Returns
    -------
    FrameCoder
        Fitted: ``predict(corpus)``, ``cross_predict(corpus)``, ``cv_agreement_``, ``frames_``, ``notes_``.
    """
    coder = FrameCoder(
        codebook, random_state=random_state, min_positive=min_positive, n_folds=n_folds, model=model
    )
    return coder.fit(corpus, coded, indicators=indicators)
