"""How well `framing.frame_scores` codes generic frames, against expert labels, and what validation adds.

    .venv/bin/python benchmarks/bench_frames.py PATH [--embeddings] [--semantic] [--n-coded 100]
        [--coder 5] [--first-seed 0] [--annotations FILE]

PATH: ``articles_metadata.tsv`` of the Narrative Frames Corpus (Frermann, Li, Khanehzar &
Mikolajczak 2023, "Conflicts, Villains, Resolutions: Towards models of Narrative Media Framing",
ACL; MIT licence; 428 English news articles on climate change, 2017-2019, each labelled by
trained coders for five generic frames from Semetko & Valkenburg's questions). Keep it out of the
repository, e.g. under ``~/.cache/cc-dev/frames/``. Its frames map onto the shipped codebook as
CO -> conflict, EC -> economic, HI -> human_interest, MO -> morality and RE (resolution: government
can alleviate, solutions suggested, i.e. S&V's R1/R3) -> responsibility, which is the loosest match.

Prints, per frame: prevalence in the labels, precision/recall/F1 of the codebook rules (and, with
``--embeddings``, of the rules plus embedding similarity to the indicators' prototypes,
``use_embeddings=True``), F1 of marking every article present (the floor), macro-F1 of each, and
Krippendorff's alpha (``framing.agreement`` with the labels as one coder). With ``--semantic``,
a zero-shot semantic reading of the questions whose cut-offs are fixed in advance rather than
tuned (see :func:`semantic_codes`), alone and OR-ed with the rules. Then the validation
workflow on this corpus: ``--n-coded`` articles drawn at random per ``framing.coding_sheet``'s
stratified rule act as the human-coded sample; ``framing.prevalence`` estimates each frame's
share over the whole corpus, and the script prints the true share next to the naive and the
prediction-powered estimates. Wall times are printed too.

With ``--annotations FILE`` (``full_annotations.json`` of the corpus's repository: every coder's answer
to its 21 questions): how far two trained coders agree on each frame, and one coder with the consolidated
labels: what a coder, human or model, can be expected to reach against them (see :func:`annotator_codes`).

With ``--coder N``: ``framing.fit_coder`` learns the frames from ``--n-coded`` articles drawn as
above with ``random_state`` ``--first-seed`` .. ``--first-seed`` + N - 1 and codes the rest; per seed it prints the held-out F1 per
frame of the coder and of the rules on the same articles, the coder's cross-validated macro-F1
(from the coded articles alone) and the frames left to the rules; then mean and range over seeds.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import binom, norm

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

LABELS = {
    "CO": "conflict",
    "EC": "economic",
    "HI": "human_interest",
    "MO": "morality",
    "RE": "responsibility",
}


def read_corpus(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Records for ``build_corpus`` and the labels as a ``read_coding``-shaped table (one coder)."""
    table = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
    table["article_id"] = "nfc" + table["ID"].str.strip()
    records = pd.DataFrame(
        {"article_id": table["article_id"], "outlet": "all", "text": table["text"], "source": str(path)}
    )
    labels = table.melt(id_vars="article_id", value_vars=list(LABELS), var_name="code", value_name="value")
    coded = pd.DataFrame(
        {
            "unit_id": labels["article_id"],
            "unit": "articles",
            "article_id": labels["article_id"],
            "outlet": "all",
            "coder": "experts",
            "codebook": "semetko_valkenburg",
            "frame": labels["code"].map(LABELS),
            "n_items": 1,
            "n_yes": labels["value"].str.startswith("True").astype(int),
            "present": labels["value"].str.startswith("True"),
        }
    )
    return records, coded


def scores_table(coded: pd.DataFrame, predicted: pd.DataFrame) -> pd.DataFrame:
    """Precision, recall, F1 per frame of ``predicted`` against the labels."""
    both = coded.merge(
        predicted[["article_id", "frame", "present"]], on=["article_id", "frame"], suffixes=("", "_model")
    )
    rows = []
    for frame, g in both.groupby("frame", sort=False):
        tp = int((g["present"] & g["present_model"]).sum())
        fp = int((~g["present"] & g["present_model"]).sum())
        fn = int((g["present"] & ~g["present_model"]).sum())
        rows.append(
            dict(
                frame=frame,
                share=g["present"].mean(),
                precision=tp / (tp + fp) if tp + fp else float("nan"),
                recall=tp / (tp + fn) if tp + fn else float("nan"),
                f1=2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan"),
                floor_f1=2 * g["present"].mean() / (1 + g["present"].mean()),
            )
        )
    return pd.DataFrame(rows).set_index("frame")


#: The corpus's questions for each frame (its data README: "verified as predictive" of the frame).
FRAME_QUESTIONS = {
    "CO": ("co1", "co2", "co3"),
    "EC": ("ec1", "ec2", "ec3"),
    "HI": ("hi1", "hi2", "hi5"),
    "MO": ("mo1", "mo2"),
    "RE": ("re1", "re5"),
}


#: The coded columns after the unit's, as ``read_coding`` gives them.
CODE_COLUMNS = ("n_items", "n_yes", "present")


def annotator_codes(path: Path) -> pd.DataFrame:
    """Each coder's frames from their own answers, as a ``read_coding``-shaped table (one row per coder).

    A coder finds a frame when they answered at least half of its questions (:data:`FRAME_QUESTIONS`)
    yes: the codebook rule of ``read_coding``. How well the same rule on the coders' pooled answers
    gives back the consolidated labels is printed beside: for resolution, whose two questions nearly
    every coder answered yes, it does not, so its between-coder figures say nothing of its labels.
    """
    answers = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for key, article in answers.items():
        for code, questions in FRAME_QUESTIONS.items():
            for coder, *given in zip(range(4), *(article[q][1] for q in questions), strict=True):
                if given[0] == -1:  # -1: this coder did not code the article
                    continue
                n_yes = sum(answer == "yes" for answer in given)
                rows.append(
                    dict(
                        unit_id=f"nfc{key}",
                        coder=f"coder{coder + 1}",
                        frame=LABELS[code],
                        n_items=len(given),
                        n_yes=n_yes,
                        present=n_yes >= len(given) / 2,
                    )
                )
    codes = pd.DataFrame(rows)
    codes = codes.assign(
        unit="articles", article_id=codes["unit_id"], outlet="all", codebook="semetko_valkenburg"
    )
    return codes[["unit_id", "unit", "article_id", "outlet", "coder", "codebook", "frame", *CODE_COLUMNS]]


def human_ceiling(path: Path, labels: pd.DataFrame) -> pd.DataFrame:
    """Per frame: F1 and alpha between the corpus's coders, and F1 of one coder against the consolidated labels."""
    from analysis import framing

    codes = annotator_codes(path)
    pooled = codes.groupby(["unit_id", "frame"], sort=False)[["n_items", "n_yes"]].sum().reset_index()
    pooled = pooled.assign(article_id=pooled["unit_id"], present=pooled["n_yes"] >= pooled["n_items"] / 2)
    between = framing.agreement(codes, pooled, n_boot=200)
    between = between[between["comparison"] == "between_coders"].pivot(
        index="frame", columns="stat", values="score"
    )
    table = pd.DataFrame(
        {
            "coders_f1": between["f1"],
            "coders_alpha": between["alpha"],
            "coder_vs_labels_f1": scores_table(labels, codes)["f1"],
            "pooled_rule_vs_labels_f1": scores_table(labels, pooled)["f1"],
        }
    )
    n_coders = codes.groupby("unit_id")["coder"].nunique()
    print(
        f"\nhuman ceiling: {len(n_coders)} articles, coders per article {n_coders.value_counts().to_dict()}"
    )
    print(table.round(3).to_string())
    print(f"mean over frames {table.mean().round(3).to_dict()}")
    return table


#: One-sided level at which a sentence is closer to a question than the corpus's sentences usually are
#: (z > 1.645), and at which an article has more such sentences than the corpus rate explains.
SEMANTIC_LEVEL = 0.05


def semantic_codes(corpus, codebook: str = "semetko_valkenburg") -> pd.DataFrame:
    """Zero-shot codes from the questions' meaning, with cut-offs set by a null model, not by labels.

    A sentence supports an indicator when its cosine similarity to the question or one of its
    prototypes (all-MiniLM-L6-v2) is unusually high for that question: z > 1.645, the z-score taken
    over all the corpus's sentences (so each question's own similarity level is the null). An article
    has a frame when its count of sentences supporting any of the frame's indicators is significant
    (one-sided binomial test, level :data:`SEMANTIC_LEVEL`) against the corpus-wide share of such
    sentences and the article's length.

    Returns
    -------
    DataFrame
        Columns ``article_id``, ``frame``, ``present``.
    """
    from analysis import framing
    from analysis.nlp import embed_texts

    book = framing.load_codebook(codebook)
    sents = corpus.sentences
    vectors = embed_texts(sents["text"].tolist())
    z_cut = norm.isf(SEMANTIC_LEVEL)
    rows = []
    n_sentences = sents.groupby("article_id", sort=False).size()
    for frame in book.frames:
        support = np.zeros(len(sents), dtype=bool)
        for ind in frame.indicators:
            similarity = (vectors @ embed_texts([ind.question, *ind.prototypes]).T).max(axis=1)
            support |= (similarity - similarity.mean()) / similarity.std() > z_cut
        count = pd.Series(support, index=sents["article_id"]).groupby(level=0, sort=False).sum()
        p_value = binom.sf(count - 1, n_sentences[count.index], support.mean())
        rows.append(
            pd.DataFrame({"article_id": count.index, "frame": frame.id, "present": p_value < SEMANTIC_LEVEL})
        )
    return pd.concat(rows, ignore_index=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", type=Path, help="articles_metadata.tsv of the Narrative Frames Corpus")
    parser.add_argument("--embeddings", action="store_true", help="also score with use_embeddings=True")
    parser.add_argument("--n-coded", type=int, default=100, help="articles in the simulated coded sample")
    parser.add_argument(
        "--coder", type=int, default=0, metavar="N", help="also fit_coder on N coded samples (seeds 0..N-1)"
    )
    parser.add_argument("--semantic", action="store_true", help="also the zero-shot semantic codes")
    parser.add_argument("--first-seed", type=int, default=0, help="random_state of the first --coder sample")
    parser.add_argument(
        "--annotations", type=Path, help="full_annotations.json: agreement between the coders"
    )
    args = parser.parse_args(argv)

    import analysis

    analysis.setup()
    from analysis import framing
    from analysis.corpus import build_corpus

    records, labels = read_corpus(args.path)
    if args.annotations:
        human_ceiling(args.annotations, labels)
    corpus = build_corpus(records.to_dict("records"))
    print(f"{len(corpus.articles)} articles, {len(corpus.sentences)} sentences")
    variants = {"rules": False} | ({"rules+embeddings": True} if args.embeddings else {})
    results = {}
    for name, use_embeddings in variants.items():
        start = time.perf_counter()
        predicted = framing.frame_scores(corpus, use_embeddings=use_embeddings)
        seconds = time.perf_counter() - start
        results[name] = predicted
        table = scores_table(labels, predicted)
        alpha = framing.agreement(labels, predicted, n_boot=200)
        alpha = alpha[alpha["stat"] == "alpha"].set_index("frame")["score"]
        print(f"\n{name} ({seconds:.1f} s)")
        print(table.assign(alpha=alpha).round(3).to_string())
        print(f"macro-F1 {table['f1'].mean():.3f} (every article present: {table['floor_f1'].mean():.3f})")

    if args.semantic:
        semantic = semantic_codes(corpus)
        both = semantic.merge(
            results["rules"][["article_id", "frame", "present"]], on=["article_id", "frame"]
        )
        either = both.assign(present=both["present_x"] | both["present_y"])[
            ["article_id", "frame", "present"]
        ]
        for name, predicted in (("semantic (zero-shot)", semantic), ("rules OR semantic", either)):
            table = scores_table(labels, predicted)
            print(
                f"\n{name}: predicted share {predicted.groupby('frame')['present'].mean().round(3).to_dict()}"
            )
            print(table.round(3).to_string())
            print(f"macro-F1 {table['f1'].mean():.3f}")

    sheet = framing.coding_sheet(corpus, n_sample=args.n_coded, random_state=0)
    sample = labels[labels["unit_id"].isin(sheet["unit_id"])]
    truth = labels.groupby("frame", sort=False)["present"].mean().rename("true_share")
    for name, predicted in results.items():
        shares = framing.prevalence(predicted, sample)
        wide = shares.pivot(index="frame", columns="method", values=["share", "ci_low", "ci_high"])
        out = pd.DataFrame({"true_share": truth})
        for method in ("naive", "coded", "prediction_powered"):
            out[method] = [
                f"{wide.loc[f, ('share', method)]:.3f} [{wide.loc[f, ('ci_low', method)]:.3f}, "
                f"{wide.loc[f, ('ci_high', method)]:.3f}]"
                for f in out.index
            ]
        print(f"\nprevalence with {len(sheet)} coded articles, {name} (share [95% interval])")
        print(out.round(3).to_string())
    if args.coder:
        seeds = range(args.first_seed, args.first_seed + args.coder)
        learned_coder(corpus, labels, results["rules"], n_coded=args.n_coded, seeds=seeds)
    return 0


def learned_coder(
    corpus, labels: pd.DataFrame, rules: pd.DataFrame, *, n_coded: int, seeds: range
) -> pd.DataFrame:
    """Held-out F1 per frame of ``fit_coder`` trained on ``n_coded`` articles, one row per seed and method."""
    from analysis import framing

    indicators = framing.frame_indicators(corpus)
    rows = []
    for seed in seeds:
        sheet = framing.coding_sheet(corpus, n_sample=n_coded, random_state=seed)
        coded = labels[labels["unit_id"].isin(sheet["unit_id"])]
        held_out = labels[~labels["unit_id"].isin(sheet["unit_id"])]
        start = time.perf_counter()
        coder = framing.fit_coder(corpus, coded, random_state=seed, indicators=indicators)
        predicted = coder.predict(corpus, indicators=indicators)
        seconds = time.perf_counter() - start
        for method, table in (("coder", predicted), ("rules", rules)):
            f1 = scores_table(held_out, table)["f1"]
            rows.append(dict(seed=seed, method=method, **f1, macro_f1=f1.mean()))
        cv = coder.frames_.set_index("frame")["cv_f1"]
        left = ", ".join(coder.frames_.loc[coder.frames_["method"] == "rules", "frame"]) or "none"
        print(
            f"\nseed {seed}: fit + predict {seconds:.1f} s; cross-validated macro-F1 on the {n_coded} coded "
            f"{cv.mean():.3f}; frames left to the rules: {left}"
        )
    table = pd.DataFrame(rows)
    print(
        f"\nheld-out F1, fit_coder on {n_coded} coded articles, evaluated on the other {corpus.articles.shape[0] - n_coded}"
    )
    print(table.round(3).to_string(index=False))
    summary = table.groupby("method")["macro_f1"].agg(["mean", "min", "max"]).round(3)
    print("\nmacro-F1 over seeds (mean, range)")
    print(summary.to_string())
    return table


if __name__ == "__main__":
    raise SystemExit(main())
