"""The command line: every misuse is one line on stderr and a non-zero exit, tracebacks only with --debug,
help text for every option with its default (reliability findings, section 9)."""

from __future__ import annotations

import argparse
import shutil

import nbformat
import pytest
from conftest import SEEDS

from analysis.report import ReportError
from analysis.report.cli import _build_parser, main


def run(capsys, *argv) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of ``coverage-compare *argv`` run in this process."""
    try:
        status = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse usage errors
        status = exc.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--ngram", "0", "1"], "argument --ngram: expected a whole number >= 1, got 0"),
        (["--ngram", "2", "1"], "--ngram LOW HIGH needs LOW <= HIGH, got 2 1"),
        (["--max-terms", "-1"], "argument --max-terms: expected a whole number >= 1, got -1"),
        (["--batch-size", "0"], "argument --batch-size: expected a whole number >= 1, got 0"),
        (["--min-count", "0"], "argument --min-count: expected a whole number >= 1, got 0"),
        (["--workers", "x"], "argument --workers: expected a whole number >= 1, got 'x'"),
    ],
)
def test_bad_terms_options_are_one_line(capsys, tmp_path, argv, message):
    status, _, err = run(capsys, "terms", SEEDS, "--out", tmp_path / "o", *argv)
    assert status == 2 and message in one_line(err)
    assert not (tmp_path / "o").exists()


def test_unreachable_dask_scheduler_is_one_line(capsys, tmp_path):
    status, _, err = run(
        capsys,
        "terms",
        SEEDS,
        "--out",
        tmp_path / "o",
        "--engine",
        "dask",
        "--scheduler",
        "tcp://127.0.0.1:9",
    )
    assert status == 1
    assert one_line(err).startswith(
        "coverage-compare: error: cannot reach the Dask scheduler at tcp://127.0.0.1:9 within 10 s: "
    )
    assert not (tmp_path / "o").exists()


def test_terms_refuses_a_file_as_output_and_writes_a_marked_folder(capsys, tmp_path):
    corpus = shutil.copytree(SEEDS, tmp_path / "corpus")
    status, _, err = run(capsys, "terms", corpus, "--out", corpus / "manifest.csv")
    assert status == 1 and "it is a file, not a folder" in one_line(err)
    out = tmp_path / "terms"
    for _ in range(2):  # the second run replaces the first's files
        status, stdout, err = run(capsys, "terms", corpus, "--out", out)
        assert status == 0, err
    assert sorted(p.name for p in out.iterdir()) == [
        ".coverage-compare-output",
        "contrast.parquet",
        "counts.parquet",
    ]


def test_unknown_kernel_is_one_line(capsys, tmp_path):
    status, _, err = run(
        capsys,
        "report",
        "--corpus",
        SEEDS,
        "--out",
        tmp_path / "o",
        "--notebooks",
        "01",
        "--kernel",
        "nosuchkernel",
    )
    assert status == 1
    assert one_line(err).startswith(
        "coverage-compare: error: no Jupyter kernel named 'nosuchkernel' (--kernel); installed:"
    )


def test_corrupt_notebook_is_one_line(capsys, tmp_path):
    nb_dir = tmp_path / "nb"
    nb_dir.mkdir()
    (nb_dir / "01_broken.ipynb").write_text('{"cells": [')
    status, _, err = run(
        capsys, "report", "--corpus", SEEDS, "--out", tmp_path / "o", "--notebooks-dir", nb_dir
    )
    assert status == 1 and one_line(err).startswith(
        "coverage-compare: error: 01_broken.ipynb: not a readable notebook ("
    )


def test_debug_shows_the_traceback(tmp_path):
    with pytest.raises(ReportError, match="no Jupyter kernel named"):
        main(
            [
                "report",
                "--corpus",
                str(SEEDS),
                "--out",
                str(tmp_path / "o"),
                "--notebooks",
                "01",
                "--kernel",
                "nope",
                "--debug",
            ]
        )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--notebooks", ""], "--notebooks needs name prefixes separated by commas, e.g. 01,03; got ''"),
        (
            ["--notebooks", "01,"],
            "--notebooks needs name prefixes separated by commas, e.g. 01,03; got '01,'",
        ),
        (["--notebooks", "01,99"], "matches 99 (there are 01_corpus,"),
        (
            ["--notebooks", "01", "--param", "top_k=5"],
            "parameter top_k is declared only by 03_term_contrasts.ipynb, 08_time.ipynb, which --notebooks does not select",
        ),
        (
            ["--notebooks", "03", "--param", "top_k=-5"],
            "03_term_contrasts.ipynb: parameter top_k must be an integer >= 1 (a count), got -5 (the notebook declares top_k = 10)",
        ),
        (
            ["--notebooks", "03", "--param", "ngram_range=[0, 1]"],
            "parameter ngram_range must be two integers [low, high]",
        ),
        (["--notebooks", "03", "--param", "top_k=ten"], "parameter top_k must be an integer, got 'ten'"),
        (
            ["--notebooks", "06", "--param", "link_threshold=1.5"],
            "parameter link_threshold must be a number between 0 and 1",
        ),
        (["--param", "out_dir={tmp}/escaped"], "parameter out_dir is set by the runner"),
        (["--param", "corpus_path={tmp}/other.jsonl"], "parameter corpus_path is set by the runner"),
    ],
)
def test_report_parameter_and_selection_errors_are_one_line(capsys, tmp_path, argv, message):
    argv = [a.format(tmp=tmp_path) for a in argv]
    status, _, err = run(capsys, "report", "--corpus", SEEDS, "--out", tmp_path / "o", *argv)
    assert status == 1 and message in one_line(err)
    assert not (tmp_path / "o").exists()


def test_parameter_type_comes_from_the_declared_literal(capsys, tmp_path):
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(
        'corpus_path = "x"\nout_dir = "y"\nlabel = "a"\nuse_x = False\nomit_share = 0.5'
    )
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    (tmp_path / "nb").mkdir()
    nbformat.write(nb, tmp_path / "nb" / "01_x.ipynb")
    for param, message in [
        ("label=3", "parameter label must be a string, got 3"),
        ("use_x=1", "parameter use_x must be True or False, got 1"),
        ("omit_share=-0.1", "parameter omit_share must be a number between 0 and 1"),
    ]:
        status, _, err = run(
            capsys,
            "report",
            "--corpus",
            SEEDS,
            "--out",
            tmp_path / "o",
            "--notebooks-dir",
            tmp_path / "nb",
            "--param",
            param,
        )
        assert status == 1 and f"01_x.ipynb: {message}" in one_line(err)


def test_every_option_has_help_and_report_help_states_defaults_and_the_output_rules(capsys):
    parser = _build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in subparsers.choices.items():
        for action in sub._actions:
            assert action.help, f"{name} {action.option_strings or action.dest} has no help"
    assert "``" not in parser.description and ":func:" not in parser.description
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "(default: seeds)" in text and "(default: figures)" in text
    assert "Any other folder is refused unless --force is given" in text
    assert (
        "Refused even with --force: an empty path, a symbolic link, a file, the filesystem root, your home folder"
        in text
    )
    assert "deletes only the files that run recorded" in text


@pytest.mark.slow
def test_report_console_shows_progress_and_no_third_party_noise(seeds_report_run):
    out, result = seeds_report_run
    err_lines = result.stderr.splitlines()
    noise = [
        line
        for line in err_lines
        if "Loading weights" in line or "warn" in line.lower() or "Traceback" in line
    ]
    assert noise == [], "\n".join(noise)
    n_notebooks = len(list((out / "notebooks").glob("*.ipynb")))
    # each notebook announced as it starts and ends, numbered and timed
    for k in range(1, n_notebooks + 1):
        marks = [line for line in err_lines if f"[notebook {k} of {n_notebooks}, " in line]
        assert len(marks) == 2 and all(line.rstrip().endswith(" elapsed]") for line in marks), marks
    # the cache was empty (report_env), so the runner says what it embeds
    assert any(
        line.startswith("embedding ") and " paragraphs and sentences with all-MiniLM-L6-v2 (" in line
        for line in err_lines
    )
    closing = result.stdout.strip().splitlines()[-1]
    assert (
        closing.startswith(f"wrote {out}: {n_notebooks} notebooks, ")
        and " s wall time (notebooks " in closing
    )


def test_third_party_warnings_are_off_and_ours_stay_on():
    import warnings

    from analysis.report.cli import _third_party_warnings_off

    filters = list(warnings.filters)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _third_party_warnings_off()
        for module in ("pandas.core.frame", "transformers", "analysis.terms._contrast", "analysis"):
            warnings.warn_explicit(f"from {module}", FutureWarning, "x.py", 1, module=module)
    assert [str(w.message) for w in caught] == ["from analysis.terms._contrast", "from analysis"]
    assert warnings.filters == filters  # only inside the block


def test_model_loading_is_quiet_unless_verbose(monkeypatch):
    from transformers.utils import logging as hf_logging

    from analysis.nlp import VERBOSE_ENV
    from analysis.nlp._embed import _quiet_transformers

    before = (hf_logging.is_progress_bar_enabled(), hf_logging.get_verbosity())
    monkeypatch.delenv(VERBOSE_ENV, raising=False)
    with _quiet_transformers():
        assert not hf_logging.is_progress_bar_enabled()
        assert hf_logging.get_verbosity() == hf_logging.ERROR
    assert (hf_logging.is_progress_bar_enabled(), hf_logging.get_verbosity()) == before
    monkeypatch.setenv(VERBOSE_ENV, "1")
    with _quiet_transformers():
        assert (hf_logging.is_progress_bar_enabled(), hf_logging.get_verbosity()) == before
