"""Human coding of frames: a stratified coding sheet to fill in, and the filled sheet read back.

:func:`coding_sheet` draws a stratified random sample of articles (or sentences) and writes it as
a CSV file with one blank column per codebook question (``R1_government_can_alleviate: Does the
story suggest ...?``) and the model's answers beside them (``model_frames``, ``model_evidence``).
Coders answer each question yes or no; several coders may each fill a copy, or add rows with
their name in ``coder``. :func:`read_coding` reads the sheet back into one row per unit, coder
and frame, scoring a frame from its questions with the codebook's own rule (mean of the yes/no
items against ``present_threshold``), so that the human and the model codes mean the same thing.
A column named after a frame (``conflict``) codes the frame directly instead of its questions.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from analysis.corpus import Corpus
from analysis.framing._frames import Codebook, frame_evidence, frame_indicators, frame_scores, load_codebook
from analysis.framing._io import FramingDataError
from analysis.infra.atomic import write_bytes_atomic
from analysis.schemas import validate
from analysis.schemas.framing import CodingSheet, FrameCoding, SentenceFrames

__all__ = ["sentence_frames", "coding_sheet", "read_coding", "unit_predictions"]

#: Cell values read as yes or no (case-insensitive, surrounding spaces ignored).
ANSWERS = {
    "yes": True,
    "y": True,
    "true": True,
    "1": True,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
}
#: Columns of a coding sheet that are not answers.
SHEET_COLUMNS = ("unit_id", "unit", "article_id", "outlet", "coder", "text", "model_frames", "model_evidence")
#: Columns a coder may add for remarks; read_coding ignores them.
NOTE_COLUMNS = ("note", "notes", "comment", "comments")
#: ``coder`` of rows whose coder cell is blank (one coder who did not sign the sheet).
UNNAMED_CODER = "(unnamed)"


def sentence_frames(
    corpus: Corpus,
    codebook: str | Path | Codebook = "semetko_valkenburg",
    *,
    evidence: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The model's frames per sentence: a frame is present in a sentence that answers one of its questions.

    The codebook's questions ask about a story; asked of one sentence, the answer is yes when the
    sentence is evidence for the question (``min_sentences`` applies to articles, not here).

    Returns
    -------
    DataFrame
        Columns ``sentence_id``, ``article_id``, ``outlet``, ``codebook``, ``frame``, ``n_yes``,
        ``present``, ``indicators_yes``. One row per sentence and frame, corpus then codebook order.
    """
    cb = load_codebook(codebook)
    ev = frame_evidence(corpus, cb) if evidence is None else evidence
    fired = ev.groupby(["sentence_id", "frame"], sort=False)["indicator"].agg(
        lambda s: list(dict.fromkeys(s))
    )
    sents = corpus.sentences
    rows = []
    for s in sents[["sentence_id", "article_id", "outlet"]].itertuples(index=False):
        for f in cb.frames:
            yes = fired.get((s.sentence_id, f.id), [])
            rows.append(
                (s.sentence_id, s.article_id, s.outlet, cb.name, f.id, len(yes), bool(yes), " ".join(yes))
            )
    columns = [
        "sentence_id",
        "article_id",
        "outlet",
        "codebook",
        "frame",
        "n_yes",
        "present",
        "indicators_yes",
    ]
    out = pd.DataFrame(rows, columns=columns).astype({"n_yes": "int64", "present": bool})
    return validate(out, SentenceFrames, table="sentence_frames")


def _allocate(sizes: list[int], n_sample: int) -> list[int]:
    """Equal allocation of ``n_sample`` over groups of ``sizes``; what a small group cannot take goes to the others."""
    take = [0] * len(sizes)
    left = min(n_sample, sum(sizes))
    while left > 0:
        open_groups = [i for i, size in enumerate(sizes) if take[i] < size]
        share, extra = divmod(left, len(open_groups))
        for rank, i in enumerate(open_groups):
            got = min(share + (rank < extra), sizes[i] - take[i])
            take[i] += got
            left -= got
    return take


def _sample(units: pd.DataFrame, by: str, n_sample: int, random_state: int) -> pd.DataFrame:
    """A stratified sample of ``units`` by ``by`` (groups in order of first appearance), rows shuffled."""
    rng = np.random.default_rng(random_state)
    groups = list(units.groupby(by, sort=False, dropna=False).indices.values())  # a missing value is a group
    take = _allocate([len(g) for g in groups], n_sample)
    chosen = np.concatenate([rng.choice(g, size=t, replace=False) for g, t in zip(groups, take, strict=True)])
    return units.iloc[chosen[rng.permutation(len(chosen))]].reset_index(drop=True)


def _model_columns(
    unit_ids: pd.Series, predicted: pd.DataFrame, evidence: pd.DataFrame, key: str
) -> pd.DataFrame:
    """``model_frames`` and ``model_evidence`` text for each unit id (``key``: article_id or sentence_id)."""
    present = predicted[predicted["present"]]
    score = (
        present["score"].map("{:g}".format) if "score" in present else present["n_yes"].astype(str) + " yes"
    )
    frames = (present["frame"] + " (" + score + ")").groupby(present[key], sort=False).agg("; ".join)
    cited = evidence["indicator"] + " '" + evidence["matched"] + "' [" + evidence["sentence_id"] + "]"
    found = cited.groupby(evidence[key], sort=False).agg("; ".join)
    return pd.DataFrame(
        {
            "model_frames": unit_ids.map(frames).fillna("").to_numpy(),
            "model_evidence": unit_ids.map(found).fillna("").to_numpy(),
        }
    )


def coding_sheet(
    corpus: Corpus,
    codebook: str | Path | Codebook = "semetko_valkenburg",
    *,
    n_sample: int = 100,
    by: str = "outlet",
    unit: Literal["articles", "sentences"] = "articles",
    random_state: int = 0,
    path: str | Path | None = None,
    evidence: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """A stratified random sample of units for human coders, with the codebook's questions as blank columns.

    Each group of ``by`` gets an equal share of ``n_sample`` (a group with fewer units gives all it
    has and the rest goes to the others), so that every outlet's estimate rests on a similar number
    of coded units; within a group units are drawn at random without replacement, and the rows are
    then shuffled so that coders do not read one outlet after another. Coders should fill in the
    question columns before reading ``model_frames`` and ``model_evidence`` (or delete those two
    columns from their copy): codes made after seeing the model's answers are not independent of it.

    Parameters
    ----------
    corpus : Corpus
    codebook : str, path or Codebook
    n_sample : int
        Units in the sample (all units when the corpus has fewer).
    by : str
        Column of the units (or of the articles) that the sample is stratified by.
    unit : {"articles", "sentences"}
        Whole articles, or single sentences, to be coded.
    random_state : int
    path : str or Path, optional
        Write the sheet there: ``.csv`` (UTF-8 with a byte-order mark, which spreadsheets read as
        UTF-8) or ``.xlsx`` (needs openpyxl).
    evidence : DataFrame, optional
        :func:`frame_evidence` output to reuse (computed when not given).

    Returns
    -------
    DataFrame
        Columns ``unit_id``, ``unit``, ``article_id``, ``outlet`` (and ``by`` when it is another column),
        ``coder`` (blank), ``text``, one blank column per codebook question headed
        ``<indicator id>: <question>``, ``model_frames`` (frames the model finds present, with their
        score, or number of questions answered yes for sentences), ``model_evidence`` (each question
        answered yes with the matched words and sentence id). One row per sampled unit.
    """
    if unit not in ("articles", "sentences"):
        raise ValueError(f"unit must be 'articles' or 'sentences', not {unit!r}")
    if n_sample < 1:
        raise ValueError(f"n_sample must be at least 1, not {n_sample}")
    cb = load_codebook(codebook)
    ev = frame_evidence(corpus, cb) if evidence is None else evidence
    key = "article_id" if unit == "articles" else "sentence_id"
    units = corpus.articles if unit == "articles" else corpus.sentences
    if by not in units:
        if by not in corpus.articles:
            raise ValueError(f"by={by!r} is not a column of the corpus's {unit} or articles")
        units = units.merge(corpus.articles[["article_id", by]], on="article_id", how="left")
    sample = _sample(units, by, n_sample, random_state)
    if unit == "articles":
        predicted = frame_scores(corpus, cb, indicators=frame_indicators(corpus, cb, evidence=ev))
    else:
        predicted = sentence_frames(corpus, cb, evidence=ev)
    sheet = pd.DataFrame(
        {"unit_id": sample[key], "unit": unit, "article_id": sample["article_id"], "outlet": sample["outlet"]}
    )
    if by != "outlet":
        sheet[by] = sample[by].to_numpy()
    sheet["coder"] = ""
    sheet["text"] = sample["text"].to_numpy()
    for question in _question_headers(cb):
        sheet[question] = ""
    model = _model_columns(sample[key], predicted, ev, key)
    sheet = pd.concat([sheet, model], axis=1)
    validate(sheet, CodingSheet, table="coding_sheet")
    if path is not None:
        _write_sheet(sheet, Path(path))
    return sheet


def _question_headers(cb: Codebook) -> list[str]:
    return [f"{ind.id}: {ind.question}" for f in cb.frames for ind in f.indicators]


def _needs_openpyxl(path: Path) -> None:
    if importlib.util.find_spec("openpyxl") is None:
        raise FramingDataError(f"{path}: XLSX needs openpyxl, which is not installed; use a .csv path")


def _write_sheet(sheet: pd.DataFrame, path: Path) -> None:
    if path.suffix.lower() == ".xlsx":
        _needs_openpyxl(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        sheet.to_excel(path, index=False)
    elif path.suffix.lower() == ".csv":
        write_bytes_atomic(path, sheet.to_csv(index=False, lineterminator="\n").encode("utf-8-sig"))
    else:
        raise FramingDataError(f"{path}: a coding sheet is written as .csv or .xlsx")


def _read_sheet(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise FramingDataError(f"{path}: no such file")
    if path.suffix.lower() == ".xlsx":
        _needs_openpyxl(path)
        return pd.read_excel(path, dtype=str, keep_default_na=False)
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _answer_columns(sheet: pd.DataFrame, cb: Codebook, by: str, where: str) -> dict[str, dict[str, str]]:
    """Frame id -> {indicator id or frame id: column name} for the frames the sheet codes."""
    frame_ids = {f.id for f in cb.frames}
    indicator_frame = {i.id: f.id for f in cb.frames for i in f.indicators}
    coded: dict[str, dict[str, str]] = {}
    for number, column in enumerate(sheet.columns, start=1):
        name = str(column).split(":", 1)[0].strip()
        if column in SHEET_COLUMNS or column == by or name.lower() in NOTE_COLUMNS:
            continue
        if name not in frame_ids and name not in indicator_frame:
            raise FramingDataError(
                f"{where}: column {number} {column!r}: unknown frame or question of codebook {cb.name!r} "
                f"(frames: {', '.join(sorted(frame_ids))}; or a question id such as {next(iter(indicator_frame))})"
            )
        answers = coded.setdefault(indicator_frame.get(name, name), {})
        if name in answers:
            raise FramingDataError(f"{where}: columns {answers[name]!r} and {column!r} both answer {name!r}")
        answers[name] = column
    for f in cb.frames:
        columns = coded.get(f.id, {})
        questions = [i.id for i in f.indicators]
        if f.id in columns and len(columns) > 1:
            raise FramingDataError(f"{where}: frame {f.id!r} is coded twice, as a frame and by its questions")
        missing = [q for q in questions if q not in columns]
        if f.id not in columns and columns and missing:
            raise FramingDataError(f"{where}: frame {f.id!r} lacks the question column(s) {missing}")
    if not coded:
        raise FramingDataError(f"{where}: no frame or question columns of codebook {cb.name!r}")
    return coded


def _answers(sheet: pd.DataFrame, columns: list[str], where: str) -> tuple[np.ndarray, np.ndarray]:
    """Boolean answers (rows x columns) and a mask of the rows left entirely blank (not coded yet)."""
    cells = sheet[columns].apply(lambda col: col.str.strip().str.lower())
    blank = cells.eq("")
    uncoded = blank.all(axis=1).to_numpy()
    bad = ~(cells.isin(list(ANSWERS)) | (blank & uncoded[:, None]))
    if bad.to_numpy().any():
        row, col = np.argwhere(bad.to_numpy())[0]
        value = sheet[columns[col]].iat[row]
        problem = "empty cell" if value.strip() == "" else f"{value!r} is not yes/no"
        raise FramingDataError(
            f"{where}: row {row + 2}, column {columns[col]!r}: {problem} (answer yes, no, 1, 0, true or false)"
        )
    return cells.isin([word for word, yes in ANSWERS.items() if yes]).to_numpy(), uncoded


def read_coding(
    path: str | Path,
    codebook: str | Path | Codebook = "semetko_valkenburg",
    *,
    by: str = "outlet",
) -> pd.DataFrame:
    """Read a filled coding sheet (CSV or XLSX) into one row per unit, coder and frame.

    Answers are yes/no (also y/n, true/false, 1/0, any case). A row whose answers are all blank
    is not coded yet and is left out (``attrs["n_uncoded"]`` counts such rows); a blank answer in a
    coded row is an error. A blank ``coder`` cell reads as ``'(unnamed)'``. Columns ``note`` or
    ``comment`` are ignored; ``by`` names a grouping column the sheet carries besides ``outlet``.

    Raises
    ------
    FramingDataError
        One line naming the file, row (as numbered in a spreadsheet, header = row 1) and column:
        unknown frame or question, missing ``unit_id``, a non-yes/no cell, a frame with some of its
        questions missing, the same unit coded twice by one coder.

    Returns
    -------
    DataFrame
        Columns ``unit_id``, ``unit``, ``article_id``, ``outlet`` (and ``by``), ``coder``, ``codebook``,
        ``frame``, ``n_items``, ``n_yes``, ``present``. One row per coded unit, coder and frame, in
        sheet then codebook order.
    """
    path = Path(path)
    where = str(path)
    cb = load_codebook(codebook)
    sheet = _read_sheet(path)
    if "unit_id" not in sheet:
        raise FramingDataError(f"{where}: no 'unit_id' column")
    coded = _answer_columns(sheet, cb, by, where)
    for number, unit_id in enumerate(sheet["unit_id"], start=2):
        if not unit_id.strip():
            raise FramingDataError(f"{where}: row {number}, column 'unit_id': missing id")
    unit = sheet["unit"] if "unit" in sheet else pd.Series("articles", index=sheet.index)
    wrong = ~unit.isin(["articles", "sentences"])
    if wrong.any():
        row = int(np.flatnonzero(wrong)[0])
        raise FramingDataError(
            f"{where}: row {row + 2}, column 'unit': {unit.iat[row]!r} is not articles or sentences"
        )
    coder = sheet["coder"].str.strip().replace("", UNNAMED_CODER) if "coder" in sheet else UNNAMED_CODER
    meta = pd.DataFrame(
        {
            "unit_id": sheet["unit_id"].str.strip(),
            "unit": unit,
            "article_id": sheet["article_id"]
            if "article_id" in sheet
            else sheet["unit_id"].str.split(":").str[0],
            "outlet": sheet["outlet"] if "outlet" in sheet else "",
        }
    )
    if by != "outlet" and by in sheet:
        meta[by] = sheet[by]
    meta["coder"] = coder
    columns = [c for f in cb.frames for c in coded.get(f.id, {}).values()]
    answers, uncoded = _answers(sheet, columns, where)
    keys = meta.loc[~uncoded, ["unit_id", "coder"]]
    repeated = keys.duplicated()
    if repeated.any():
        second = repeated.idxmax()
        first = (
            keys["unit_id"].eq(keys.at[second, "unit_id"]) & keys["coder"].eq(keys.at[second, "coder"])
        ).idxmax()
        raise FramingDataError(
            f"{where}: rows {first + 2}, {second + 2}: the same unit_id coded twice by coder "
            f"{keys.at[second, 'coder']!r}"
        )
    parts = []
    position = {c: j for j, c in enumerate(columns)}
    for f in cb.frames:
        frame_columns = coded.get(f.id)
        if not frame_columns:
            continue
        yes = answers[:, [position[c] for c in frame_columns.values()]]
        n_items, n_yes = yes.shape[1], yes.sum(axis=1)
        present = yes[:, 0] if f.id in frame_columns else n_yes / n_items >= f.present_threshold
        parts.append(
            meta.assign(
                codebook=cb.name, frame=f.id, n_items=n_items, n_yes=n_yes, present=present, _row=meta.index
            )[~uncoded]
        )
    out = (
        pd.concat(parts)
        .sort_values("_row", kind="stable")
        .drop(columns="_row")
        .reset_index(drop=True)
        .astype({"n_items": "int64", "n_yes": "int64", "present": bool})
    )
    out.attrs["n_uncoded"] = int(uncoded.sum())
    return validate(out, FrameCoding, table="frame_coding")


def unit_predictions(predicted: pd.DataFrame, coded: pd.DataFrame) -> pd.DataFrame:
    """The model's answer for every unit of ``predicted``, keyed like ``coded`` (``unit_id``, ``frame``).

    ``predicted`` is :func:`frame_scores` output for coded articles, :func:`sentence_frames` output for
    coded sentences.

    Raises
    ------
    ValueError
        When ``coded`` mixes units, when the predictions are not of the coded unit, or when a coded
        unit and frame has no prediction.

    Returns
    -------
    DataFrame
        ``predicted`` with a ``unit_id`` column in front.
    """
    units = set(coded["unit"])
    if len(units) > 1:
        raise ValueError(f"the coding mixes units {sorted(units)}; agree or estimate one unit at a time")
    unit = units.pop() if units else "articles"
    key = "article_id" if unit == "articles" else "sentence_id"
    if key not in predicted or (unit == "articles" and "sentence_id" in predicted):
        hint = "framing.frame_scores(corpus)" if unit == "articles" else "framing.sentence_frames(corpus)"
        raise ValueError(f"the coding is of {unit}: pass predictions per {unit[:-1]} ({hint})")
    out = predicted.assign(unit_id=predicted[key])
    wanted = coded[["unit_id", "frame"]].drop_duplicates()
    found = wanted.merge(out[["unit_id", "frame"]], how="left", indicator=True)
    missing = found[found["_merge"] == "left_only"]
    if len(missing):
        first = tuple(missing[["unit_id", "frame"]].iloc[0])
        raise ValueError(f"{len(missing)} coded unit(s) and frame(s) have no prediction, e.g. {first}")
    return out
