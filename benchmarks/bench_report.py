"""Wall time of the whole job on the seeds: `coverage-compare report` with a cold and a warm
embedding cache, next to `python -c "import bertopic"` on the same machine, in one run.

Target (issue 8): the warm report takes at most 3x the bertopic import.

    .venv/bin/python benchmarks/bench_report.py [--jobs 2] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def timed(cmd: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=REPO, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "COVERAGE_COMPARE_CACHE": str(Path(tmp) / "cache"), "HF_HUB_OFFLINE": "1"}
        report = [
            sys.executable,
            "-m",
            "analysis.report.cli",
            "report",
            "--corpus",
            "seeds",
            "--out",
            str(Path(tmp) / "out"),
            "--jobs",
            str(args.jobs),
        ]
        imports = [timed([sys.executable, "-c", "import bertopic"], env) for _ in range(args.repeat)]
        cold = timed(report, env)
        warm = [timed(report, env) for _ in range(args.repeat)]
    t_import, t_warm = statistics.median(imports), statistics.median(warm)
    print(f"import bertopic        : {t_import:6.2f} s (median of {args.repeat})")
    print(f"report, cold cache     : {cold:6.2f} s")
    print(f"report, warm cache     : {t_warm:6.2f} s (median of {args.repeat}, --jobs {args.jobs})")
    print(
        f"warm report / import   : {t_warm / t_import:6.2f}x  (target <= 3x: {'met' if t_warm <= 3 * t_import else 'NOT met'})"
    )
    print(f"cold / warm            : {cold / t_warm:6.2f}x")


if __name__ == "__main__":
    main()
