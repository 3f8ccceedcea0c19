"""analysis.setup(): importing changes no global state, setup() changes what it documents, once;
analysis.scratch_dir(): notebooks opened by hand write outside the checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

import nbformat
import pytest
from conftest import REPO

import analysis

NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SETUP_LINES = "import analysis\n\nanalysis.setup()\nout_dir = analysis.scratch_dir(out_dir)\n"

#: Imports every module under analysis/ in a fresh interpreter, then calls setup() twice, printing the
#: global state each step leaves (Altair, pandera, numba, hidden modules, environment) as JSON.
_PROBE = r"""
import importlib, json, os, pkgutil, sys
import altair as alt
import numba.core.config
from pandera.engines import pandas_engine

def state():
    return {
        "theme": alt.theme.active,
        "transformer": alt.data_transformers.active,
        "transformer_options": dict(alt.data_transformers.options),
        # every pandas dtype's check in pandera (str's included): setup() patches none of them
        "pandera_checks": {name: id(dtype.check) for name, dtype in vars(pandas_engine).items() if hasattr(dtype, "check")},
        "numba_config": repr(sorted((k, repr(v)) for k, v in vars(numba.core.config).items() if k.isupper())),
        "none_modules": sorted(name for name, module in sys.modules.items() if module is None),
        "offline": [os.environ.get("HF_HUB_OFFLINE"), os.environ.get("TRANSFORMERS_OFFLINE")],
    }

steps = {"before": state()}
import analysis
names = ["analysis"] + [m.name for m in pkgutil.walk_packages(analysis.__path__, "analysis.")]
for name in names:
    importlib.import_module(name)
steps["imported"] = state()
analysis.setup()
steps["setup"] = state()
analysis.setup()
steps["again"] = state()
print(json.dumps({"modules": names, "steps": steps}))
"""


@pytest.fixture(scope="module")
def probe():
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, env=env, cwd=REPO)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.splitlines()[-1])


def test_the_probe_imports_every_module(probe):
    files = sorted((REPO / "analysis").rglob("*.py"))
    expected = {".".join(p.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__") for p in files}
    assert set(probe["modules"]) == expected


def test_importing_every_module_changes_no_global_state(probe):
    steps = probe["steps"]
    assert steps["imported"] == steps["before"]
    assert steps["before"]["theme"] == "default" and steps["before"]["transformer_options"] == {}
    assert steps["before"]["offline"] == [None, None]


def test_setup_changes_what_it_documents(probe):
    before, after = probe["steps"]["imported"], probe["steps"]["setup"]
    assert after["theme"] == "coverage_compare"
    assert after["transformer"] == before["transformer"] == "default"
    assert after["transformer_options"] == {"max_rows": None}
    assert after["offline"] == ["1", "1"]
    # and nothing else: pandera's checks and numba's configuration are untouched, nothing is left hidden
    assert after["pandera_checks"] == before["pandera_checks"]
    assert "NpString" in after["pandera_checks"]
    assert after["numba_config"] == before["numba_config"]
    assert after["none_modules"] == before["none_modules"]
    changed = {key for key in after if after[key] != before[key]}
    assert changed == {"theme", "transformer_options", "offline"}


def test_setup_twice_is_harmless(probe):
    assert probe["steps"]["again"] == probe["steps"]["setup"]


def test_setup_first_keeps_optional_modules_out():
    """Called first, setup() loads jsonschema without its IRI grammar and pandera's Dask typing without
    Dask; validating tables (loading a corpus) then imports neither (nothing is left hidden)."""
    code = (
        "import sys, analysis; analysis.setup(); from analysis import charts, corpus; corpus.load_corpus('seeds');"
        "print(sorted({'rfc3987_syntax', 'dask.dataframe'} & set(sys.modules)), 'jsonschema' in sys.modules,"
        " sys.modules['pandera.typing.dask'].DASK_INSTALLED, [k for k, v in sys.modules.items() if v is None])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.split() == ["[]", "True", "False", "[]"]


def test_scratch_dir_returns_an_explicit_out_dir_unchanged(tmp_path):
    assert analysis.scratch_dir("figures") == "figures"
    assert analysis.scratch_dir("../build/figures") == "../build/figures"
    assert analysis.scratch_dir(tmp_path / "out") == str(tmp_path / "out")


def test_scratch_dir_defaults_to_the_environment_then_the_temp_dir(tmp_path, monkeypatch):
    monkeypatch.setenv(analysis.SCRATCH_ENV, str(tmp_path / "mine"))
    assert analysis.scratch_dir("") == str((tmp_path / "mine").resolve())
    monkeypatch.delenv(analysis.SCRATCH_ENV)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert analysis.scratch_dir() == str(tmp_path.resolve() / f"coverage-compare-{os.getuid()}")


@pytest.mark.parametrize("inside", ["notebooks", ".", "build/figures"])
def test_scratch_dir_refuses_a_folder_inside_the_checkout(monkeypatch, inside):
    monkeypatch.setenv(analysis.SCRATCH_ENV, str(REPO / inside))
    with pytest.raises(ValueError, match="choose another folder"):
        analysis.scratch_dir("")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_set_up_first_and_default_to_scratch(path):
    code = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    assert 'out_dir = ""' in code[0].source.splitlines()  # parameters: "" means a scratch folder
    assert code[1].source.startswith(SETUP_LINES)
    assert not any("analysis.setup()" in c.source for c in code[2:])


def test_a_notebook_opened_by_hand_writes_into_the_scratch_folder(tmp_path, monkeypatch):
    papermill = pytest.importorskip("papermill")
    scratch = tmp_path / "scratch"
    monkeypatch.setenv(analysis.SCRATCH_ENV, str(scratch))
    before = sorted(p.name for p in (REPO / "notebooks").iterdir())
    papermill.execute_notebook(
        str(REPO / "notebooks" / "01_corpus.ipynb"),
        str(tmp_path / "run.ipynb"),
        cwd=str(REPO / "notebooks"),
        progress_bar=False,
    )  # default parameters
    assert sorted(p.name for p in (REPO / "notebooks").iterdir()) == before
    written = sorted(p.name for p in (scratch / "01_corpus").glob("*.json"))
    assert written == sorted(p.name for p in (REPO / "figures" / "01_corpus").glob("*.json"))
    for name in written:  # the themed specs the report committed: setup() ran in the notebook
        assert (scratch / "01_corpus" / name).read_bytes() == (
            REPO / "figures" / "01_corpus" / name
        ).read_bytes()
