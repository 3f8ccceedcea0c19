"""The bf16 back end of embed_texts: asked for only, within cosine 0.9999 of sentence-transformers on
CPUs with AMX, a text's vector independent of the other texts, a check before first use."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from analysis.nlp import _bf16 as bf16
from analysis.nlp import _embed as embed
from analysis.nlp import _onnx as onnx
from tests.test_embed_onnx import VARIED_TEXTS

needs_amx = pytest.mark.skipif(not bf16.bf16_supported(), reason="needs a CPU with AMX bfloat16")


@pytest.fixture(scope="module")
def default_model() -> embed.ModelInfo:
    return embed.model_info()


@pytest.mark.parametrize(
    ("flags", "supported"),
    [
        ("fpu avx512f avx512_bf16 amx_bf16 amx_tile amx_int8", True),
        ("fpu avx512f avx512_bf16 amx_tile amx_int8", False),  # no AMX bfloat16
        ("fpu avx512f amx_bf16 amx_tile", False),  # no AVX-512 BF16
        ("fpu avx2 fma", False),
    ],
)
def test_bf16_needs_amx_and_avx512_bf16(tmp_path, flags, supported):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text(f"processor\t: 0\nmodel name\t: Some CPU\nflags\t\t: {flags}\n\n")
    assert bf16.bf16_supported(str(cpuinfo)) is supported
    assert bf16.bf16_supported(str(tmp_path / "missing")) is False


def test_bf16_is_used_only_when_asked(monkeypatch):
    monkeypatch.setattr(embed, "bf16_supported", lambda: True)
    monkeypatch.delenv(embed.BACKEND_ENV, raising=False)
    assert embed.resolve_backend(None) == "onnx"  # never by default, even where the CPU runs it
    assert embed.resolve_backend("bf16") == "bf16"
    monkeypatch.setenv(embed.BACKEND_ENV, "bf16")
    assert embed.resolve_backend(None) == "bf16"
    assert embed.resolve_backend("torch") == "torch"  # an explicit back end wins over the environment
    with pytest.raises(ValueError, match="CPU only"):
        embed.resolve_backend("bf16", device="cuda")
    monkeypatch.setenv(embed.BACKEND_ENV, "torch")
    assert embed.resolve_backend(None) == "torch"


def test_without_amx_bf16_is_refused_when_named_and_skipped_when_set_in_the_environment(monkeypatch):
    monkeypatch.setattr(embed, "bf16_supported", lambda: False)
    monkeypatch.setenv(embed.BACKEND_ENV, "bf16")
    assert embed.resolve_backend(None) == "onnx"  # the default, as run.json then records
    with pytest.raises(ValueError, match="no AMX bfloat16"):
        embed.resolve_backend("bf16")
    monkeypatch.setattr(bf16, "bf16_supported", lambda: False)
    with pytest.raises(ValueError, match="needs a CPU with amx_bf16"):
        bf16.bf16_encoder("unused", reference=None, transformer=None)


class _EchoTransformer:
    """Stands in for the encoder: token t comes out as (id, 1, 0, ...), padding as garbage (1e6, ...)."""

    def __init__(self, width: int = 2):
        self.width = width
        self.batch_shapes = []

    def __call__(self, input_ids, attention_mask, token_type_ids):
        import torch  # as the encoder does: only when a text is embedded

        self.batch_shapes.append(tuple(input_ids.shape))
        hidden = np.zeros((*input_ids.shape, self.width), dtype=np.float32)
        hidden[..., 0], hidden[..., 1] = input_ids.numpy(), 1.0
        hidden[attention_mask.numpy() == 0] = 1e6
        return SimpleNamespace(last_hidden_state=torch.from_numpy(hidden))


def test_batches_hold_one_width_and_batch_size_rows(default_model):
    encoder = bf16.Bf16Encoder(_EchoTransformer(), default_model.path, onnx._Settings(256, 12, 2))
    texts = ["Talks resumed.", "ceasefire", " ".join(["The convoy moved slowly toward Armenia."] * 3)]
    ids = [e.ids for e in encoder.tokenizer.encode_batch(texts)]
    assert [len(i) for i in ids] == [5, 3, 23]  # [CLS] ... [SEP]
    vectors = encoder.encode(texts, batch_size=4)
    expected = np.array([[np.mean(i), 1.0] for i in ids])
    np.testing.assert_allclose(vectors, expected / np.linalg.norm(expected, axis=1, keepdims=True), rtol=1e-6)
    # the 23-token text padded to 32 alone, the others padded to 16 together; each batch filled up to
    # 4 rows by repeating its texts (batches run on two cores at once: their order varies)
    assert sorted(encoder.transformer.batch_shapes) == [(4, 16), (4, 32)]


def test_a_check_that_fails_refuses_the_encoder(monkeypatch, default_model):
    monkeypatch.setattr(bf16, "bf16_supported", lambda: True)
    settings = onnx._settings(default_model.path)
    echo = _EchoTransformer(settings.hidden_size)
    truth = bf16.Bf16Encoder(echo, default_model.path, settings).encode(list(onnx.PROBE_TEXTS))
    assert (
        bf16.bf16_encoder(default_model.path, reference=lambda _: truth, transformer=echo).transformer is echo
    )
    drifted = truth.copy()
    drifted[-1] = np.roll(drifted[-1], 1)  # one probe text's vector is off
    with pytest.raises(RuntimeError, match=r"reach cosine .* < 0.9999"):
        bf16.bf16_encoder(default_model.path, reference=lambda _: drifted, transformer=echo)


@needs_amx
@pytest.mark.slow
def test_bf16_vectors_stay_within_cosine_of_sentence_transformers():
    found = embed.embed_texts(VARIED_TEXTS, backend="bf16", use_cache=False, progress=False)
    reference = embed.embed_texts(VARIED_TEXTS, backend="torch", use_cache=False, progress=False)
    assert found.shape == reference.shape == (len(VARIED_TEXTS), 384) and found.dtype == np.float32
    cosine = (found.astype(np.float64) * reference).sum(axis=1)
    assert cosine.min() >= onnx.MIN_COSINE, sorted(zip(cosine, VARIED_TEXTS, strict=True))[:3]
    assert cosine.min() < 1 - 1e-7  # bfloat16 really ran: the vectors are not float32's
    np.testing.assert_allclose(np.linalg.norm(found, axis=1), 1.0, atol=1e-6)


@needs_amx
@pytest.mark.slow
@pytest.mark.parametrize("batch_size", [4, 16])
def test_bf16_vector_depends_on_the_text_and_batch_size_alone(monkeypatch, batch_size):
    """Same text, same bytes: alone, among other texts, in any order, on any number of cores."""

    def run(texts, cores=2):
        monkeypatch.setattr(onnx, "_n_cores", lambda: cores)  # run_batches: one batch per core
        return embed.embed_texts(texts, backend="bf16", batch_size=batch_size, use_cache=False)

    alone = np.vstack([run([t]) for t in VARIED_TEXTS])
    assert np.array_equal(run(VARIED_TEXTS), alone)
    assert np.array_equal(run(VARIED_TEXTS[::-1])[::-1], alone)
    assert np.array_equal(run(VARIED_TEXTS, cores=1), alone)
    assert np.array_equal(run(VARIED_TEXTS * 3, cores=3)[: len(VARIED_TEXTS)], alone)


@needs_amx
@pytest.mark.slow
def test_bf16_is_cached_apart(tmp_path, monkeypatch, default_model):
    monkeypatch.setenv("COVERAGE_COMPARE_CACHE", str(tmp_path))
    texts = ["Talks resumed.", "The ceasefire held."]
    by_bf16 = embed.embed_texts(texts, backend="bf16", progress=False)
    assert [p.name for p in (tmp_path / "embeddings").iterdir()] == [f"{default_model.sha256[:16]}-bf16"]
    embed._store.cache_clear()  # as in a new process
    assert np.array_equal(embed.embed_texts(texts, backend="bf16"), by_bf16)
