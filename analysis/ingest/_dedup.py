"""Duplicates and versions among ingested articles, decided the same way whatever the input order.

* Exact duplicates share the hash of their normalised text (NFKC, case-folded, words only).
* Near-duplicates have an estimated Jaccard similarity of word shingles of at least
  ``near_duplicate`` (datasketch MinHash with a fixed seed; candidates from MinHashLSH, each pair
  checked). Groups are the connected components of both links; the first article of a group is
  the one published earliest (ties: the earlier capture or version, then the smallest ``article_id``).
* Captures of one URL are versions of one article, numbered by capture time, then by the time the
  page says it was modified or published, then by ``article_id``.

Articles are sorted by ``article_id`` (a hash of URL and text) before anything is assigned, so
neither the order of the inputs nor the number of workers that extracted them changes a result.
Only the fingerprints are held in memory (``num_perm`` 64-bit values per article), not the texts.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

__all__ = ["Fingerprint", "fingerprint", "link_duplicates", "link_versions", "sortable_time"]

_WORD = re.compile(r"\w+")
#: MinHash permutations are drawn from this seed: fingerprints are comparable across runs.
MINHASH_SEED = 1


@dataclass(frozen=True)
class Fingerprint:
    """What de-duplication needs of one article."""

    article_id: str
    exact: str  # SHA-256 of the normalised text
    minhash: object  # datasketch LeanMinHash
    first_key: tuple  # order within a duplicate group: earliest publication, then capture, first
    url_key: str | None
    version_key: tuple  # order among captures of one URL


def sortable_time(value: str | None) -> str:
    """``value`` (ISO 8601 date, month or date-time) as a UTC string that sorts in time order; '~' if unknown."""
    if not value:
        return "~"
    text = value.strip().replace("Z", "+00:00")
    if re.fullmatch(r"\d{4}-\d{2}", text):
        text += "-01"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return "~"
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed.isoformat()


def fingerprint(
    fields: dict, text: str, url_key: str | None, *, shingle_size: int, num_perm: int
) -> Fingerprint:
    """The fingerprint of one article (``fields`` are its manifest fields)."""
    from datasketch import LeanMinHash, MinHash  # defers datasketch until duplicates are looked for

    words = _WORD.findall(unicodedata.normalize("NFKC", text).casefold())
    size = min(shingle_size, len(words)) or 1
    shingles = {" ".join(words[i : i + size]).encode() for i in range(max(len(words) - size + 1, 1))}
    minhash = MinHash(num_perm=num_perm, seed=MINHASH_SEED)
    minhash.update_batch(sorted(shingles))
    published = sortable_time(fields["published"]) if fields["published_precision"] != "crawl" else "~"
    known = [
        t for t in (sortable_time(fields["published"]), sortable_time(fields.get("modified"))) if t != "~"
    ]
    version_key = (sortable_time(fields.get("crawled")), max(known, default="~"), fields["article_id"])
    return Fingerprint(
        article_id=fields["article_id"],
        exact=hashlib.sha256(" ".join(words).encode()).hexdigest(),
        minhash=LeanMinHash(minhash),
        first_key=(published, *version_key),
        url_key=url_key,
        version_key=version_key,
    )


def _components(ids: list[str], links: list[tuple[str, str]]) -> dict[str, str]:
    """Union-find: article_id -> a representative of its connected component."""
    parent = {i: i for i in ids}

    def root(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in links:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {i: root(i) for i in ids}


def link_duplicates(
    prints: list[Fingerprint], *, near_duplicate: float, num_perm: int
) -> dict[str, tuple[str | None, str | None]]:
    """``article_id -> (duplicate_group, duplicate_kind)``; ``(None, None)`` for an article without duplicates."""
    from datasketch import MinHashLSH  # defers datasketch until duplicates are looked for

    prints = sorted(prints, key=lambda p: p.article_id)
    by_id = {p.article_id: p for p in prints}
    links: list[tuple[str, str]] = []
    by_exact: dict[str, list[str]] = defaultdict(list)
    for p in prints:
        by_exact[p.exact].append(p.article_id)
    links += [(ids[0], other) for ids in by_exact.values() for other in ids[1:]]
    lsh = MinHashLSH(threshold=near_duplicate, num_perm=num_perm)
    hashes = {p.article_id: p.minhash for p in prints}
    for p in prints:
        lsh.insert(p.article_id, hashes[p.article_id])
    for p in prints:
        for other in sorted(lsh.query(hashes[p.article_id])):
            if other > p.article_id and hashes[p.article_id].jaccard(hashes[other]) >= near_duplicate:
                links.append((p.article_id, other))
    members: dict[str, list[str]] = defaultdict(list)
    for article_id, component in _components(list(by_id), links).items():
        members[component].append(article_id)
    result: dict[str, tuple[str | None, str | None]] = {}
    for ids in members.values():
        if len(ids) == 1:
            result[ids[0]] = (None, None)
            continue
        first = min(ids, key=lambda i: by_id[i].first_key)
        for i in ids:
            kind = "first" if i == first else "exact" if by_id[i].exact == by_id[first].exact else "near"
            result[i] = (first, kind)
    return result


def link_versions(prints: list[Fingerprint]) -> dict[str, tuple[str | None, int, str | None]]:
    """``article_id -> (version_of, version, previous)``: captures of one URL in order, 1 for the first."""
    by_url: dict[str | None, list[Fingerprint]] = defaultdict(list)
    for p in prints:
        by_url[p.url_key].append(p)
    result = {}
    for url_key, group in by_url.items():
        if url_key is None:
            result.update({p.article_id: (None, 1, None) for p in group})
            continue
        ordered = sorted(group, key=lambda p: p.version_key)
        first = ordered[0].article_id
        for number, p in enumerate(ordered, start=1):
            previous = ordered[number - 2].article_id if number > 1 else None
            result[p.article_id] = (first if number > 1 else None, number, previous)
    return result
