"""The ONNX Runtime back end of embed_texts: same vectors as sentence-transformers (cosine >= 0.9999),
a text's vector independent of its batch, an export that is checked before it is cached."""

from __future__ import annotations

import json

import numpy as np
import pytest

from analysis.nlp import _embed as embed
from analysis.nlp import _onnx as onnx

pytestmark = pytest.mark.skipif(not onnx.onnx_available(), reason="needs onnxruntime and onnx")

#: Varied texts: empty, tiny, punctuation, numbers, scripts, emoji, markup, repeats, long (truncated at 256).
VARIED_TEXTS = [
    "",
    " ",
    "a",
    "?!",
    "Ceasefire.",
    "CEASEFIRE, ceasefire; Cease-fire!",
    "Azerbaijan launched what it called anti-terrorist measures in Nagorno-Karabakh on 19 September 2023.",
    "More than 100,000 people — nearly the whole population — left within a week.",
    "The death toll rose to 200, officials said, while 400 were wounded.",
    '"We will not leave," a resident told reporters. "This is our home."',
    "Stepanakert (Khankendi) 12:30 UTC, 2023-09-19; convoy No. 7 reached Goris at 18:45.",
    "«Тысячи людей» покинули регион.",
    "数千人が避難した。停戦合意が発表された。",
    "Ελλάδα και Τουρκία εξέφρασαν ανησυχία.",
    "Ermenistan'a geçen mülteciler çadırlarda kalıyor.",
    "La Croix-Rouge a évacué des blessés à travers le corridor de Latchine.",
    "שביתת הנשק נכנסה לתוקף",
    "وقف إطلاق النار دخل حيز التنفيذ",
    "Refugees 😢🙏 arrive in Armenia 🇦🇲",
    "<p>Read more: <a href='https://example.org/news'>example.org</a></p>",
    "https://example.org/2023/09/19/karabakh-offensive?utm_source=feed",
    "UN UNHCR ICRC OSCE EU NATO CSTO",
    "the the the the the the the the the the",
    "Tab\tseparated\tvalues\nand a new line",
    "Mr. Pashinyan said Russia's peacekeepers had failed.",
    "Baku says its operation was limited; Yerevan calls it ethnic cleansing.",
    "Kyiv Independent: Azerbaijan's offensive draws comparisons with Russia's war.",
    "NHK World reported long queues of cars on the mountain road.",
    "Wire report: fuel depot explosion kills at least 68, injures hundreds.",
    "x" * 300,
    "antidisestablishmentarianism " * 5,
    " ".join(["The convoy of refugees moved slowly along the Lachin corridor toward Armenia."] * 30),
    " ".join(f"word{i}" for i in range(400)),
    "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20",
    "Is this the end of Nagorno-Karabakh? Analysts think so.",
    "OK",
]


@pytest.fixture(scope="module")
def default_model() -> embed.ModelInfo:
    return embed.model_info()


@pytest.mark.slow
def test_onnx_vectors_stay_within_cosine_of_sentence_transformers(default_model):
    found = embed.embed_texts(VARIED_TEXTS, backend="onnx", use_cache=False, progress=False)
    reference = embed.embed_texts(VARIED_TEXTS, backend="torch", use_cache=False, progress=False)
    assert found.shape == reference.shape == (len(VARIED_TEXTS), 384) and found.dtype == np.float32
    cosine = (found.astype(np.float64) * reference).sum(axis=1)
    assert cosine.min() >= onnx.MIN_COSINE, sorted(zip(cosine, VARIED_TEXTS, strict=True))[:3]
    np.testing.assert_allclose(np.linalg.norm(found, axis=1), 1.0, atol=1e-6)
    # the same tokens as sentence-transformers, truncation at 256 included
    encoder = embed._verified_onnx(default_model.path, default_model.sha256)
    ours = [e.ids for e in encoder.tokenizer.encode_batch(VARIED_TEXTS)]
    theirs = embed._load(default_model.path, None).tokenize(VARIED_TEXTS)
    mask = theirs["attention_mask"].numpy().astype(bool)
    assert ours == [row[m].tolist() for row, m in zip(theirs["input_ids"].numpy(), mask, strict=True)]
    assert max(len(ids) for ids in ours) == 256


@pytest.mark.slow
@pytest.mark.parametrize("batch_size", [1, 3, 8, 16, 64])
def test_onnx_vector_depends_on_the_text_alone(batch_size):
    """Same text, same bytes: alone, in batches of any size, among other texts, in any order."""
    alone = np.vstack([embed.embed_texts([t], backend="onnx", use_cache=False) for t in VARIED_TEXTS])
    together = embed.embed_texts(VARIED_TEXTS, backend="onnx", batch_size=batch_size, use_cache=False)
    backwards = embed.embed_texts(VARIED_TEXTS[::-1], backend="onnx", batch_size=batch_size, use_cache=False)
    assert np.array_equal(together, alone)
    assert np.array_equal(backwards[::-1], alone)


@pytest.mark.slow
def test_onnx_vector_does_not_depend_on_how_many_batches_run_at_once(monkeypatch, default_model):
    encoder = embed._verified_onnx(default_model.path, default_model.sha256)
    assert encoder.session.get_session_options().intra_op_num_threads == 1
    found = {}
    for cores in (1, 2, 3):
        monkeypatch.setattr(onnx, "_n_cores", lambda cores=cores: cores)
        found[cores] = embed.embed_texts(VARIED_TEXTS, backend="onnx", use_cache=False)
    assert np.array_equal(found[1], found[2])
    assert np.array_equal(found[1], found[3])


@pytest.mark.slow
def test_backends_are_cached_apart(tmp_path, monkeypatch, default_model):
    exported = onnx_file(default_model)
    monkeypatch.setenv("COVERAGE_COMPARE_CACHE", str(tmp_path))
    monkeypatch.setattr(onnx, "export_path", lambda *_: exported)  # no second export
    texts = ["Talks resumed.", "The ceasefire held."]
    by_onnx = embed.embed_texts(texts, progress=False)  # the default back end
    by_torch = embed.embed_texts(texts, backend="torch", progress=False)
    prefix = default_model.sha256[:16]
    assert sorted(p.name for p in (tmp_path / "embeddings").iterdir()) == [prefix, f"{prefix}-onnx"]
    embed._store.cache_clear()  # as in a new process
    assert np.array_equal(embed.embed_texts(texts), by_onnx)
    assert np.array_equal(embed.embed_texts(texts, backend="torch"), by_torch)


def onnx_file(info: embed.ModelInfo):
    """The export of the default model in the tests' cache (made once, by the first test that needs it)."""
    embed._verified_onnx(info.path, info.sha256)
    return onnx.export_path(info.sha256)


@pytest.mark.slow
def test_an_export_that_drifts_is_refused_and_not_cached(tmp_path, monkeypatch, default_model):
    exported = onnx_file(default_model).read_bytes()
    monkeypatch.setenv("COVERAGE_COMPARE_CACHE", str(tmp_path))
    monkeypatch.setattr(onnx, "_export", lambda *_: exported)
    truth = embed.embed_texts(list(onnx.PROBE_TEXTS), backend="torch", use_cache=False)
    drifted = truth.copy()
    drifted[-1] = np.roll(drifted[-1], 1)  # one probe text's vector is off
    with pytest.raises(RuntimeError, match=r"reaches cosine .* < 0.9999"):
        onnx.onnx_encoder(default_model.path, default_model.sha256, reference=lambda _: drifted, quiet=None)
    assert list((tmp_path / "onnx").iterdir()) == []  # neither the export nor its candidate stays
    encoder = onnx.onnx_encoder(
        default_model.path, default_model.sha256, reference=lambda _: truth, quiet=None
    )
    assert encoder.model_file == onnx.export_path(default_model.sha256)
    assert encoder.model_file.read_bytes() == exported


class _EchoEncoder(onnx.OnnxEncoder):
    """The real tokenizer and pooling around :class:`_EchoSession`."""

    session = None


class _EchoSession:
    """Stands in for ONNX Runtime: token t of row b comes out as (id, 1), padding as garbage (1e6, 1e6)."""

    def __init__(self):
        self.batch_shapes = []

    def run(self, _, feeds):
        ids, mask = feeds["input_ids"], feeds["attention_mask"]
        self.batch_shapes.append(ids.shape)
        hidden = np.stack([ids, np.ones_like(ids)], axis=-1).astype(np.float32)
        hidden[mask == 0] = 1e6
        return [hidden]


def test_pooling_averages_each_texts_own_tokens_in_input_order(default_model):
    encoder = _EchoEncoder(None, default_model.path, onnx._Settings(256, 12, 2))
    encoder.session = session = _EchoSession()
    texts = ["Talks resumed.", "ceasefire", "The convoy moved slowly toward Armenia on Tuesday."]
    vectors = encoder.encode(texts, batch_size=2)
    ids = [e.ids for e in encoder.tokenizer.encode_batch(texts)]
    assert [len(i) for i in ids] == [5, 3, 11]  # [CLS] ... [SEP]
    expected = np.array([[np.mean(i), 1.0] for i in ids])
    np.testing.assert_allclose(vectors, expected / np.linalg.norm(expected, axis=1, keepdims=True), rtol=1e-6)
    # longest first: the 11-token text with the 5-token one (padded to 11), then the 3-token one alone
    assert session.batch_shapes == [(2, 11), (1, 3)]


def test_settings_of_the_default_model(default_model):
    assert onnx._settings(default_model.path) == onnx._Settings(
        max_seq_length=256, num_heads=12, hidden_size=384
    )


@pytest.mark.parametrize(
    ("modules", "pooling"),
    [
        (["Transformer", "Pooling"], {"pooling_mode_mean_tokens": True}),  # no Normalize
        (["Transformer", "Pooling", "Normalize"], {"pooling_mode_cls_token": True}),
        (
            ["Transformer", "Pooling", "Normalize"],
            {"pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": True},
        ),
    ],
)
def test_models_the_onnx_path_does_not_reproduce_are_refused(tmp_path, modules, pooling):
    (tmp_path / "1_Pooling").mkdir()
    types = [{"type": f"sentence_transformers.models.{m}"} for m in modules]
    (tmp_path / "modules.json").write_text(json.dumps(types))
    (tmp_path / "1_Pooling" / "config.json").write_text(json.dumps(pooling))
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "bert"}))
    with pytest.raises(ValueError, match="needs a BERT model with mean pooling and Normalize"):
        onnx._settings(str(tmp_path))


def test_export_is_keyed_by_weights_and_versions(tmp_path, monkeypatch):
    monkeypatch.setenv("COVERAGE_COMPARE_CACHE", str(tmp_path))
    first = onnx.export_path("a" * 64)
    assert first.parent == tmp_path / "onnx" and first.suffix == ".onnx"
    assert onnx.export_path("a" * 64) == first
    assert onnx.export_path("b" * 64) != first
    real_version = onnx.metadata.version
    monkeypatch.setattr(
        onnx.metadata, "version", lambda name: "0.0" if name == "onnxruntime" else real_version(name)
    )
    assert onnx.export_path("a" * 64) != first


def test_backend_choice(tmp_path):
    assert embed.resolve_backend(None) == "onnx"
    assert embed.resolve_backend(None, device="cuda") == "torch"
    assert embed.resolve_backend("torch") == "torch"
    (tmp_path / "model.safetensors").write_bytes(b"other weights")
    assert embed.resolve_backend(None, model=str(tmp_path)) == "torch"  # only the verified model by default
    with pytest.raises(ValueError, match="one of"):
        embed.resolve_backend("tensorflow")
    with pytest.raises(ValueError, match="CPU only"):
        embed.resolve_backend("onnx", device="cuda")
