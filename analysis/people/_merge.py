"""Alias merging: one canonical entity per name, linked within each article, then across the corpus.

Order of the links (column ``link`` of the mentions table):

1. ``name``: a full person name ('Donald J. Trump') joins every name with its (first, last) key;
   any other name joins the names with the same words ('U.S.' = 'US'); a country's name or capital
   ('Moscow') joins its country (``place``; from ``sourcing_affiliations.csv``, places only);
2. ``same_article``: a single word ('Trump', 'Donald', 'Mr. Trump') joins the one full person name
   of its article whose last (else first) word it is; a bare group noun ('peacekeepers') joins the
   one qualified group of its article with that noun ('Russian peacekeepers');
3. ``corpus``: the same, across the corpus, for words still alone, when exactly one full name (or
   qualified group) fits; ``acronym``: a word in capitals joins the one multi-word name with those
   initials; ``corpus_dominant``: when several full names fit, the one with at least
   :data:`DOMINANT_SHARE` of their mentions, counted after the links above ('Clinton' -> Hillary Clinton
   beside a rarely named Bill Clinton).

Only person, organisation and unclassified words link (a place such as 'Iowa' never joins a person), and
only common group nouns join a qualified group ('Democrats' stays itself, not 'New Democrats').

An ambiguous word ('Clinton' in a corpus with two Clintons and no full name in the article) stays
its own entity. Before linking, a 2-3 word name the parser called an organisation becomes a person when
its article also uses its last word alone (a surname echo). The canonical name is the most frequent full
form; the kind is the majority kind of the mentions that define the entity (linked single words do not vote); the type is the majority of the type rules matched by the mentions' names and
descriptors (ties: the earlier rule), else the kind.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pandas as pd

from analysis.people._find import ORG_HEADS
from analysis.people._names import acronym, clean_name, name_key, person_key
from analysis.people._rules import Rules

__all__ = ["merge_mentions", "canonical", "slug", "KINDS"]

KINDS = ("person", "organisation", "place", "group", "other")


def _echoed_surname(raw: pd.DataFrame, rules: Rules) -> list[bool]:
    """Per mention: a 2-3 word name that the parser did not call a person but whose last word the same
    article also uses alone ('Oleksii Danilov' ... 'Danilov said'), as people's surnames are and
    organisations' last words rarely are; names with an organisation word (:data:`ORG_HEADS`), a
    country, capital or demonym ('Nagorno-Karabakh Armenians'), or a place/group kind are left as they are."""
    alone = {
        (a, clean_name(t, person=True))
        for a, t in zip(raw["article_id"], raw["text"], strict=True)
        if " " not in t.strip()
    }
    out = []
    for article, text, kind in zip(raw["article_id"], raw["text"], raw["kind"], strict=True):
        words = clean_name(text, person=True).split()
        out.append(
            kind in {"organisation", "other"}
            and 2 <= len(words) <= 3
            and all(w[:1].isupper() for w in words)
            and not any(
                w.lower().strip(".,") in ORG_HEADS or w in rules.place_of or w in rules.demonym_of
                for w in words
            )
            and (article, words[-1]) in alone
        )
    return out


def _initial_keys(raw: pd.DataFrame, rules: Rules) -> tuple[list[str], list[str], list[str]]:
    names, keys, links = [], [], []
    for text, kind, label in zip(raw["text"], raw["kind"], raw["label"], strict=True):
        name = clean_name(text, person=kind in {"person", "other"})
        link = "name"
        if label != "ORG" and name in rules.place_of:
            name, link = rules.place_of[name], "place"
        pk = person_key(name)
        key = f"p:{' '.join(pk)}" if kind in {"person", "other"} and len(pk) == 2 else f"n:{name_key(name)}"
        if kind == "group":
            key = f"g:{name_key(name)}"
        names.append(name)
        keys.append(key)
        links.append(link)
    return names, keys, links


def _pooled(by_article: dict[str, dict[str, set[str]]]) -> dict[str, set[str]]:
    """word -> keys over all articles (one pass: linear in the index size)."""
    pooled: dict[str, set[str]] = defaultdict(set)
    for words in by_article.values():
        for word, keys in words.items():
            pooled[word] |= keys
    return pooled


def _unique(candidates: set[str]) -> str | None:
    return next(iter(candidates)) if len(candidates) == 1 else None


#: Across articles, a word with several full names joins the one whose mentions make up at least this
#: share of theirs ('Clinton' -> Hillary Clinton when Bill Clinton is a tenth as frequent).
DOMINANT_SHARE = 0.9


def _dominant(candidates: set[str], weight: Counter) -> str | None:
    total = sum(weight[c] for c in candidates)
    best = min(candidates, key=lambda c: (-weight[c], c)) if candidates else None
    return best if best is not None and total and weight[best] >= DOMINANT_SHARE * total else None


def merge_mentions(raw: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """Give every raw mention its canonical key (see module doc).

    Parameters
    ----------
    raw : DataFrame
        Columns ``article_id``, ``text``, ``kind``, ``label``, ``descriptor`` (one row per mention).

    Returns
    -------
    DataFrame
        ``raw`` with ``name`` (cleaned), ``key`` (canonical key) and ``link`` added.
    """
    out = raw.copy()
    out.loc[_echoed_surname(out, rules), "kind"] = "person"
    out["name"], out["key"], out["link"] = _initial_keys(out, rules)
    full = out["key"].str.startswith("p:") & (out["kind"] == "person")
    single = (
        ~full
        & (out["link"] != "place")
        & out["kind"].isin(["person", "other", "organisation"])  # not a place or group ('Iowa', 'America')
        & ~out["name"].str.contains(" ")
    )
    # only common nouns join a qualified group ('peacekeepers' -> 'Russian peacekeepers', not 'Democrats')
    bare_group = (out["kind"] == "group") & ~out["name"].str.contains(" ") & out["name"].str.islower()
    qualified = (out["kind"] == "group") & out["name"].str.contains(" ")

    def index(mask, word_of) -> dict[str, dict[str, set[str]]]:
        found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for article, key in zip(out.loc[mask, "article_id"], out.loc[mask, "key"], strict=True):
            for word in word_of(key):
                found[article][word].add(key)
        return found

    by_last = index(full, lambda k: [k.split(" ")[-1]])
    by_first = index(full, lambda k: [k[2:].split(" ")[0]])
    by_noun = index(qualified, lambda k: [k.split(" ")[-1]])
    corpus_last, corpus_first, corpus_noun = _pooled(by_last), _pooled(by_first), _pooled(by_noun)
    acronyms: dict[str, set[str]] = defaultdict(set)
    for name, key in zip(out.loc[~full, "name"], out.loc[~full, "key"], strict=True):
        if initials := acronym(name):
            acronyms[initials].add(key)

    keys, links = out["key"].tolist(), out["link"].tolist()
    unresolved: list[tuple[int, set[str]]] = []
    for i in range(len(out)):
        if not (single.iat[i] or bare_group.iat[i]):
            continue
        article, word = out["article_id"].iat[i], name_key(out["name"].iat[i])
        if bare_group.iat[i]:
            tries = [
                (by_noun.get(article, {}).get(word, set()), "same_article"),
                (corpus_noun.get(word, set()), "corpus"),
            ]
        else:
            tries = [
                (by_last.get(article, {}).get(word, set()), "same_article"),
                (by_first.get(article, {}).get(word, set()), "same_article"),
                (corpus_last.get(word, set()), "corpus"),
                (corpus_first.get(word, set()), "corpus"),
                (
                    acronyms.get(out["name"].iat[i], set()) if out["name"].iat[i].isupper() else set(),
                    "acronym",
                ),
            ]
        for candidates, how in tries:
            if (key := _unique(candidates)) is not None:
                keys[i], links[i] = key, how
                break
        else:
            unresolved.append((i, tries[-3][0] | tries[-2][0] if not bare_group.iat[i] else tries[-1][0]))
    weight = Counter(keys)  # mentions each entity has once names and unambiguous words are linked
    for i, candidates in unresolved:
        if (key := _dominant(candidates, weight)) is not None:
            keys[i], links[i] = key, "corpus_dominant"
    out["key"], out["link"] = keys, links
    return out


def canonical(merged: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """One row per key: canonical name, kind, type and the rule that typed it.

    Returns
    -------
    DataFrame
        Columns ``key``, ``name``, ``kind``, ``entity_type``, ``type_rule``.
    """
    rows = []
    rule_rank = {rule_id: i for i, (rule_id, _, _) in enumerate(rules.types)}
    for key, group in merged.groupby("key", sort=True):
        forms = group.loc[group["link"].isin(["name", "place", "table"]), "name"]
        forms = forms if not forms.empty else group["name"]
        multi = forms[forms.str.contains(" ")] if key.startswith("p:") else forms
        counts = Counter((multi if not multi.empty else forms).tolist())
        name = min(counts, key=lambda f: (-counts[f], -len(f), f))
        defining = group.loc[group["link"].isin(["name", "place", "table"]), "kind"]
        kinds = Counter(defining if not defining.empty else group["kind"])  # linked single words do not vote
        kind = min(kinds, key=lambda k: (-kinds[k], KINDS.index(k)))
        if kind == "person" and name.split()[-1].lower() in ORG_HEADS:
            kind = "organisation"  # 'United States Senate', whatever the parser said
        votes: Counter = Counter()
        for n, d in zip(group["name"], group["descriptor"], strict=True):
            typed = rules.entity_type(f"{n} {d}" if kind in {"person", "other"} else n)
            if typed:
                votes[typed] += 1
        if votes:
            (entity_type, rule_id) = min(votes, key=lambda t: (-votes[t], rule_rank[t[1]]))
        else:
            entity_type, rule_id = kind, "kind"
        rows.append((key, name, kind, entity_type, rule_id))
    return pd.DataFrame(rows, columns=["key", "name", "kind", "entity_type", "type_rule"])


def slug(name: str) -> str:
    """Lower-case ASCII-ish id part: words joined by '_'."""
    return re.sub(r"[^\w]+", "_", name.casefold()).strip("_") or "_"
