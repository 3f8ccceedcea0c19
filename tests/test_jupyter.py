"""JupyterLab use: a headless Jupyter server sees the notebooks and the project's kernel, and that
kernel (the one papermill and `make lab` use) is this environment's Python."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, token: str):
    req = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # localhost, never via a proxy
    with opener.open(req, timeout=10) as resp:
        return json.loads(resp.read())


def test_project_kernel_is_this_python():
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("python3")
    assert Path(spec.argv[0]).resolve() == Path(sys.executable).resolve()


@pytest.mark.slow
def test_headless_jupyter_server_lists_notebooks_and_kernel(tmp_path):
    port, token = _free_port(), "coverage-compare-test"
    cmd = [
        sys.executable,
        "-m",
        "jupyter_server",
        "--no-browser",
        f"--ServerApp.port={port}",
        "--ServerApp.ip=127.0.0.1",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={REPO / 'notebooks'}",
        "--ServerApp.port_retries=0",
        "--allow-root",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                _get(f"{base}/api/status", token)
                break
            except OSError:
                time.sleep(0.5)
        specs = _get(f"{base}/api/kernelspecs", token)
        assert "python3" in specs["kernelspecs"]
        listing = {item["name"] for item in _get(f"{base}/api/contents/", token)["content"]}
        assert {p.name for p in NOTEBOOKS} <= listing
        for nb in NOTEBOOKS:
            model = _get(f"{base}/api/contents/{nb.name}", token)
            assert model["type"] == "notebook" and model["content"]["cells"]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
