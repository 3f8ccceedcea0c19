"""Hashing shared by the compiled kernels: the tokenizer's table of raw forms and the n-gram tallies.

FNV-1a (:data:`FNV_OFFSET`, :data:`FNV_PRIME`) folds a run of n-gram ids into 64 bits (the tallies);
:func:`splitmix64` (both) moves every bit of a key into every bit of the hash, so that a table can
take its slot from the top or bottom bits alone. Compiled by numba on first use, kept in its
disk cache.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["FNV_OFFSET", "FNV_PRIME", "splitmix64"]

FNV_OFFSET = np.uint64(0xCBF29CE484222325)
FNV_PRIME = np.uint64(0x100000001B3)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


@numba.njit(cache=True, nogil=True, inline="always")
def splitmix64(key):
    """splitmix64's finalizer of a 64-bit key (any integer type; returns uint64)."""
    h = np.uint64(key)
    h = (h ^ (h >> np.uint64(30))) * _MIX1
    h = (h ^ (h >> np.uint64(27))) * _MIX2
    return h ^ (h >> np.uint64(31))
