"""Name forms: titles and honorifics stripped, the keys that link a name's variants.

Rules, for names written in any country's news in English:

* leading honorifics and titles are dropped ('Mr.', 'Dr.', 'President', 'Prime Minister', 'Sen.',
  'Gen.' ...; :data:`TITLE_WORDS`) as are a leading 'the' and a trailing possessive ('s);
* a person's key is (first word, last word) in lower case after dropping initials ('J.') and
  suffixes ('Jr.', 'III'): 'Donald J. Trump', 'Donald John Trump' and 'Donald Trump' share one key,
  and so do 'Hillary Rodham Clinton' and 'Hillary Clinton' (middle and maiden names tolerated);
* any other name's key is its lower-cased words without dots ('U.S.' and 'US' share one);
* an acronym ('NATO') is the initials of a multi-word name's capitalised words.
"""

from __future__ import annotations

import re

__all__ = ["TITLE_WORDS", "clean_name", "person_key", "name_key", "acronym", "is_initial"]

#: Words dropped from the start of a name (lower case, without dots).
TITLE_WORDS = frozenset(
    """mr mrs ms miss mx dr prof professor sir dame lord lady madam president vice prime minister premier
    chancellor sen senator rep representative congressman congresswoman gov governor gen general col colonel
    lt lieutenant capt captain maj major adm admiral sgt sergeant secretary ambassador mayor judge justice
    king queen prince princess sheikh pope rev reverend chairman chairwoman chair speaker leader commissioner
    attorney deputy foreign defense defence state former late acting candidate nominee presidential
    spokesman spokeswoman spokesperson envoy minister-president""".split()
)
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_CONNECTORS = frozenset({"of", "the", "and", "for", "de", "la", "du", "&"})


def _bare(word: str) -> str:
    return word.lower().replace(".", "").strip(",")


def is_initial(word: str) -> bool:
    """'J.' or 'J': a single letter, with or without its dot."""
    return re.fullmatch(r"[^\W\d_]\.?", word) is not None


def clean_name(text: str, *, person: bool) -> str:
    """``text`` without leading 'the', trailing possessive and (for a person) leading titles."""
    words = re.sub(r"\s+", " ", _POSSESSIVE.sub("", text.strip())).split(" ")
    if words and words[0].lower() == "the" and len(words) > 1:
        words = words[1:]
    if person:
        while len(words) > 1 and _bare(words[0]) in TITLE_WORDS:
            words = words[1:]
    name = " ".join(words).strip(" ,;:")
    if name.endswith(".") and not re.search(r"(?:^|[\s.])[^\W\d_]\.$", name):
        name = name[:-1]  # a full stop, not the dot of an initial or of 'U.S.'
    return name or text.strip()


def person_key(name: str) -> tuple[str, ...]:
    """(first, last) for a full name, (word,) for a single word (see module doc)."""
    words = [w for w in name.split() if not is_initial(w) and _bare(w) not in _SUFFIXES]
    words = [_bare(w) for w in words] or [_bare(name)]
    return (words[0], words[-1]) if len(words) >= 2 else (words[0],)


def name_key(name: str) -> str:
    """Lower-cased words without dots: the key of a non-person name."""
    return " ".join(_bare(w) for w in name.split())


def acronym(name: str) -> str:
    """Initials of the capitalised words of a multi-word name ('' for one word)."""
    words = [w for w in name.split() if w.lower() not in _CONNECTORS]
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return ""
    return "".join(w[0] for w in words).upper()
