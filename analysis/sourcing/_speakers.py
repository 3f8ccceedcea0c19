"""Speakers: who a speech verb's subject is, in canonical form, and what kind of source it is.

Pure rules over one article's text (no I/O), used by :mod:`analysis.sourcing._extract`;
speaker types live in :mod:`analysis.sourcing._speaker_types`. The rules follow how English news names sources:

* A speaker phrase is the noun phrase next to a reporting cue: before it
  (``Kremlin spokesman Dmitry Peskov on Monday said``; adverbials such as
  ``on Monday``, ``also``, ``initially`` and auxiliaries are skipped), after it
  in inverted attributions (``said local journalist Marut Vanyan``), after
  ``according to``, or before an appositive (``Dmitry Peskov, Putin's
  spokesperson, denied``). Its words are capitalised words, role nouns and
  modifiers (``officials``, ``senior``, ``human rights group``), determiners and
  ``of``/``at``/``and`` inside names.
* A person's canonical name is the longest full name mentioned in the article
  that ends with (or contains) the surname used (``Broers`` -> ``Laurence
  Broers``; ``Amma`` -> ``Amma Hideo``, family name first). Full names come from
  the spaCy named-entity recogniser when available, else from runs of two or
  three capitalised words after titles and demonyms are stripped.
* A group or institution keeps its own words without the leading determiner
  (``Armenian officials``, ``Russia's Foreign Ministry``).
* Personal pronouns (he, she) resolve to the salient person: the subject of the
  nearest earlier sentence that has one (a resolved speaker wins), or a person
  opening the same sentence before the pronoun.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = [
    "Mention",
    "PersonRegistry",
    "subject_before",
    "phrase_before",
    "phrase_after",
    "transcript_label",
    "title_cased",
    "vehicle_before",
    "VEHICLE_NOUNS",
    "VEHICLE_VERBS",
    "PRONOUNS",
    "INDEFINITES",
]

PRONOUNS = {"he": "person", "she": "person", "they": "group", "it": "group", "we": "group", "i": "person"}
#: Words that are never a speaker on their own ("Nothing was said", "This said ...").
INDEFINITES = frozenset(
    "nothing nobody everyone everybody someone somebody anyone anybody this that these those there what which who "
    "many some few most all none each both other others another".split()
)

#: Lower-case words allowed inside a speaker phrase: role nouns and their usual modifiers.
ROLE_WORDS = frozenset(
    """official officials spokesman spokeswoman spokesperson minister ministers ministry president secretary
    analyst analysts expert experts journalist journalists commentator commentators correspondent reporter
    reporters editor resident residents refugee refugees local locals witness witnesses group groups
    government authorities authority source sources leader leaders diplomat diplomats ambassador envoy
    senior former deputy acting chief head director fellow professor researcher researchers military army
    police agency agencies media representative representatives activist activists observer observers
    member members people civilians civilian villagers soldiers soldier commander commanders general
    side officer officers spokespeople human rights foreign defense defence interior state press office
    local international independent opposition party lawmaker lawmakers senator mayor governor
    organization organisation committee council ministry's government's military's campaigners
    campaigner monitor monitors war think tank news outlet newspaper broadcaster some many two three
    several other both top prime affairs security national regional federal top-ranking high-ranking
    health emergency rescue aid workers worker humanitarian union staff economist economists lawyer lawyers
    doctor doctors teacher farmer student priest engineer scientist historian politician businessman
    businesswoman volunteer volunteers nurse survivor survivors mother father victim victims strategist
    strategists consultant consultants pollster pollsters adviser advisers advisor advisors aide aides
    operative operatives delegate delegates donor donors""".split()
)
#: Function words inside organisation names ('Bank of America'), in any case.
_FUNCTION_IN_NAMES = frozenset({"of", "at", "and", "for", "the", "a", "an", "&"})
#: Name particles ('Ahmed al Hassan', 'Ursula von der Leyen'): particles only when written in lower
#: case; capitalised at the start of a name they are a first name or part of a surname ('Al Gore',
#: 'De Blasio', 'Van Hollen', 'La Follette', 'Del Rio').
_NAME_PARTICLES = frozenset({"de", "al", "von", "van", "bin", "la", "del"})
#: Capitalised sentence openers that are not part of a speaker phrase ('But Amma said').
_SENTENCE_ADVERBS = frozenset(
    """But And Though Although However Yet So Meanwhile Still Also Instead Then Later Earlier Now Indeed Moreover
    Furthermore While When After Before Since Because If As Separately Similarly Likewise Nonetheless""".split()
)
#: Capitalised only because they open a sentence: never part of a name ("In Smith's view", "The Smith report").
_NOT_NAMES = frozenset(
    "the a an in on at for with by from to of as if when while after before during since under over "
    "this that these those there what which who many some few most all none each both his her their its our".split()
)
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
_PREPOSITIONS = frozenset(
    "with to by from of for against on at about toward towards into onto between among over under after before".split()
)
#: Capitalised words that are titles or institutions rather than part of a person's name.
TITLE_WORDS = frozenset(
    """President Prime Minister Secretary Spokesman Spokeswoman Spokesperson Fellow Associate Senator Sen
    General Gen Ambassador Director Chairman Chairwoman Chair Deputy Foreign Defense Defence Interior Mr Mrs Ms
    Dr Professor Prof King Queen Pope Chancellor Governor Gov Mayor Rep Representative Commander Colonel Col
    Lieutenant Lt Captain Capt Sir Lord Lady Justice Judge Minister's President's Vice Acting Former Chief
    Senior Leader State Emir Sheikh Crown Prince Princess Ombudsman Commissioner Envoy Speaker Premier Chief""".split()
)
_ORG_HEADS = frozenset(
    """Ministry Council Corridor Organization Organisation Institute House Union Court States Agency Republic
    Oblast Day Department Office Party Army Forces Force Committee Assembly Bank Fund News Times Post World
    Independent Pravda Democracy Parliament Government Kingdom Nations Treaty Group Press Media Region Province
    City Airport Street Square University Center Centre Foundation Association Commission Service Services
    Company Corporation Inc Ltd Monastery Church Station Studies Federation Emirates Community""".split()
)
_WORD_RE = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*\.?|[^\w\s]")
_POSSESSIVE = re.compile(r"['’]s?$")
_ADVERBIAL_TAIL = re.compile(
    r"(?:\s+(?:also|again|later|then|previously|initially|further|once|recently|repeatedly|publicly|privately|"
    r"earlier|today|yesterday|tonight|now|still|even|only|just|has|have|had|was|were|is|are|would|will|could|"
    r"did|does|do|had\s+been|has\s+been|have\s+been|[a-z]+ly|"
    r"earlier\s+this\s+\w+|(?:on|last|this|late|early|earlier)\s+(?:[A-Z][a-z]+\.?(?:\s+\d{1,2})?|the\s+\w+|\w+)))$"
)

#: A quoted name or phrase inside an appositive ('Tom Reed, wearing "Vote Lind" pins, said'): 1-40 characters.
_SHORT_QUOTATION = re.compile(r"[\"“][^\"“”\n]{1,40}[\"”]")
#: A short bracket after a name: party and state ("Rep. Gwen Moore (D-Wis.) said"), an age, an acronym.
_PARENTHETICAL_TAIL = re.compile(r"\s*\([^()\n]{1,30}\)$")


@dataclass(frozen=True)
class Mention:
    """A speaker phrase found next to a cue.

    ``text`` is the phrase as written, ``start``/``end`` its offsets, ``descriptor``
    the words that describe the speaker (titles, appositive), ``pronoun`` whether it is one.
    """

    text: str
    start: int
    end: int
    descriptor: str = ""
    pronoun: bool = False
    #: A written vehicle with no named owner ('the statement', 'his letter'): resolved to the last speaker.
    vehicle: bool = False


def _words(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    return [(start + m.start(), start + m.end(), m.group()) for m in _WORD_RE.finditer(text[start:end])]


def _accept(word: str) -> bool:
    base = _POSSESSIVE.sub("", word)
    if not base or not base[0].isalpha():
        return False
    lower = base.rstrip(".").lower()
    return base[0].isupper() or lower in ROLE_WORDS or lower in _FUNCTION_IN_NAMES or base in _NAME_PARTICLES


def _is_function_word(word: str) -> bool:
    """A word that cannot start or end a name: 'of', 'And', or a lower-case particle ('al', not 'Al')."""
    return word.lower() in _FUNCTION_IN_NAMES or word in _NAME_PARTICLES


def _trim(words: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    while words and (
        (_is_function_word(words[0][2]) and words[0][2].lower() not in _DETERMINERS)
        or words[0][2] in _SENTENCE_ADVERBS
    ):
        words = words[1:]
    while words and (_is_function_word(words[-1][2]) or not words[-1][2][0].isalnum()):
        words = words[:-1]
    return words


def _has_head(words: list[tuple[int, int, str]]) -> bool:
    return any(
        w[0].isupper() or w.lower() in ROLE_WORDS for _, _, w in words if w.lower() not in _DETERMINERS
    )


def subject_before(text: str, start: int, cue_start: int) -> Mention | None:
    """The speaker phrase ending just before a cue at ``cue_start``, searching back to ``start``.

    Returns
    -------
    Mention or None
        None when no capitalised word, role noun or pronoun precedes the cue.
    """
    before = text[start:cue_start].rstrip()
    stripped = before
    while True:
        shorter = _PARENTHETICAL_TAIL.sub("", _ADVERBIAL_TAIL.sub("", stripped))
        if shorter == stripped:
            break
        stripped = shorter
    if not stripped.endswith(","):
        return phrase_before(text, start, start + len(stripped))
    # appositives between subject and verb: "Maria Lopez, 45, a nurse at the hospital, said". The
    # leftmost comma segment that is a whole speaker phrase is the subject ("Scott Pruitt, the attorney
    # general of Oklahoma, one of the states suing, said"); else the innermost phrase found.
    commas = [m.start() for m in re.finditer(r",", stripped)]
    found: list[tuple[Mention, bool]] = []
    for k in range(len(commas) - 2, max(len(commas) - 5, -1), -1):
        segment = stripped[commas[k - 1] + 1 if k > 0 else 0 : commas[k]]
        if re.search(r"[\"“”()]", _SHORT_QUOTATION.sub("", stripped[commas[k] : commas[-1]])):
            break  # a bracket or a quotation ends the appositive, unless a short one inside it ('wearing "X" pins')
        mention = phrase_before(text, start, start + commas[k])
        if mention is not None and segment.strip() and not segment.strip()[0].isdigit():
            descriptor = stripped[commas[k] + 1 : commas[-1]].strip()
            whole = segment.strip(" \t\n“”\"'‘’—–-") == mention.text
            whole = whole and mention.text.split()[0].lower() not in _NOT_NAMES - _DETERMINERS
            found.append(
                (Mention(mention.text, mention.start, mention.end, descriptor, mention.pronoun), whole)
            )
    wholes = [m for m, whole in found if whole]
    return wholes[-1] if wholes else found[0][0] if found else None


def phrase_before(text: str, start: int, end: int) -> Mention | None:
    """The speaker phrase ending exactly at ``end`` (no adverbial or appositive handling)."""
    words = _words(text, start, end)
    if words and words[-1][2].lower() in PRONOUNS:
        s, e, w = words[-1]
        return Mention(w, s, e, pronoun=True)
    taken: list[tuple[int, int, str]] = []
    for item in reversed(words):
        if not _accept(item[2]):
            break
        taken.insert(0, item)
    taken = _trim(taken)
    if len(taken) > 1 and taken[0][2].lower() in PRONOUNS:
        taken = taken[1:]
    if not taken or not _has_head(taken):
        return None
    if len(taken) == 1 and (taken[0][2].lower() in _DETERMINERS or taken[0][2].lower() in INDEFINITES):
        return None
    s, e = taken[0][0], taken[-1][1]
    return Mention(text[s:e], s, e)


def phrase_after(text: str, start: int, end: int) -> Mention | None:
    """The speaker phrase starting at ``start`` (inverted ``said X`` or ``according to X``), up to ``end``."""
    words = _words(text, start, end)
    if words and words[0][2].lower() in PRONOUNS:
        s, e, w = words[0]
        return Mention(w, s, e, pronoun=True)
    taken: list[tuple[int, int, str]] = []
    for item in words:
        if not _accept(item[2]):
            break
        if item[2].endswith(".") and (item[2][0].islower() or len(item[2]) > 4 and not item[2][-3] == "."):
            taken.append((item[0], item[1] - 1, item[2][:-1]))
            break
        taken.append(item)
    taken = _trim(taken)
    if not taken or not _has_head(taken):
        return None
    s, e = taken[0][0], taken[-1][1]
    return Mention(text[s:e], s, e)


#: Written or posted statements that speak for their author ('the letter says', 'in an email praising').
VEHICLE_NOUNS = (
    "statement statements letter letters email emails e-mail e-mails memo memos message messages note "
    "tweet tweets post posts release op-ed".split()
)
_VEHICLE_TAIL = re.compile(
    r"(?:(?P<owner>(?:[A-Z][\w.’'-]*\s+){0,3}[A-Z][\w.’'-]*?)['’]s?|(?P<det>\b[A-Za-z]+))"
    r"(?:\s+(?:[a-z][\w-]*|[A-Z][a-z]+))?\s+(?P<noun>" + "|".join(VEHICLE_NOUNS) + r")\s*$"
)
_ANAPHORIC = frozenset("the this that these those his her its their".split())
#: Verbs whose object is a written vehicle of the subject's words ('X issued a statement saying').
VEHICLE_VERBS = re.compile(
    r"\b(?:issued|issues|released|releases|sent|sends|posted|posts|put\s+out|puts\s+out|published|publishes|"
    r"wrote|writes|fired\s+off|tweeted|shared|shares|e-?mailed)\s*$"
)


def vehicle_before(text: str, start: int, end: int) -> tuple[Mention, str] | None:
    """A written vehicle ending at ``end`` as the subject of a cue ('the letter says', "X's statement said").

    Returns
    -------
    (Mention, how) or None
        ``how`` is 'owner' (a named owner: "Trump's statement" -> Trump), 'anaphor' (a vehicle
        opening its clause, 'the statement read': resolved to the last speaker) or 'object' (the
        object of a publishing verb, 'X issued a statement saying': the clause's subject speaks,
        the mention is the vehicle). None when no vehicle noun ends the text.
    """
    m = _VEHICLE_TAIL.search(text, start, end)
    if m is None:
        return None
    if m.group("owner"):
        s, e = m.start("owner"), m.end("owner")
        owner = phrase_after(text, s, e)
        if owner is None or owner.end != e:
            return None
        return owner, "owner"
    det = m.group("det").lower()
    lead = text[start : m.start()]
    if VEHICLE_VERBS.search(lead) and det in _ANAPHORIC | {"a", "an"}:
        return Mention(text[m.start() : m.end("noun")], m.start(), m.end("noun"), vehicle=True), "object"
    opens = re.fullmatch(r"(?:\s*[A-Z][a-z]+,?)?\s*(?:.*[,;:]\s*(?:and\s+|but\s+)?)?", lead)
    if det in _ANAPHORIC and opens is not None and not re.search(r"[\"“”]", lead[-3:]):
        return Mention(text[m.start() : m.end("noun")], m.start(), m.end("noun"), vehicle=True), "anaphor"
    return None


#: A transcript line's speaker label: one to three upper-case words and a colon ('WALLACE:', 'MR. SMITH:').
_TRANSCRIPT_LABEL = re.compile(r"[\s\"“]*((?:[A-Z][A-Z.'’-]*\s+){0,2}[A-Z][A-Z'’-]+)\s*:\s")
#: Titles written in a transcript label, dropped from the speaker ('MR. SMITH' -> 'Smith').
_LABEL_TITLES = frozenset("MR MRS MS MISS DR SEN REP GOV GEN PROF REV".split())


def title_cased(mention: Mention) -> Mention:
    """An upper-case label read as a name ('SANDERS' -> 'Sanders', 'WASHINGTON POST' -> 'Washington Post').

    Digests and transcripts write speakers in capitals; other mentions are returned unchanged, and so
    are words with a dot ('U.S.').
    """
    letters = [c for c in mention.text if c.isalpha()]
    if len(letters) < 2 or not all(c.isupper() for c in letters):
        return mention
    words = [w if "." in w else w.capitalize() for w in mention.text.split()]
    return Mention(" ".join(words), mention.start, mention.end, mention.descriptor)


def transcript_label(text: str, start: int, end: int, registry: PersonRegistry) -> Mention | None:
    """The speaker label opening ``text[start:end]`` as in a transcript ('WALLACE: ...', 'MR. SMITH: ...').

    The label must name a person: a title ('MR.', 'SEN.'), two or three words ('CHRIS WALLACE'),
    or a word that is part of a full name of the article ('WALLACE' with 'Chris Wallace' mentioned);
    so section labels ('UPDATE:', 'WATCH:') are not speakers. The mention is title-cased without the title.

    Returns
    -------
    Mention or None
        The label's words (title case), with the offsets of the label.
    """
    m = _TRANSCRIPT_LABEL.match(text, start, end)
    if m is None:
        return None
    words = [w.rstrip(".") for w in m.group(1).split()]
    titled = words[0] in _LABEL_TITLES
    name = [w.capitalize() for w in words if w not in _LABEL_TITLES]
    if not name or not (titled or len(name) >= 2 or registry.resolve(name[-1]) is not None):
        return None
    return Mention(" ".join(name), m.start(1), m.end(1), descriptor=m.group(1) if titled else "")


# --------------------------------------------------------------------------
# Person names
# --------------------------------------------------------------------------


def _name_run(words: list[str]) -> list[str]:
    """The trailing run of capitalised name words of a phrase, titles and demonyms stripped."""
    run: list[str] = []
    for w in reversed(words):
        base = _POSSESSIVE.sub("", w)
        if base.endswith(".") and base[:-1] in TITLE_WORDS:
            break
        if (
            not base
            or not base[0].isupper()
            or base in TITLE_WORDS
            or base.isupper()
            and len(base) > 1
            or base.lower() in ROLE_WORDS
            or base in _SENTENCE_ADVERBS
            or base.lower() in _NOT_NAMES
        ):
            break
        run.insert(0, base)
    if len(run) > 3:
        run = run[-2:]
    return run


@dataclass
class PersonRegistry:
    """Full names of people mentioned in one article, for surname and pronoun resolution.

    Parameters
    ----------
    names : list of str
        Full names (two or more words) in order of first mention.
    """

    names: list[str] = field(default_factory=list)
    #: Offsets where each full name is written in the article (filled by :meth:`from_text`).
    positions: dict[str, list[int]] = field(default_factory=dict)

    def add(self, name: str) -> None:
        if len(name.split()) >= 2 and name not in self.names:
            self.names.append(name)

    def resolve(self, word: str, before: int | None = None) -> str | None:
        """The full name whose last (else any) word is ``word``; None when no name matches.

        With ``before`` (the offset of the surname), several full names sharing the word resolve
        to the one written most recently before it ('Bill Clinton ... Hillary Clinton ... Clinton
        said' -> Hillary Clinton); else, and when none precedes it, to the first mentioned.
        """
        word = _POSSESSIVE.sub("", word)
        last = [n for n in self.names if n.split()[-1] == word]
        candidates = last or [n for n in self.names if word in n.split()]
        if len(candidates) > 1 and before is not None:
            latest = {
                n: max((p for p in self.positions.get(n, []) if p < before), default=-1) for n in candidates
            }
            recent = max(candidates, key=lambda n: latest[n])
            return recent if latest[recent] >= 0 else candidates[0]
        return candidates[0] if candidates else None

    @classmethod
    def from_text(
        cls,
        text: str,
        spans: list[tuple[int, int]],
        persons: list[str] | None = None,
        exclude: frozenset[str] = frozenset(),
    ) -> PersonRegistry:
        """Names from spaCy ``persons`` (when given) and from capitalised runs in ``spans`` of ``text``.

        The small spaCy model misses or mislabels names often enough that both
        sources are used; candidates containing an institution word (Ministry,
        Corridor, ...) or a word of ``exclude`` (place names, demonyms) are dropped.
        """
        reg = cls()
        blocked = _ORG_HEADS | exclude
        for p in persons or []:
            name = [_POSSESSIVE.sub("", w) for w in p.split()]
            while name and (
                name[0] in TITLE_WORDS
                or name[0].lower() in _NOT_NAMES | ROLE_WORDS
                or name[0] in _SENTENCE_ADVERBS
            ):
                name = name[1:]
            if len(name) >= 2 and not set(name) & blocked and all(w[:1].isupper() for w in name):
                reg.add(" ".join(name))
        for s, e in spans:
            for run in re.finditer(r"(?:(?:[A-Z]\.|[A-Z][\w'’-]*)\s+){1,5}[A-Z][\w'’-]*", text[s:e]):
                words = run.group().split()
                if any(_POSSESSIVE.search(w) for w in words[:-1]):
                    words = words[: next(i for i, w in enumerate(words) if _POSSESSIVE.search(w)) + 1]
                name = _name_run(words)
                if len(name) >= 2 and not set(name) & blocked:
                    reg.add(" ".join(name))
        for name in reg.names:
            pattern = r"(?<![\w-])" + r"\s+".join(re.escape(w) for w in name.split()) + r"(?![\w-])"
            reg.positions[name] = [m.start() for m in re.finditer(pattern, text)]
        return reg

    def canonical(self, mention: Mention, persons_in_mention: list[str] | None = None) -> tuple[str, bool]:
        """Canonical speaker for a non-pronoun mention and whether it names a person.

        A named person (an entity inside the phrase, or a trailing capitalised run
        that is a registered name or two to three name words) gives the full name;
        anything else is a group or institution and keeps its words, determiner removed. Two
        people joined by 'and' speak together: the first named stands for both ('Ada Moss and
        Ben Ode said' -> Ada Moss; 'House Ways and Means Committee' is no pair of people).
        """
        pair = re.fullmatch(r"(.*?[A-Z][\w.’'-]*)\s+and\s+[A-Z].*", mention.text)
        if pair is not None:
            first = Mention(pair.group(1), mention.start, mention.start + len(pair.group(1)))
            persons = [p for p in persons_in_mention or [] if p in first.text]
            speaker, is_person = self.canonical(first, persons or None)
            if is_person:
                return speaker, True
        for person in reversed(persons_in_mention or []):
            words = [
                _POSSESSIVE.sub("", w)
                for w in person.split()
                if (w[:1].isupper() or w in _NAME_PARTICLES) and w not in TITLE_WORDS
            ]
            while words and (
                words[0].lower() in ROLE_WORDS | _NOT_NAMES
                or words[0] in _SENTENCE_ADVERBS
                or words[0] in _NAME_PARTICLES
            ):
                words = words[1:]
            while words and words[-1] in _NAME_PARTICLES:
                words = words[:-1]
            if not words or set(words) & _ORG_HEADS:
                continue
            full = self.resolve(words[-1], mention.start)
            if full is not None and (len(words) == 1 or full.endswith(" ".join(words))):
                return full, True
            if len(words) >= 2:
                return " ".join(words), True
        words = mention.text.split()
        run = _name_run(words)
        tail_is_role = words[-1].lower() in ROLE_WORDS if words else False
        if len(run) >= 2 and not set(run) & _ORG_HEADS and not tail_is_role:
            return " ".join(run), True
        if len(run) == 1 and len(words) >= 1 and not tail_is_role:
            full = self.resolve(run[0], mention.start)
            if full:
                return full, True
        while words and words[0].lower() in _DETERMINERS:
            words = words[1:]
        if (
            words and words[0].lower() in ROLE_WORDS and (len(words) == 1 or not words[1][:1].isupper())
        ):  # "Local officials" opening a sentence = "local officials"; "State Department" stays a name
            words = [words[0].lower(), *words[1:]]
        return " ".join(words).replace("’", "'"), False
