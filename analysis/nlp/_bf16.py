"""The bfloat16 back end of :func:`analysis.nlp.embed_texts`: the verified weights on the CPU's AMX units.

The model's own transformer (the one sentence-transformers loaded) runs under
``torch.autocast("cpu", dtype=torch.bfloat16)``: matrix products take bfloat16 inputs and accumulate
in float32 on oneDNN's AMX kernels, layer norms and softmax stay float32 (autocast's CPU policy); mean
pooling and L2 normalisation are computed here in float32 from the last hidden state. Only CPUs with
AMX and AVX-512 BF16 (:func:`bf16_supported`; Intel Sapphire Rapids and later) run it; elsewhere
bfloat16 would be emulated and slower than the float32 back ends.

Before its first use in a process the encoder is checked against sentence-transformers in float32 on
:data:`~analysis.nlp._onnx.PROBE_TEXTS` (every vector within cosine
:data:`~analysis.nlp._onnx.MIN_COSINE`, else :class:`RuntimeError`).

Batches hold texts of one padded width only: a text is padded to its own length rounded up to
:data:`WIDTH_STEP` tokens, whatever else is embedded with it; every batch has ``batch_size`` rows
(oneDNN chooses its bfloat16 kernels, and so the order of their float32 sums, by the number of rows
of a product: measured, a batch of 1 and one of 16 differ by up to 8e-4 in a coordinate); each batch
runs single-threaded on one core, one batch per core at once. A text's vector is thus the same
whatever the other texts, their order and the number of cores, for a given ``batch_size``
(``tests/test_embed_bf16.py`` checks it); it is not byte-identical to
the float32 back ends' (cosine >= 0.9999, in practice 1 - 3e-5), nor promised across CPUs or torch
versions.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from analysis.nlp._onnx import (
    MIN_COSINE,
    PROBE_TEXTS,
    _Settings,
    _settings,
    _tokenizer,
    padded,
    run_batches,
)

__all__ = ["WIDTH_STEP", "Bf16Encoder", "bf16_encoder", "bf16_supported"]

#: Texts are padded to a multiple of this many tokens: few distinct shapes (oneDNN compiles a kernel
#: per shape) for little padding.
WIDTH_STEP = 16
#: CPU flags (Linux ``/proc/cpuinfo``) that bfloat16 matrix products need to run natively.
_CPU_FLAGS = ("amx_bf16", "amx_tile", "avx512_bf16")


@lru_cache(maxsize=1)
def bf16_supported(cpuinfo: str = "/proc/cpuinfo") -> bool:
    """Whether this CPU has AMX tiles with bfloat16 and AVX-512 BF16 (False where it cannot be read)."""
    path = Path(cpuinfo)
    if not path.is_file():
        return False
    flags = next((line for line in path.read_text().splitlines() if line.startswith("flags")), "")
    return set(_CPU_FLAGS) <= set(flags.split(":", 1)[-1].split())


class Bf16Encoder:
    """Embed texts with a sentence-transformers model's transformer under bfloat16 autocast.

    Parameters
    ----------
    transformer : torch.nn.Module
        The Hugging Face encoder (its output's ``last_hidden_state`` is pooled).
    model_path : str
        The sentence-transformers folder (its ``tokenizer.json``).
    settings : _Settings
        Its sequence length (tokens kept per text) and width.
    """

    def __init__(self, transformer, model_path: str, settings: _Settings):
        self.transformer = transformer
        self.model_path = model_path
        self.settings = settings

    @property
    def tokenizer(self):
        return _tokenizer(self.model_path, self.settings.max_seq_length)

    def encode(self, texts: list[str], *, batch_size: int = 64, progress=None) -> np.ndarray:
        """L2-normalised float32 vectors of ``texts``, in their order (``progress``: a tqdm bar to update).

        Returns
        -------
        ndarray of shape (len(texts), hidden size)
        """
        token_ids = [encoding.ids for encoding in self.tokenizer.encode_batch(list(texts))]
        lengths = np.array([len(ids) for ids in token_ids], dtype=np.int64)
        widths = -(-lengths // WIDTH_STEP) * WIDTH_STEP
        order = np.argsort(-widths, kind="stable")  # widest first
        batches = [
            group[start : start + batch_size]
            for group in np.split(order, np.flatnonzero(np.diff(widths[order])) + 1)
            for start in range(0, len(group), batch_size)
        ]

        def pooled(rows: np.ndarray) -> np.ndarray:
            # Every batch has batch_size rows (the last of a width repeats its texts): oneDNN picks its
            # kernels by the number of rows, so this keeps a text's vector independent of the others.
            rows_run = np.resize(rows, batch_size)
            return self._pooled([token_ids[i] for i in rows_run], int(widths[rows[0]]))[: len(rows)]

        return run_batches(batches, pooled, (len(texts), self.settings.hidden_size), progress=progress)

    def _pooled(self, token_ids: list[list[int]], width: int) -> np.ndarray:
        """Float32 mean of each text's last hidden states over its own tokens, one batch on one core."""
        import torch

        ids, mask = (torch.from_numpy(array) for array in padded(token_ids, width))
        # One thread per batch: OpenMP's thread count is this worker thread's own setting.
        torch.set_num_threads(1)
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16):
            hidden = self.transformer(
                input_ids=ids, attention_mask=mask, token_type_ids=torch.zeros_like(ids)
            ).last_hidden_state
        hidden = hidden.float() * mask.unsqueeze(-1)
        return (hidden.sum(dim=1) / mask.sum(dim=1, keepdim=True)).numpy()


def bf16_encoder(model_path: str, *, reference, transformer) -> Bf16Encoder:
    """The bfloat16 encoder of a model, checked against its float32 vectors on :data:`PROBE_TEXTS`.

    Parameters
    ----------
    model_path : str
        The verified sentence-transformers folder.
    reference : callable
        ``reference(texts)`` gives sentence-transformers' float32 vectors.
    transformer : torch.nn.Module
        The model's Hugging Face encoder, in float32 (autocast leaves its weights as they are).

    Raises
    ------
    ValueError
        When the model is not a BERT encoder with mean pooling and Normalize, or the CPU lacks AMX
        bfloat16 (:func:`bf16_supported`).
    RuntimeError
        When a probe text's vector falls below cosine :data:`MIN_COSINE`.
    """
    if not bf16_supported():
        raise ValueError(
            f"the bf16 back end needs a CPU with {', '.join(_CPU_FLAGS)}; use backend='onnx' or 'torch'"
        )
    encoder = Bf16Encoder(transformer, model_path, _settings(model_path))
    found = encoder.encode(list(PROBE_TEXTS))
    cosine = (found * np.asarray(reference(list(PROBE_TEXTS)), dtype=np.float32)).sum(axis=1)
    if cosine.min() < MIN_COSINE:
        raise RuntimeError(
            f"bfloat16 vectors of {model_path} reach cosine {cosine.min():.6f} < {MIN_COSINE} "
            "with sentence-transformers on the probe texts; use backend='onnx' or 'torch'"
        )
    return encoder
