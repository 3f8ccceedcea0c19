"""The import graph of analysis/ (docs/architecture.md), read from the source with ``ast``.

(a) Imports point downward through the layers; capabilities never import each other; charts only
import the bottom layer. (b) No import cycles between modules. (c) Outside its package nobody
imports a ``_private`` module. (d) Imports of ``analysis`` inside functions only where the allow-list
below says what heavy dependency they defer (and the line says so in a comment).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "analysis"

#: Bottom to top; a package may import its own modules and those of the layers below it.
LAYERS = [
    {"infra", "data", "schemas"},
    {"corpus", "nlp"},
    {"ingest"},  # pages, WARC and feeds into a corpus folder: reads with corpus, shows progress with nlp
    {"people"},  # entities and aliases discovered from the corpus: framing and sourcing build on them
    {"terms", "topics", "sourcing", "framing", "claims"},
    {"scale"},
    {"compare"},  # combines capabilities' tables story by story
    {"time"},  # coverage over time, precedence and groups: reuses compare's per-outlet story statistics
    {"charts"},
    {""},  # the root package: analysis.setup() configures charts and infra
    {"report"},
]
BOTTOM = LAYERS[0]
#: Packages that may import less than their layer allows, and what they may import.
NARROWER = {"charts": BOTTOM}  # charts draw validated tables: they never compute

#: (module, function, imported module) -> what importing it at call time defers.
FUNCTION_LEVEL_ALLOWED = {
    ("analysis", "setup", "analysis.charts"): "altair, until setup() has hidden jsonschema's IRI grammar",
    ("analysis.terms._counts", "_count_polars", "analysis.terms._tally"): "numba, until terms are counted",
    (
        "analysis.terms._counts",
        "_count_polars",
        "analysis.corpus",
    ): "numba (the scanner), until terms are counted",
    ("analysis.corpus", "__getattr__", "analysis.corpus._scan"): "numba, until tokens are scanned",
    (
        "analysis.corpus._paragraphs",
        "_scanner",
        "analysis.corpus._scan",
    ): "numba, for lean and large corpora only",
    (
        "analysis.report",
        "__getattr__",
        "analysis.report._runner",
    ): "papermill, nbformat, altair: --help stays fast",
    (
        "analysis.scale",
        "__getattr__",
        "analysis.scale._topics",
    ): "scikit-learn, until topics run: count_terms_at_scale's pool processes start light",
    ("analysis.report.cli", "main", "analysis.corpus"): "pandas: --help and usage errors answer at once",
    (
        "analysis.report.cli",
        "_report",
        "analysis.report._runner",
    ): "papermill and nbformat, until a report runs",
    (
        "analysis.report.cli",
        "_terms",
        "analysis.infra.atomic",
    ): "nothing heavy; kept with _terms' other imports",
    (
        "analysis.report.cli",
        "_terms",
        "analysis.report._output",
    ): "nothing heavy; kept with _terms' other imports",
    ("analysis.report.cli", "_terms", "analysis.scale"): "polars, numba and Dask, until terms are counted",
    ("analysis.report.cli", "_terms", "analysis.terms"): "scipy, until terms are contrasted",
    ("analysis.report.cli", "_inspect", "analysis.corpus"): "pandas, until a corpus is read",
    ("analysis.report.cli", "_ingest", "analysis.ingest"): "lxml and pandas, until pages are ingested",
    (
        "analysis.report.cli",
        "_ingest",
        "analysis.report._output",
    ): "nothing heavy; kept with _ingest's other imports",
}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. "analysis.corpus._load"
    target: str  # the imported module, e.g. "analysis.corpus._readers"
    line: int
    function: str | None  # the enclosing function, None at module level
    source_line: str


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _target(base: str, name: str) -> str:
    """``from base import name``: the submodule when ``name`` is one, else ``base`` itself."""
    return f"{base}.{name}" if f"{base}.{name}" in MODULES else base


def _imports(module: str, path: Path) -> list[Import]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found: list[Import] = []

    def visit(node: ast.AST, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, function or child.name)
                continue
            targets: list[str] = []
            if isinstance(child, ast.Import):
                targets = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom):
                if child.level:  # relative: resolve against this module's package
                    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
                    base = ".".join(
                        package[: len(package) - child.level + 1] + ([child.module] if child.module else [])
                    )
                else:
                    base = child.module or ""
                targets = [_target(base, alias.name) for alias in child.names]
            for target in targets:
                if target == "analysis" or target.startswith("analysis."):
                    found.append(Import(module, target, child.lineno, function, lines[child.lineno - 1]))
            visit(child, function)

    visit(ast.parse(source), None)
    return found


IMPORTS = [imp for module, path in MODULES.items() for imp in _imports(module, path)]


def _package(module: str) -> str:
    """The first-level package of ``module`` ("" for the root ``analysis``)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _allowed_packages(package: str) -> set[str]:
    if package in NARROWER:
        return NARROWER[package] | {package}
    rank = next(i for i, layer in enumerate(LAYERS) if package in layer)
    below = set().union(*LAYERS[:rank]) if rank else set()
    return below | {package} | (BOTTOM if package in BOTTOM else set())


def test_every_package_has_a_layer():
    packages = {_package(m) for m in MODULES}
    assert packages == set().union(*LAYERS), "add the new package to LAYERS (and docs/architecture.md)"


def test_imports_point_downward_and_capabilities_never_import_each_other():
    wrong = [
        f"{imp.module}:{imp.line} imports {imp.target}"
        for imp in IMPORTS
        if _package(imp.target) not in _allowed_packages(_package(imp.module))
    ]
    assert wrong == []


def test_no_import_cycles_between_modules():
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for imp in IMPORTS:
        if imp.target in MODULES and imp.target != imp.module:
            graph[imp.module].add(imp.target)
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles: list[list[str]] = []

    def walk(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                walk(nxt, [*path, nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            walk(module, [module])
    assert cycles == []


def _is_private_elsewhere(imp: Import) -> bool:
    private = [i for i, part in enumerate(imp.target.split(".")) if part.startswith("_")]
    if not private:
        return False
    owner = ".".join(imp.target.split(".")[: private[0]])  # the package the private module belongs to
    return not (imp.module == owner or imp.module.startswith(owner + "."))


def test_no_private_module_is_imported_from_another_package():
    wrong = [f"{imp.module}:{imp.line} imports {imp.target}" for imp in IMPORTS if _is_private_elsewhere(imp)]
    assert wrong == []


def test_function_level_imports_only_where_they_defer_a_heavy_dependency():
    found = {(imp.module, imp.function, imp.target): imp for imp in IMPORTS if imp.function}
    assert sorted(set(found) - set(FUNCTION_LEVEL_ALLOWED)) == [], (
        "import at module level, or allow-list with a reason"
    )
    assert sorted(set(FUNCTION_LEVEL_ALLOWED) - set(found)) == [], "stale allow-list entry"
    uncommented = [f"{imp.module}:{imp.line}" for imp in found.values() if "#" not in imp.source_line]
    assert uncommented == [], "say in a comment on the import line what it defers"


@pytest.mark.parametrize(
    ("module", "target", "expected"),
    [
        ("analysis.scale._topics", "analysis.topics._model", True),
        ("analysis.topics._model", "analysis.topics._backends", False),
        ("analysis.corpus", "analysis.corpus._load", False),
        ("analysis.framing._naming", "analysis.corpus.text", False),
    ],
)
def test_private_rule_on_examples(module, target, expected):
    assert _is_private_elsewhere(Import(module, target, 1, None, "")) is expected


def test_layer_rule_on_examples():
    assert "sourcing" not in _allowed_packages("framing") and "corpus" in _allowed_packages("framing")
    assert _allowed_packages("charts") == BOTTOM | {"charts"}
    assert "schemas" in _allowed_packages("infra") and "corpus" not in _allowed_packages("schemas")
    assert {"", "charts", "scale", "terms"} <= _allowed_packages("report")
