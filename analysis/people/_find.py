"""Raw name mentions in sentences: spaCy's named entities, or the pattern fallback without spaCy.

Each finder yields ``(start, end, kind, label)`` per mention, offsets into the sentence text:

* spaCy (:func:`spacy_mentions`): PERSON -> person, ORG -> organisation, GPE/LOC -> place, NORP ->
  group when it is a noun ('Armenians', 'Democrats'; an adjective such as 'Russian' in 'Russian
  officials' is not a mention on its own);
* patterns (:func:`pattern_mentions`): runs of capitalised words ('Nikol Pashinyan', 'Ministry of
  Defence'); a run that opens a sentence counts only when the corpus also capitalises it elsewhere;
  a country, capital or demonym from ``sourcing_affiliations.csv`` is a place (a plural demonym a
  group); a run matching an organisation or media rule, or in capitals ('CSTO'), is an organisation;
  two or more words are a person; one word is 'other' until linked to a full name;
* both: a plural group noun of a military or civilian rule ('troops', 'peacekeepers', 'residents')
  is a group, with a demonym or place just before it kept in the name ('Russian peacekeepers').
"""

from __future__ import annotations

import re

from analysis.people._names import TITLE_WORDS
from analysis.people._rules import Rules

__all__ = ["spacy_mentions", "pattern_mentions", "capitalised_words", "descriptor"]

_LABELS = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place", "NORP": "group"}
_RUN = re.compile(
    r"(?<![\w’'-])(?:[A-Z][\w’'.-]*|[A-Z]\.)(?:\s+(?:(?:of|the|de|al|bin|von|van|da)\s+)?(?:[A-Z][\w’'.-]*))*"
)
_WORD = re.compile(r"[\w’'.-]+")
_ORG_TYPES = ("organisation", "journalist", "official", "military", "head_of_government")
#: Last words of an organisation's name: a run 'Chatham House Laurence Broers' is split after one of
#: them when two or more capitalised words follow (an affiliation written before a person's name).
ORG_HEADS = frozenset(
    """house institute institution university college school academy centre center council foundation fund
    committee commission party agency ministry department office bureau group association union society
    forum network times post news journal tribune herald gazette telegraph bank corporation company inc
    ltd llc lab laboratory programme program project initiative service watch court board staff desk team
    editorial senate congress parliament assembly army navy police church""".split()
)


def split_affiliation(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """``[(start, end, kind)]``: the span itself (kind ''), or organisation + person when it is
    '<Organisation> <First> <Last>' (see :data:`ORG_HEADS`), or two names when a possessive joins them
    ("Cruz's Iowa": 'Cruz' keeps the span's kind, 'Iowa' is unclassified until linked)."""
    words = list(re.finditer(r"\S+", text[start:end]))
    for i, w in enumerate(words[:-1]):
        if w.group().endswith(("’s", "'s")):
            return [(start, start + w.end() - 2, ""), (start + words[i + 1].start(), end, "other")]
    for i in range(len(words) - 3, 0, -1):
        head = words[i].group().lower().strip(".,")
        rest = words[i + 1 :]
        if (
            head in ORG_HEADS
            and len(rest) <= 4
            and all(w.group()[:1].isupper() for w in rest)
            and not any(w.group().lower().strip(".,") in ORG_HEADS for w in rest)
        ):
            return [
                (start, start + words[i].end(), "organisation"),
                (start + rest[0].start(), end, "person"),
            ]
    return [(start, end, "")]


def _group_mentions(words: list[tuple[int, int, str, bool]], rules: Rules, taken) -> list[tuple]:
    """Plural group nouns with their demonym/place modifier; ``words`` = (start, end, text, plural noun?)."""
    found = []
    for i, (a, b, w, plural) in enumerate(words):
        if not plural or not rules.group_noun.match(w) or any(s < b and a < e for s, e in taken):
            continue
        start = a
        if i > 0:
            pa, _pb, pw, _ = words[i - 1]
            if pw in rules.demonym_of or pw in rules.place_of:
                start = pa
        found.append((start, b, "group", "GROUP"))
    return found


def spacy_mentions(doc, rules: Rules) -> list[tuple[int, int, str, str]]:
    """Mentions in one parsed sentence (see module doc)."""
    found, taken = [], []
    for ent in doc.ents:
        kind = _LABELS.get(ent.label_)
        if kind is None:
            continue
        if kind == "group" and not (
            ent.root.tag_ in {"NNPS", "NNS"} or ent.root.dep_ in {"nsubj", "dobj", "pobj"}
        ):
            continue  # a demonym used as an adjective
        if ent.text in rules.demonym_of and not ent.text.endswith("s"):
            continue  # 'Azerbaijani' alone, whatever label spaCy gives it
        for a, b, split_kind in split_affiliation(doc.text, ent.start_char, ent.end_char):
            part_kind = _part_kind(doc.text[a:b], split_kind, rules) or kind
            found.append((a, b, part_kind, ent.label_))
            taken.append((a, b))
    words = [(t.idx, t.idx + len(t.text), t.text, t.tag_ == "NNS") for t in doc]
    groups = _group_mentions(words, rules, taken)
    found = [f for f in found if not any(g[0] <= f[0] and f[1] <= g[1] for g in groups)] + groups
    return sorted(found)


def _part_kind(name: str, split_kind: str, rules: Rules) -> str:
    """The kind of a part of a split span: the name after a possessive typed by the pattern rules."""
    if split_kind == "other":
        return _pattern_kind(name, rules) or "other"
    return split_kind


def capitalised_words(texts) -> frozenset[str]:
    """Words the corpus capitalises other than as the first word of a sentence."""
    seen = set()
    for text in texts:
        for m in _RUN.finditer(text):
            seen.update(w.rstrip(".") for w in m.group().split()[0 if m.start() > 0 else 1 :])
    return frozenset(seen)


def pattern_mentions(
    text: str, rules: Rules, capitalised: frozenset[str], stop_words: frozenset[str]
) -> list[tuple[int, int, str, str]]:
    """Mentions in one sentence without a parser (see module doc)."""
    found, taken = [], []
    for m in _RUN.finditer(text):
        parts = [
            (m.start() + w.start(), m.start() + w.end(), w.group()) for w in re.finditer(r"\S+", m.group())
        ]
        opens = m.start() == 0 or text[: m.start()].rstrip().endswith(('"', "“", ":"))
        while parts and (
            parts[0][2].lower() in stop_words
            or _POSSESSIVE_END.sub("", parts[0][2]).lower() in PRONOUNS
            or (
                opens
                and len(parts) == 1
                and parts[0][2].rstrip(".") not in capitalised
                and parts[0][2] not in rules.place_of
                and parts[0][2] not in rules.demonym_of
            )
        ):
            parts = parts[1:]  # 'The Kremlin' -> 'Kremlin'; 'Rain fell' -> nothing
        while len(parts) > 1 and parts[0][2].lower().rstrip(".") in TITLE_WORDS:
            parts = parts[1:]  # 'Prime Minister Nikol Pashinyan' -> 'Nikol Pashinyan' (as spaCy's PERSON)
        if not parts:
            continue
        a, b = parts[0][0], parts[-1][1]
        if text[b - 1] == "." and not re.fullmatch(r"(?:[A-Z]\.)+", parts[-1][2]):
            b -= 1  # a sentence's full stop, not an initial or 'U.S.'
        if text[a:b].endswith(("’s", "'s")):
            b -= 2
        for part_start, part_end, split_kind in split_affiliation(text, a, b):
            kind = _part_kind(text[part_start:part_end], split_kind, rules) or _pattern_kind(
                text[part_start:part_end], rules
            )
            if kind is not None:
                found.append((part_start, part_end, kind, "PATTERN"))
                taken.append((part_start, part_end))
    words = [
        (w.start(), w.end(), w.group(), w.group().endswith("s") and w.group().islower())
        for w in _WORD.finditer(text)
    ]
    groups = _group_mentions(words, rules, taken)
    found = [f for f in found if not any(g[0] <= f[0] and f[1] <= g[1] for g in groups)]
    return sorted(found + groups)


_CONNECTORS = frozenset({"at", "of", "and", "for"})
#: Capitalised words that never name anyone ('He said', "It's").
PRONOUNS = frozenset("i you he she it we they me him her us them his hers its our their this that".split())
_POSSESSIVE_END = re.compile(r"['’](?:s|re|ve|ll|d|m)$")

_CALENDAR = re.compile(
    r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?$",
    re.IGNORECASE,
)


def _pattern_kind(name: str, rules: Rules) -> str | None:
    words = name.split()
    if len(name) < 2 or _CALENDAR.match(words[-1]):
        return None  # 'I', 'Monday', 'Sept'
    if any(w in rules.place_of or w in rules.demonym_of for w in words) and len(words) > 1:
        return "group" if words[-1] in rules.demonym_of and words[-1].endswith("s") else "place"
    if name in rules.demonym_of:
        return "group" if name.endswith("s") else None  # 'Armenians' a group, 'Armenian' an adjective
    if name in rules.place_of:
        typed = rules.entity_type(name)
        return "organisation" if typed and typed[0] in _ORG_TYPES else "place"
    typed = rules.entity_type(name)
    if (typed and typed[0] in _ORG_TYPES and len(name.split()) >= 2) or (name.isupper() and len(name) >= 2):
        return "organisation"
    return "person" if len(name.split()) >= 2 else "other"


def descriptor(text: str, start: int, end: int, rules: Rules, titles: frozenset[str]) -> str:
    """Words that describe a mention: the title words just before it and an appositive after it.

    Before: up to eight words, walking back from the mention while a word is capitalised, a title word,
    a connector ('at', 'of', 'and', 'for') or matches a type rule ('Kremlin spokesman', 'expert and
    Associate Fellow at Chatham House'; 'blamed' stops the walk).
    """
    before: list[str] = []
    for word in reversed(re.split(r"[;:,(\"“”]|\.\s", text[max(0, start - 80) : start])[-1].split()):
        bare = re.sub(r"['’]s$", "", word)
        if len(before) == 8 or not (
            bare[:1].isupper() or bare.lower() in titles or bare in _CONNECTORS or rules.entity_type(bare)
        ):
            break
        before.insert(0, word)
    after = re.match(r"\s*,\s*([^,]{3,90}),", text[end:])
    return " ".join([*before, after.group(1) if after else ""]).strip()
