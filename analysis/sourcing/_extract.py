"""Sourcing: who is quoted, how, and with which attribution verb.

:func:`extract_quotes` returns one row per quotation or reported statement of
every article; :mod:`analysis.sourcing._tables` aggregates it per speaker and
outlet. The extractor is a set of documented rules over how English news
attributes speech (see ``docs/sourcing.md``):

1. **Passages** in double quotes (straight or curly, running over paragraphs)
   or short single-quoted phrases (:mod:`analysis.sourcing._passages`).
2. **Cues**: reporting verbs from the lexicon ``analysis/data/sourcing_verbs.csv``
   (``said``, ``told``, ``claimed``, ``according to`` ...) outside quotation
   marks, each with its speaker phrase (:mod:`analysis.sourcing._speakers`): subject
   before the verb, inverted after it (``said Broers``), after ``according
   to``, before an appositive, the antecedent of ``who``, for a cue joined to an
   earlier verb (``..., but told``) that verb's subject, or, for a participle
   with no subject (``..., saying``), the previous cue's speaker in the sentence.
3. **Attribution** of a passage: the cue right after it in its sentence or
   opening the next one (``"...," Peskov said``, ``"...?" Clinton said.``), or a
   cue clause closing the sentence (``..., Warren said.``); else the nearest cue
   before it, or one ending the previous paragraph with a colon; else a name
   signing it after a dash or introducing it with a colon (or the parsed subject of the clause
   before a colon or comma); else the speaker of
   one of the two previous sentences of the paragraph (no other person named as a
   subject in between); else, for a paragraph that opens with a quotation, the
   last speaker of the two previous paragraphs; else, with a parse, the subject of the verb
   outside the lexicon that takes the quotation as its object or complement (``The memo calls
   it "..."``).
4. **Kind**: ``direct`` when the passage starts its sentence or follows
   ``cue,``/``cue:``; ``partial`` when it is embedded in a sentence with a
   cue; ``scare`` for a phrase of at most four words with no cue in its
   sentence (``naming`` rule after 'so-called', 'dubbed', 'what X called');
   ``indirect`` for a cue with a speaker and a reported clause (``that``, a
   bare clause, ``to``-infinitive or object, per verb) but no quotation.
5. **Speakers** are canonical: full names for people (surnames and pronouns
   resolved), a group's own words otherwise.

With spaCy (:func:`analysis.nlp._spacy.load_spacy`) the person names come from the
named-entity recogniser and cue words the tagger does not call verbs are
dropped ('the claims'); without it, capitalised-word rules do both.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pandas as pd

from analysis.corpus import Corpus
from analysis.corpus import text as textmod
from analysis.data import read_table
from analysis.nlp import load_spacy, parse_texts
from analysis.schemas import validate
from analysis.schemas.sourcing import Quotes
from analysis.sourcing._cues import DOCUMENT_HEAD, ArticleText, Cue, Lexicon, Reader
from analysis.sourcing._passages import MAX_SCARE_WORDS, Passage, naming_cue
from analysis.sourcing._speaker_types import load_affiliations, place_words
from analysis.sourcing._speakers import (
    PRONOUNS,
    Mention,
    phrase_after,
    phrase_before,
    title_cased,
    transcript_label,
)

__all__ = ["extract_quotes", "load_verbs", "QUOTE_COLUMNS"]

QUOTE_COLUMNS = list(Quotes.to_schema().columns)
_CONFIDENCE = {
    "colon": 0.8,
    "transcript": 0.85,
    "dash": 0.85,
    "after": 0.95,
    "inverted": 0.95,
    "before": 0.85,
    "according": 0.9,
    "appositive": 0.9,
    "relative": 0.75,
    "vehicle": 0.75,
    "governor": 0.6,
    "nested": 0.8,
    "participle": 0.8,
    "coordinated": 0.8,
    "controller": 0.75,
    "infinitive": 0.75,
    "carry.sentence": 0.85,
    "carry.paragraph": 0.7,
    "unattributed": 0.3,
    "scare": 0.6,
    "scare.naming": 0.8,
    "indirect.that": 0.75,
    "indirect.zero": 0.6,
    "indirect.to": 0.6,
    "indirect.object": 0.5,
    "indirect.according": 0.8,
}
_TIME = r"(?:week|month|year|morning|afternoon|evening|night|weekend|spring|summer|autumn|fall|winter|[A-Z][a-z]+day)"
_ADVERBIAL_HEAD = re.compile(
    r"\s+(?:on\s+(?:[A-Z]\w*\.?(?:\s+\d{1,2})?|the\s+\w+)|[A-Z][a-z]+day|(?:last|this|earlier\s+this)\s+"
    + _TIME
    + "|earlier|later|"
    r"recently|also|again|(?!only\b)[a-z]+ly|in\s+an?\s+(?:\w+\s+)?(?:statement|interview|speech|post|video|address)"
    r"(?:\s+(?:on|to|with)\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)?)(?=[\s,])"
)
_NOT_CLAUSE = re.compile(
    r"\s+(?:to|on|of|at|in|for|with|about|by|from|into|after|before|during|when|while|if|as|and|but|or|nothing|"
    r"so|goodbye|hello|yes|no|thanks|sorry|later|earlier|again)\b"
)
_OBJECT_WORDS = frozenset("reporters journalists us him her them me the a an parliament lawmakers".split())


def load_verbs(path: str | Path | None = None) -> pd.DataFrame:
    """The attribution-verb lexicon (``analysis/data/sourcing_verbs.csv``, or ``path``).

    Returns
    -------
    DataFrame
        Columns ``lemma``, ``forms`` ('|'-separated inflections), ``category``
        ('neutral' or 'loaded'), ``frames`` ('|'-separated: that, zero, to, object,
        quote, according), ``description``.
    """
    return read_table("sourcing_verbs.csv", path)


# --------------------------------------------------------------------------
# Attribution of passages and indirect statements
# --------------------------------------------------------------------------


def _starts_sentence(art: ArticleText, p: Passage) -> bool:
    s_start = art.sents[art.sentence_at(p.open_mark)][0]
    lead = art.masked[s_start : p.open_mark]
    return re.fullmatch(r"[\s(—–-]*", lead) is not None


_PUNCTUATION_GAP = re.compile(r"[\s,;:—–-]*")
#: Between two quotations of one list: 'and', 'or' or a comma.
_JOINED = re.compile(r"[\s,;]*(?:and|or)?\s*")
#: Words between a quotation and the speaker of the cue after it: up to two lower-case words
#: ('retired general', ', as X said'), or up to six modifiers of the speaker's name with no clause
#: word ('former George W. Bush speechwriter').
_LOWER_MODIFIERS = re.compile(r"[\s,;:—–-]*(?:[a-z][\w/’'-]*\s+){0,2}")
_PREMODIFIERS = re.compile(
    r"[\s,;:—–-]*(?:(?!(?:and|but|or|while|as|when|after|before|because|if|so|is|was|are|were|has|have|had|in|"
    r"on|at|to|for|from|with|that|which|who)\s)[\w/’'.-]+\s+){0,6}"
)
#: What may follow a cue that closes its sentence: a few words of time, place or manner, no clause.
_CLOSING_TAIL = re.compile(r"(?:\s+(?!that\b)[\w.’'-]+){0,7}\s*[.!?]?[”\"’)]?\s*")
#: Or one appositive of up to 20 words after the speaker, no further comma or quotation
#: ('..., said Ada Moss, a pollster at the Civic Institute in Albany.').
_APPOSITIVE_TAIL = re.compile(r",(?:\s+[^\s,;:\"“”]+){1,20}\s*[.!?]?[”\"’)]?\s*")


def _cue_after(art: ArticleText, p: Passage) -> Cue | None:
    """The cue that attributes a passage from after it.

    Either right after the closing mark (``"...," Peskov said``, ``said Broers``), in the same
    sentence or in the next one of the paragraph when the quotation ends its sentence (``"...?"
    Clinton said.``), or a cue clause closing the sentence after a comma (``A cashier who
    "steals a handful" is held accountable, Warren said.``).
    """
    sent = art.sentence_at(max(p.close_end - 1, p.open_mark))
    s_end = art.sents[sent][1]
    joined = next((q for q in art.passages if p.close_end <= q.open_mark < s_end), None)
    if joined is not None and _JOINED.fullmatch(art.masked[p.close_end : joined.open_mark]):
        return _cue_after(art, joined)  # '"A" and "B," X said': both quotations are X's
    candidates = [c for c in art.cues if c.sentence == sent and p.close_end <= c.start < s_end]
    following = sent + 1
    if (
        not candidates
        and following < len(art.sents)
        and art.para_of_sent[following] == art.para_of_sent[sent]
        and _PUNCTUATION_GAP.fullmatch(art.masked[p.close_end : s_end])
    ):
        candidates = [c for c in art.cues if c.sentence == following]
    for cue in candidates:
        if cue.mention is None:
            continue
        if cue.rule == "relative":  # '"...," the official, who asked not to be named, said'
            continue
        gap = art.masked[p.close_end : cue.start]
        if (cue.rule == "inverted" or cue.mention.start > cue.start) and _PUNCTUATION_GAP.fullmatch(gap):
            return cue  # 'said Broers', or a speaker after the verb that only the parser found
        between = art.masked[p.close_end : cue.mention.start]
        modifiers = _LOWER_MODIFIERS.fullmatch(between) or _PREMODIFIERS.fullmatch(between)
        if cue.rule in {"before", "appositive", "parsed"} and modifiers:
            return cue  # '"...," Peskov said', '"...," former Bush speechwriter Noam Neusner wrote'
        return cue if _closes_sentence(art, cue) else None
    return None


def _closes_sentence(art: ArticleText, cue: Cue) -> bool:
    """Whether ``, <speaker> <cue>`` or ``, <cue> <speaker>`` ends the cue's sentence (a few adverbials aside)."""
    if cue.rule not in {"before", "parsed", "inverted", "appositive"}:
        return False
    s_start, s_end = art.sents[cue.sentence][0], art.sents[cue.sentence][1]
    head, tail = (cue.start, cue.mention.end) if cue.rule == "inverted" else (cue.mention.start, cue.end)
    return (
        re.search(r",[”\"’]?\s*$", art.masked[s_start:head]) is not None
        and (
            _CLOSING_TAIL.fullmatch(art.masked[tail:s_end]) is not None
            or _APPOSITIVE_TAIL.fullmatch(art.masked[tail:s_end]) is not None
        )
        and not any(c.sentence == cue.sentence and c.start > cue.end for c in art.cues)
    )


def _cue_before(art: ArticleText, p: Passage) -> tuple[Cue | None, bool]:
    """The nearest cue before the passage in its sentence, and whether the passage is a whole sentence after it.

    That is: the cue (plus at most five words, e.g. an object) ends in ',' or ':' right before the
    opening mark, or the mark follows the cue directly and the quotation opens with a capital.
    A nearest cue with no speaker that does not govern the quotation in the parse gives way to the
    nearest one that does; a bare cue after a modal ('voters will say') to the cue before it.
    """
    sent = art.sentence_at(p.open_mark)
    before = [c for c in art.cues if c.sentence == sent and c.end <= p.open_mark]
    if not before:
        return None, False
    cue = before[-1]
    if cue.mention is None and art.governs(cue, p.start, p.end) is False:
        # 'saying anybody who complains "..."': the speaker is that of the nearest cue governing the quotation
        governing = [c for c in before if c.mention is not None and art.governs(c, p.start, p.end)]
        cue = governing[-1] if governing else cue
    s_start = art.sents[sent][0]
    if cue.form.lower() == cue.lemma and _MODAL_BEFORE.search(art.masked[s_start : cue.start]):
        reporters = [c for c in before if c.end <= cue.start and c.mention is not None]
        cue = reporters[-1] if reporters else cue  # 'X said voters will say "no"': a speech imagined in X's
    sources = [c for c in before if "according" in c.frames and c.mention is not None]
    if cue.mention is None and sources:  # 'According to the playbook, staff were told, "..."'
        cue = sources[-1]
    if cue.mention is None:  # 'said: "..."' with a speaker the rules cannot read: a statement all the same
        return (
            (cue, True) if re.fullmatch(r"\s*[,:]\s*", art.masked[cue.end : p.open_mark]) else (None, False)
        )
    adjacent = (
        cue.mention.end
        if cue.rule in {"inverted", "according"} and cue.mention.start > cue.start
        else cue.end
    )
    gap = art.masked[adjacent : p.open_mark]
    if re.fullmatch(r"\s*", gap):  # 'said "We will ..."': a sentence if it opens with a capital
        return cue, art.text[p.start : p.start + 1].isupper()
    return cue, re.fullmatch(r"(?:\s+[\w’'.-]+){0,5}\s*[,:]\s*", gap) is not None


#: A modal before a bare cue: speech that is foreseen or imagined ('the media would call him a "chicken"').
_MODAL_BEFORE = re.compile(r"\b(?:will|would|could|might|may|should|can|must)(?:\s+\w+ly)?\s+$")


def _attribute(art: ArticleText, p: Passage) -> dict:
    n_words = textmod.count_words(p.text(art.text))
    lead = _starts_sentence(art, p)
    naming = naming_cue(art.text, art.sents[art.sentence_at(p.open_mark)][0], p.open_mark)
    if naming and n_words <= MAX_SCARE_WORDS:  # "what locals call 'the cage'": a name, not a statement
        return dict(kind="scare", cue=None, rule_id="scare.naming", naming=naming)
    spoken = transcript_label(art.text, p.start, p.end, art.registry)
    if spoken is not None:  # '"WALLACE: But, Governor, ...': a transcript line quoted whole
        return dict(kind="direct", cue=None, rule_id="direct.transcript", colon=_label_cue(art, spoken))
    after = _cue_after(art, p)
    before, colon = _cue_before(art, p)
    cue, rule = (
        (after, "after")
        if after and (lead or before is None)
        else (before, "before")
        if before
        else (None, "")
    )
    if cue is not None and rule == "before":
        outer = _outer_speech(art, cue)
        cue, rule = outer, "nested" if outer is not cue else rule
    if cue is not None:
        cue.used = True
        if cue.mention is None:
            rule = "unattributed"
        elif cue.rule not in {"before", "nested"}:
            rule = cue.rule
        kind = "direct" if lead or colon else "partial"
        return dict(kind=kind, cue=cue, rule_id=f"{kind}.{rule}")
    introduced = _cue_ending_previous_paragraph(art, p) if lead else None
    if introduced is not None:  # 'The New York Times reports:' then the quotation as the next paragraph
        introduced.used = True
        return dict(kind="direct", cue=introduced, rule_id="direct.before")
    signed = _dash_signature(art, p)
    if signed is not None:  # '"..." ― Pamela Padilla': a quotation signed after a dash (letters, vox pops)
        return dict(kind="direct", cue=None, rule_id="direct.dash", colon=signed)
    para_start = art.paras[art.para_of_sent[art.sentence_at(p.open_mark)]][0]
    spoken = transcript_label(art.masked, para_start, p.open_mark, art.registry)
    if spoken is not None:  # 'PENCE: As the Journal wrote, "..."': quoted inside a transcript line's speech
        kind = "direct" if lead else "partial"
        return dict(kind=kind, cue=None, rule_id=f"{kind}.transcript", colon=_label_cue(art, spoken))
    s_start = art.sents[art.sentence_at(p.open_mark)][0]
    label = re.fullmatch(r"\s*(\S.{0,60}?)\s*:\s*", art.masked[s_start : p.open_mark])
    if label and p.marks == "double":  # headline style: 'Peskov: "Armenia is close to us"'
        m = phrase_after(art.masked, s_start + label.start(1), s_start + label.end(1))
        label_end = s_start + label.end(1)
        # the name ends the label, or a party and state follow it: 'Rep. Ann Lee (D-Ore.):'
        signed = m is not None and (
            m.end == label_end
            or re.fullmatch(r"\s*\([^()]{1,30}\)", art.masked[m.end : label_end]) is not None
        )
        if (
            not signed
            and m is not None
            and re.fullmatch(r"\s*,[^,]{1,40}", art.masked[m.end : s_start + label.end(1)])
        ):
            # a roundup's 'Meghan McCain, Twitter: "..."': a person's name, then where it was said
            signed = art.registry.canonical(m)[1]
        if signed:  # an upper-case label ('SANDERS: "..."', digests and transcripts) is a name in title case
            m = title_cased(m)
            cue = Cue(
                m.start, m.end, ":", ":", "neutral", frozenset(), art.sentence_at(p.open_mark), m, "colon"
            )
            return dict(kind="direct", cue=None, rule_id="direct.colon", colon=cue)
    introducer = _colon_introducer(art, p)
    if introducer is not None:  # 'More from Jones: "..."', 'Clinton has since apologized: "..."'
        return dict(kind="direct", cue=None, rule_id="direct.colon", colon=introducer)
    vehicle = art.vehicle_cue(art.sentence_at(p.open_mark), p.open_mark) if p.marks == "double" else None
    if vehicle is not None:  # 'X sent an email praising his "body language"'
        kind = "direct" if lead else "partial"
        return dict(kind=kind, cue=None, rule_id=f"{kind}.vehicle", colon=vehicle)
    text = p.text(art.text)
    sentence_like = (
        lead and n_words >= 2 and text[:1].isupper() and text.rstrip("”\"'’)").endswith((".", "!", "?", "…"))
    )
    if (n_words <= MAX_SCARE_WORDS and not sentence_like) or p.marks == "single":
        return dict(kind="scare", cue=None, rule_id="scare.naming" if naming else "scare", naming=naming)
    kind = "direct" if lead else "partial"
    return dict(kind=kind, cue=None, rule_id="pending", lead=lead, governor=_governing_cue(art, p))


def _governing_cue(art: ArticleText, p: Passage) -> Cue | None:
    """The subject of the verb taking a quotation as object or complement, as a cue, when it can speak.

    A person (or 'he'/'she'), a named institution or a document phrase ('The Rove ad hits Clinton
    for taking "..."', 'His LinkedIn page lists him as "..."'); only with a parse, and only for
    quotations that are no scare quotes (see :func:`_attribute`).
    """
    if p.marks != "double":
        return None
    m = art.governing_subject(p)
    if m is None or (m.pronoun and m.text.lower() not in {"he", "she"}):
        return None
    if not m.pronoun:
        speaker, person = art.registry.canonical(m)
        if not (person or _names_source(speaker, m)):
            return None
    sent = art.sentence_at(p.open_mark)
    return Cue(m.start, m.end, ":", ":", "neutral", frozenset(), sent, m, "governor")


def _outer_speech(art: ArticleText, cue: Cue) -> Cue:
    """The cue whose reported clause holds ``cue`` when its speaker is a group pronoun.

    'Moore said he felt they were saying, "..."': 'they' speak inside Moore's report, so the
    quotation is Moore's. Else ``cue`` itself.
    """
    if cue.mention is None or not cue.mention.pronoun or cue.mention.text.lower() in {"he", "she", "i"}:
        return cue
    outer = [
        c
        for c in art.cues
        if c.sentence == cue.sentence
        and c.end <= cue.mention.start
        and c.mention is not None
        and not c.mention.pronoun
        and c.mention.end <= c.start
        and {"that", "zero"} & c.frames
    ]
    return outer[-1] if outer else cue


def _label_cue(art: ArticleText, label: Mention) -> Cue:
    """A transcript line's speaker label as the cue of what it says."""
    return Cue(
        label.start,
        label.end,
        ":",
        ":",
        "neutral",
        frozenset(),
        art.sentence_at(label.start),
        label,
        "transcript",
    )


def _cue_ending_previous_paragraph(art: ArticleText, p: Passage) -> Cue | None:
    """A cue with a speaker ending the previous paragraph with a colon, for a quotation opening its paragraph."""
    sent = art.sentence_at(p.open_mark)
    para = art.para_of_sent[sent]
    if sent == 0 or art.sents[sent][0] != art.paras[para][0] or art.para_of_sent[sent - 1] != para - 1:
        return None
    s_end = art.sents[sent - 1][1]
    cues = [c for c in art.cues if c.sentence == sent - 1 and c.mention is not None]
    if not cues:
        return None
    cue = cues[-1]
    end = max(cue.end, cue.mention.end)
    return cue if re.fullmatch(r"(?:\s+[\w’'.-]+){0,5}\s*:\s*", art.masked[end:s_end]) else None


def _colon_introducer(art: ArticleText, p: Passage) -> Cue | None:
    """Who introduces a quotation after a colon, or a comma, with no cue.

    After a colon: a person named just before it, else a person opening the sentence, else
    the parser's subject of the clause before it when that is a person, a named institution
    ('The Clinton campaign, in a Q&A, worded it carefully: "..."') or a document phrase ('The
    memo was blunt: "..."'). After a comma, for a
    quotation that opens with a capital ('Clinton shared her worry with an audience, "I do not
    know ..."'), only that parsed subject.
    """
    sent = art.sentence_at(p.open_mark)
    s_start = art.sents[sent][0]
    mark = re.search(r"(?:(:)|,)\s*$", art.masked[s_start : p.open_mark])
    if p.marks != "double":
        return None
    if mark is None:
        return _introducing_paragraph(art, p, sent)
    if mark.group(1) is None and (
        not art.text[p.start : p.start + 1].isupper()
        or _TITLE_BEFORE.search(art.masked[s_start : p.open_mark])
    ):
        return None  # after a comma: a sentence, not a title ('an editorial, entitled, "..."')
    colon = mark.group(1) is not None
    return _colon_speaker(art, sent, s_start, s_start + mark.start(), p.open_mark if colon else None)


def _introducing_paragraph(art: ArticleText, p: Passage, sent: int) -> Cue | None:
    """The speaker of a paragraph that ends with a colon, for a quotation opening the next one.

    'Ada Moss made the following comment:' or 'Tim Ode echoed:' (a verb outside the lexicon), then
    the quotation as the next paragraph: the speaker of the paragraph's last cue, however far from the
    colon ('As Ada Moss reported after the board met in Lakeview:'), else the same speakers as for a
    colon inside the sentence.
    """
    para = art.para_of_sent[sent]
    s_start = art.sents[sent][0]
    if (
        sent == 0
        or s_start != art.paras[para][0]
        or art.para_of_sent[sent - 1] != para - 1
        or not re.fullmatch(r"[\s(—–-]*", art.masked[s_start : p.open_mark])
    ):
        return None
    prev_start, prev_end = art.sents[sent - 1][0], art.sents[sent - 1][1]
    colon = re.search(r":\s*$", art.masked[prev_start:prev_end])
    if colon is None:
        return None
    spoken = [c for c in art.cues if c.sentence == sent - 1 and c.mention is not None]
    if spoken:  # 'As X reported after the FBI left the scene in Y:': the cue's speaker, far from the colon
        return spoken[-1]
    return _colon_speaker(art, sent - 1, prev_start, prev_start + colon.start(), prev_end)


def _colon_speaker(art: ArticleText, sent: int, s_start: int, end: int, colon_end: int | None) -> Cue | None:
    """The speaker of the clause ``text[s_start:end]`` before a colon (or, with ``colon_end`` None, a comma).

    ``colon_end`` is where the text after the colon ends: the opening mark, or the end of the sentence.
    """
    found = [art.parsed_root_subject(s_start, end)]
    if colon_end is not None:
        found = [phrase_before(art.masked, s_start, end), art.opening_subject(s_start, colon_end), *found]
    for m in found:
        if m is None or m.pronoun:
            continue
        speaker, person = art.registry.canonical(m)
        if person or (m is found[-1] and _names_source(speaker, m)):
            return Cue(m.start, m.end, ":", ":", "neutral", frozenset(), sent, m, "colon")
    return None


#: A title introduced after a comma ('a column, entitled, "..."'), not a statement.
_TITLE_BEFORE = re.compile(r"\b(?:entitled|titled|headlined|named|dubbed|called|reading|read)\s*,\s*$")


def _names_institution(speaker: str) -> bool:
    """Whether a group speaker is named with a capitalised word ('Clinton campaign', not 'the answer')."""
    return any(w[:1].isupper() for w in speaker.split())


def _names_source(speaker: str, mention: Mention) -> bool:
    """Whether a speaker that is no person can speak: a named institution or a document phrase ('the memo')."""
    return _names_institution(speaker) or DOCUMENT_HEAD.search(mention.text.lower()) is not None


def _dash_signature(art: ArticleText, p: Passage) -> Cue | None:
    """The name after a dash that closes the quotation's paragraph or sentence, as a cue.

    '"..." ― Jorge Falcon' (letters, vox pops), '"..." - Ada Moss. Moss later ...' (fact checks:
    a hyphen between spaces is a dash), or a paragraph of its own after a quotation closing its
    paragraph ('"..."', then '- Ada Moss.').
    """
    sent = art.sentence_at(max(p.close_end - 1, p.open_mark))
    para = art.para_of_sent[sent]
    begin, para_end = p.close_end, art.paras[para][1]
    if re.fullmatch(r"[\s.,]*", art.masked[begin:para_end]) and para + 1 < len(art.paras):
        begin, para_end = art.paras[para + 1][0], art.paras[para + 1][1]
    dash = re.match(r"[\s,]*(?:[―—–]|(?:^|(?<=\s))-(?=\s))\s*", art.masked[begin:para_end])
    if p.marks != "double" or dash is None:
        return None
    start = begin + dash.end()
    m = phrase_after(art.masked, start, para_end)
    if m is None or m.start != start:
        return None
    ends = (para_end, art.sents[art.sentence_at(m.start)][1])
    if not any(re.fullmatch(r"[\s.]*", art.masked[m.end : end]) for end in ends):
        return None
    return Cue(m.start, m.end, "―", "―", "neutral", frozenset(), art.sentence_at(m.start), m, "dash")


def _indirect_span(art: ArticleText, cue: Cue) -> tuple[int, int, str] | None:
    s_start, s_end = art.sents[cue.sentence][0], art.sents[cue.sentence][1]
    if "according" in cue.frames:
        lead = art.masked[s_start : cue.start]
        comma = art.masked.find(",", cue.mention.end, s_end)
        if textmod.count_words(lead) <= 1:  # "According to X, ..." (or "Meanwhile, according to X, ...")
            start, end = (comma + 1 if 0 <= comma < cue.mention.end + 40 else cue.mention.end), s_end
        elif re.search(r",\s*$", lead) and re.match(r"\s*,", art.masked[cue.mention.end : s_end]):
            start, end = s_start, s_end  # parenthetical: the whole sentence is the reported content
        else:
            start, end = s_start, cue.start
        return _trim_span(art, start, end), "according"
    after = art.masked[cue.end : s_end]
    skipped = _ADVERBIAL_HEAD.match(after)
    while skipped and skipped.end() > 0:
        after = " " + after[skipped.end() :]
        skipped = _ADVERBIAL_HEAD.match(after)
    offset = s_end - len(after)
    if cue.rule == "inverted":
        return None
    frame = None
    that = re.match(r"\s+((?:[\w’'.-]+\s+){0,4}?)that\s", after)
    if (
        "that" in cue.frames
        and that
        and all(w[0].isupper() or w.lower() in _OBJECT_WORDS for w in that.group(1).split())
    ):
        frame, start = "that", offset + that.end()
    elif "to" in cue.frames and re.match(r"\s+to\s+[a-z]", after):
        frame, start = "to", offset + 1
    elif "zero" in cue.frames and re.match(r"\s+[\w’'-]+\b(?!\s*,)", after) and not _NOT_CLAUSE.match(after):
        frame, start = "zero", offset + 1
    elif (
        "object" in cue.frames
        and re.match(r"\s+(?:the\s+|a\s+|an\s+)?[\w’'-]+", after)
        and not re.match(r"\s+(?:to|on|of|at|in|for|with|about|by)\b", after)
    ):
        frame, start = "object", offset + 1
    if frame is None:
        return None
    stops = [
        c.start
        for c in art.cues
        if c.sentence == cue.sentence
        and c.start > start
        and (c.rule == "participle" or "according" in c.frames)
    ]
    stops += [
        c.mention.start
        for c in art.cues
        if c.sentence == cue.sentence
        and c.mention is not None
        and c.mention.start > start
        and c.rule in {"before", "appositive"}
        and re.search(r"[,;]\s*(?:while|and|but|whereas)?\s*$", art.masked[start : c.mention.start])
    ]
    stops += [p.open_mark for p in art.passages if start <= p.open_mark < s_end]
    return _trim_span(art, start, min([s_end, *stops])), frame


def _trim_span(art: ArticleText, start: int, end: int) -> tuple[int, int]:
    while start < end and not art.text[start].isalnum():
        start += 1
    while end > start and (art.text[end - 1] in ' ,;:.—–-“”"‘’' or art.text[end - 1].isspace()):
        end -= 1
    dangling = re.search(r"[,;]?\s*\b(?:while|and|but|whereas|as)$", art.text[start:end])
    if dangling:  # "..., while" before the next speaker's clause
        return _trim_span(art, start, start + dangling.start())
    return start, end


def _read_article(art: ArticleText) -> list[dict]:
    reader = Reader(art)
    rows: list[dict] = []
    by_sentence: dict[int, list[Passage]] = {}
    for p in art.passages:
        by_sentence.setdefault(art.sentence_at(p.open_mark), []).append(p)
    for i in range(len(art.sents)):
        reader.note_sentence(i)
        found = [(p, _attribute(art, p)) for p in by_sentence.get(i, [])]
        events = [(f["cue"].start if f["cue"] else p.start, 0, p, f) for p, f in found]
        events += [(c.start, 1, c, None) for c in art.cues if c.sentence == i and not c.used]
        for _, is_cue, item, f in sorted(events, key=lambda e: (e[0], e[1])):
            row = _indirect_row(art, reader, item) if is_cue else _passage_row(art, reader, item, f)
            if row is not None:
                rows.append(row)
    return rows


def _passage_row(art: ArticleText, reader: Reader, p: Passage, found: dict) -> dict:
    cue, sent = found["cue"], art.sentence_at(p.open_mark)
    speaker = mention = None
    rule_id, kind = found["rule_id"], found["kind"]
    tag = cue or found.get("colon")
    # the speech event covers the quotation's sentences and its cue's: '"A," X said. "B."' carries X to B
    last = max(art.sentence_at(max(p.close_end - 1, p.open_mark)), tag.sentence if tag else sent)
    if tag is not None:
        speaker, mention, person = reader.resolve(tag)
        for i in range(sent, last + 1):
            reader.record(i, speaker, mention, person)
    elif rule_id == "pending":
        carried = reader.carry(sent, found["lead"])
        if carried is not None:
            (speaker, mention, person), how = carried
            rule_id = f"{kind}.{how}"
            for i in range(sent, last + 1):
                reader.record(i, speaker, mention, person)
        elif found.get("governor") is not None:  # 'The memo calls it "..."': the subject of the verb
            tag = found["governor"]
            speaker, mention, person = reader.resolve(tag)
            rule_id = f"{kind}.governor"
            for i in range(sent, last + 1):
                reader.record(i, speaker, mention, person)
        else:
            rule_id = "unattributed"
    return _row(
        art,
        p.start,
        p.end,
        p.text(art.text),
        p.pieces,
        kind,
        speaker,
        mention,
        cue,
        rule_id,
        p.marks,
        naming=found.get("naming"),
    )


def _indirect_row(art: ArticleText, reader: Reader, cue: Cue) -> dict | None:
    if cue.mention is None:
        return None
    speaker, mention, person = reader.resolve(cue)
    span = _indirect_span(art, cue)
    if span is None or span[0][1] - span[0][0] < 3:
        reader.record(cue.sentence, speaker, mention, person, weak=True)  # 'Schiff said.' then a quotation
        return None
    reader.record(cue.sentence, speaker, mention, person)
    (s, e), frame = span
    return _row(
        art, s, e, art.text[s:e], [(s, e)], "indirect", speaker, mention, cue, f"indirect.{frame}", "none"
    )


def _row(art, start, end, text, pieces, kind, speaker, mention, cue, rule_id, marks, naming=None) -> dict:
    sent_ids = list(
        dict.fromkeys(art.sents[art.sentence_at(s)][2] for s0, e0 in pieces for s in (s0, max(s0, e0 - 1)))
    )
    para_ids = list(dict.fromkeys(art.sents[art.sentence_at(s)][3] for s, _ in pieces))
    base = rule_id.split(".", 1)[-1] if rule_id.startswith(("direct.", "partial.")) else rule_id
    confidence = _CONFIDENCE.get(base, _CONFIDENCE.get(rule_id, 0.5))
    if mention is not None and mention.lower() in PRONOUNS:
        confidence *= 0.9
    return dict(
        article_id=art.article_id,
        outlet=art.outlet,
        kind=kind,
        text=" ".join(text.split()),
        start=int(start),
        end=int(end),
        n_words=textmod.count_words(text),
        paragraph_id=para_ids[0],
        paragraph_ids=" ".join(para_ids),
        sentence_id=sent_ids[0],
        sentence_ids=" ".join(sent_ids),
        speaker=speaker if kind != "scare" else None,
        speaker_mention=mention if kind != "scare" else None,
        cue=(cue.form if cue is not None else naming),
        cue_lemma=(cue.lemma if cue is not None else ("call" if naming else None)),
        cue_category=(cue.category if cue is not None else ("naming" if naming else None)),
        marks=marks,
        rule_id=rule_id,
        confidence=round(confidence, 3),
    )


def extract_quotes(
    corpus: Corpus, *, nlp="auto", verbs: str | Path | pd.DataFrame | None = None
) -> pd.DataFrame:
    """Every quotation and reported statement in ``corpus``, one row each.

    Parameters
    ----------
    corpus : Corpus
        From :func:`analysis.corpus._load.load_corpus` or ``build_corpus``; only kept paragraphs are read.
    nlp : 'auto', None or a spaCy Language
        'auto' uses :func:`analysis.nlp._spacy.load_spacy` (None when unavailable or disabled);
        None forces the pattern-only rules.
    verbs : path or DataFrame, optional
        Attribution-verb lexicon replacing the shipped one (same columns as :func:`load_verbs`).

    Returns
    -------
    DataFrame
        Schema :class:`analysis.schemas.sourcing.Quotes`; columns ``article_id``, ``outlet``,
        ``quote_id``, ``kind`` (direct, partial, indirect, scare), ``text`` (the quoted words with
        whitespace runs collapsed to one space: within one paragraph ``' '.join(article[start:end].split())``),
        ``start`` < ``end`` (offsets of the quoted words or the reported clause in the article text), ``n_words``,
        ``paragraph_id``, ``paragraph_ids``, ``sentence_id``, ``sentence_ids``, ``speaker``,
        ``speaker_mention``, ``cue``, ``cue_lemma``, ``cue_category`` (neutral, loaded, naming),
        ``marks`` (double, single, none), ``rule_id``, ``confidence``. Sorted by article and offset.
    """
    model = load_spacy() if isinstance(nlp, str) and nlp == "auto" else nlp
    lexicon = Lexicon(verbs if isinstance(verbs, pd.DataFrame) else load_verbs(verbs))
    places = place_words(load_affiliations())
    rows: list[dict] = []
    paras = corpus.paragraphs.groupby("article_id", sort=False)
    sents = corpus.sentences.groupby("article_id", sort=False)
    articles = list(corpus.articles.itertuples(index=False))
    if model is None:
        docs = itertools.repeat(None)
    elif model is load_spacy():  # the verified pipeline: its parse is cached and shared
        docs = parse_texts([r.text for r in articles], what="articles")
    else:
        docs = model.pipe(r.text for r in articles)
    for row, doc in zip(articles, docs, strict=False):
        art = ArticleText(
            row, paras.get_group(row.article_id), sents.get_group(row.article_id), lexicon, doc, places
        )
        found = sorted(_read_article(art), key=lambda r: (r["start"], r["end"]))
        for n, r in enumerate(found):
            r["quote_id"] = f"{row.article_id}:q{n}"
        rows.extend(found)
    out = pd.DataFrame(rows, columns=QUOTE_COLUMNS)
    for col in ("start", "end", "n_words"):
        out[col] = out[col].astype("int64")
    out["confidence"] = out["confidence"].astype("float64")
    return validate(out[QUOTE_COLUMNS], Quotes, table="quotes")
