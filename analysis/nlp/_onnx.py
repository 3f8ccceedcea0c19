"""The ONNX Runtime back end of :func:`analysis.nlp.embed_texts`: the same verified weights, ~2x faster on CPU.

At first use the model's transformer is exported from its local, verified weights (torch's ONNX
exporter, eager attention), fused by onnxruntime's BERT optimizer (attention, embedding and skip
layer norms, bias + GELU: same operations, fewer kernels), checked against sentence-transformers on
:data:`PROBE_TEXTS` (every vector within cosine :data:`MIN_COSINE`, else
:class:`~analysis.nlp.EmbeddingModelError`) and only then written, atomically, to
``<cache>/onnx/<key>.onnx``. The key hashes the weights' SHA-256 and the versions of onnxruntime,
torch and transformers, so an upgrade exports again. Later processes load the file without importing
torch.

Texts are tokenised with the model's own ``tokenizer.json`` (truncated at ``max_seq_length`` as
sentence-transformers does), run in batches of texts of similar length (formed longest first, so
that little is padded; 8 texts measured fastest on 2 cores, one batch per core at a time),
mean-pooled over each text's own tokens and L2-normalised, as sentence-transformers' Pooling(mean)
and Normalize modules do.

Determinism: a text's vector depends on the text alone. The fused graph computes every row of a
batch independently of the others and of the padding, and pooling reads only the text's own tokens,
so the vector is byte-identical whatever the batch size, the other texts, their order and the
number of threads (``tests/test_embed_onnx.py`` checks each). It is not byte-identical to the torch
back end's (cosine >= 0.9999, in practice 1 - 1e-12), nor promised across CPUs or onnxruntime versions.
"""

from __future__ import annotations

import json
import os
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path

import numpy as np

from analysis.infra.atomic import write_bytes_atomic
from analysis.infra.cache import cache_dir, cache_key

__all__ = ["MIN_COSINE", "PROBE_TEXTS", "OnnxEncoder", "onnx_available", "onnx_encoder", "export_path"]

#: Every vector of the ONNX path must reach this cosine with sentence-transformers' vector.
MIN_COSINE = 0.9999
#: Bumped when the export recipe changes: it is part of the exported file's cache key.
EXPORT_RECIPE = "1"
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")

#: Texts the export is checked on before it is stored: empty, short, long (truncated), non-Latin.
PROBE_TEXTS = (
    "",
    "Ceasefire.",
    "Azerbaijan launched what it called anti-terrorist measures in Nagorno-Karabakh on 19 September.",
    "«Тысячи людей» покинули регион; 数千人が避難した。 Ελλάδα, España, Türkiye — 2023-09-19 12:30 UTC.",
    " ".join(["The convoy of refugees moved slowly along the Lachin corridor toward Armenia."] * 30),
)


def onnx_available() -> bool:
    """Whether onnxruntime and onnx (the exporter needs it) are installed."""
    return find_spec("onnxruntime") is not None and find_spec("onnx") is not None


def export_path(weights_sha256: str) -> Path:
    """Where the exported, fused model of these weights is cached (``<cache>/onnx/<key>.onnx``)."""
    versions = [metadata.version(name) for name in ("onnxruntime", "torch", "transformers")]
    key = cache_key([weights_sha256, *versions, EXPORT_RECIPE])
    return cache_dir() / "onnx" / f"{key[:32]}.onnx"


@dataclass(frozen=True)
class _Settings:
    """What the export and the tokenizer need from a sentence-transformers model folder."""

    max_seq_length: int
    num_heads: int
    hidden_size: int


def _settings(model_path: str) -> _Settings:
    """Read the folder's configuration; refuse what this back end does not reproduce.

    Raises
    ------
    ValueError
        When the model is not a BERT encoder with mean pooling followed by normalisation.
    """
    folder = Path(model_path)
    modules = [m["type"].rsplit(".", 1)[-1] for m in json.loads((folder / "modules.json").read_text())]
    pooling = json.loads((folder / "1_Pooling" / "config.json").read_text())
    config = json.loads((folder / "config.json").read_text())
    mean_only = pooling.get("pooling_mode_mean_tokens") and not any(
        value
        for name, value in pooling.items()
        if name.startswith("pooling_mode_") and "mean_tokens" not in name
    )
    if modules != ["Transformer", "Pooling", "Normalize"] or not mean_only or config["model_type"] != "bert":
        raise ValueError(
            f"{model_path}: the ONNX back end needs a BERT model with mean pooling and Normalize"
        )
    st_config = json.loads((folder / "sentence_bert_config.json").read_text())
    return _Settings(st_config["max_seq_length"], config["num_attention_heads"], config["hidden_size"])


def _export(model_path: str, settings: _Settings, quiet) -> bytes:
    """The model's transformer as a fused ONNX graph (torch, transformers and onnx imported here only)."""
    import tempfile

    import torch
    from onnxruntime.transformers.optimizer import optimize_model
    from transformers import AutoModel

    with quiet():
        model = AutoModel.from_pretrained(
            model_path, attn_implementation="eager", local_files_only=True
        ).eval()

    class LastHiddenState(torch.nn.Module):
        def __init__(self, encoder):
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids, attention_mask, token_type_ids):
            out = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    example = torch.ones((2, 8), dtype=torch.long)
    axes = {name: {0: "batch", 1: "tokens"} for name in (*_INPUTS, "last_hidden_state")}
    with tempfile.TemporaryDirectory(prefix="coverage-compare-onnx-") as tmp:
        raw, fused = Path(tmp) / "raw.onnx", Path(tmp) / "fused.onnx"
        with warnings.catch_warnings(), torch.inference_mode():
            warnings.simplefilter("ignore")  # the exporter's notes on traced control flow
            torch.onnx.export(
                LastHiddenState(model),
                (example, example, torch.zeros_like(example)),
                str(raw),
                input_names=list(_INPUTS),
                output_names=["last_hidden_state"],
                dynamic_axes=axes,
                opset_version=17,
                dynamo=False,
            )
        optimized = optimize_model(
            str(raw),
            model_type="bert",
            num_heads=settings.num_heads,
            hidden_size=settings.hidden_size,
            opt_level=1,
        )
        optimized.save_model_to_file(str(fused))
        return fused.read_bytes()


class OnnxEncoder:
    """Embed texts with an exported model: tokenizer, ONNX Runtime session, mean pooling, normalisation.

    Parameters
    ----------
    model_file : Path
        The exported graph (its output is the last hidden state).
    model_path : str
        The sentence-transformers folder (its ``tokenizer.json``).
    settings : _Settings
        Its sequence length (tokens kept per text, as sentence-transformers truncates) and width.
    """

    def __init__(self, model_file: Path, model_path: str, settings: _Settings):
        self.model_file = model_file
        self.model_path = model_path
        self.settings = settings

    @property
    def tokenizer(self):
        return _tokenizer(self.model_path, self.settings.max_seq_length)

    @property
    def session(self):
        return _session(str(self.model_file))

    def encode(self, texts: list[str], *, batch_size: int = 8, progress=None) -> np.ndarray:
        """L2-normalised float32 vectors of ``texts``, in their order (``progress``: a tqdm bar to update).

        Returns
        -------
        ndarray of shape (len(texts), hidden size)
        """
        token_ids = [encoding.ids for encoding in self.tokenizer.encode_batch(list(texts))]
        lengths = np.array([len(ids) for ids in token_ids], dtype=np.int64)
        order = np.argsort(-lengths, kind="stable")  # longest first: little padding in each batch
        batches = [order[start : start + batch_size] for start in range(0, len(order), batch_size)]

        def pooled(rows: np.ndarray) -> np.ndarray:
            hidden = self._run([token_ids[i] for i in rows], int(lengths[rows].max()))
            return np.stack([hidden[r, : lengths[i]].sum(axis=0) / lengths[i] for r, i in enumerate(rows)])

        # One single-threaded session run per batch on each core at once (ONNX Runtime releases the
        # GIL): faster than one run over two threads for short batches, and each batch's result
        # does not depend on how many run beside it.
        return run_batches(batches, pooled, (len(texts), self.settings.hidden_size), progress=progress)

    def _run(self, token_ids: list[list[int]], width: int) -> np.ndarray:
        """The last hidden state of one batch, padded to ``width`` tokens."""
        ids, mask = padded(token_ids, width)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        return self.session.run(None, feeds)[0]


def padded(token_ids: list[list[int]], width: int) -> tuple[np.ndarray, np.ndarray]:
    """Token ids padded with 0 to ``width`` columns, and the attention mask (1 on each text's tokens)."""
    ids = np.zeros((len(token_ids), width), dtype=np.int64)
    mask = np.zeros_like(ids)
    for row, text_ids in enumerate(token_ids):
        ids[row, : len(text_ids)] = text_ids
        mask[row, : len(text_ids)] = 1
    return ids, mask


def run_batches(batches: list[np.ndarray], pooled, shape: tuple[int, int], *, progress=None) -> np.ndarray:
    """L2-normalised vectors of ``shape``: ``pooled(rows)`` (the mean-pooled vectors of the texts at
    ``rows``) run for each batch of rows, one batch per core at once, each put back at its rows."""
    vectors = np.empty(shape, dtype=np.float32)
    with ThreadPoolExecutor(max_workers=_n_cores()) as pool:
        for rows, found in zip(batches, pool.map(pooled, batches), strict=True):
            vectors[rows] = found / np.maximum(np.linalg.norm(found, axis=1, keepdims=True), 1e-12)
            if progress is not None:
                progress.update(len(rows))
    return vectors


def _n_cores() -> int:
    """Cores this process may run on."""
    return len(os.sched_getaffinity(0))


@lru_cache(maxsize=2)
def _tokenizer(model_path: str, max_seq_length: int):
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(Path(model_path) / "tokenizer.json"))
    tokenizer.enable_truncation(max_seq_length)
    tokenizer.no_padding()
    return tokenizer


@lru_cache(maxsize=2)
def _session(model_file: str):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1  # parallel across batches instead (OnnxEncoder.encode)
    options.inter_op_num_threads = 1
    # Threads that spin while waiting for work only steal the CPU from other processes on a busy machine.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(model_file, options, providers=["CPUExecutionProvider"])


def onnx_encoder(model_path: str, weights_sha256: str, *, reference, quiet) -> OnnxEncoder:
    """The encoder of these weights, exported and checked at first use (then read from the cache).

    Parameters
    ----------
    model_path, weights_sha256 : str
        The verified model folder and its weights' SHA-256.
    reference : callable
        ``reference(texts)`` gives sentence-transformers' vectors; called only when exporting.
    quiet : callable
        A context manager that silences transformers while the weights load for the export.

    Raises
    ------
    ValueError
        When the model is not one this back end reproduces (see :func:`_settings`).
    RuntimeError
        When a probe text's vector falls below cosine :data:`MIN_COSINE`; nothing is cached then.
    """
    settings = _settings(model_path)
    target = export_path(weights_sha256)
    if not target.is_file():
        # Written under a hidden name, checked, then renamed: a process never loads an unchecked export.
        candidate = target.with_name(f".{target.stem}.{os.getpid()}.check.onnx")
        write_bytes_atomic(candidate, _export(model_path, settings, quiet))
        try:
            found = OnnxEncoder(candidate, model_path, settings).encode(list(PROBE_TEXTS))
            cosine = (found * np.asarray(reference(list(PROBE_TEXTS)), dtype=np.float32)).sum(axis=1)
            if cosine.min() < MIN_COSINE:
                raise RuntimeError(
                    f"the ONNX export of {model_path} reaches cosine {cosine.min():.6f} < {MIN_COSINE} "
                    "with sentence-transformers on the probe texts; use backend='torch'"
                )
            os.replace(candidate, target)
        finally:
            _session.cache_clear()
            candidate.unlink(missing_ok=True)
    return OnnxEncoder(target, model_path, settings)
