"""UMAP's all-pairs cosine distances, computed in one compiled loop, are bit for bit scikit-learn's."""

from __future__ import annotations

import numpy as np
import pytest

umap_ = pytest.importorskip("umap.umap_")

from umap import distances  # noqa: E402  (after the skip: umap-learn is optional)

from analysis.topics._backends import fast_cosine_distances  # noqa: E402


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fast_cosine_distances_equal_sklearn_bit_for_bit_and_are_undone(dtype):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 24)).astype(dtype)
    X[7] = 0.0  # a zero vector: cosine's own branches
    X[9] = X[3] * 2  # parallel vectors: distance (near) zero
    original = umap_.pairwise_distances
    expected = original(X, metric=distances.cosine)
    with fast_cosine_distances():
        assert umap_.pairwise_distances is not original
        fast = umap_.pairwise_distances(X, metric=distances.cosine)
        other = umap_.pairwise_distances(X, metric="euclidean")  # any other call: scikit-learn's
    assert umap_.pairwise_distances is original
    assert fast.dtype == expected.dtype and fast.tobytes() == expected.tobytes()
    assert other.tobytes() == original(X, metric="euclidean").tobytes()
