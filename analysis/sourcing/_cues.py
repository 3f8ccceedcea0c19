"""Reading state of one article for :mod:`analysis.sourcing._extract`: cues, speakers, salience.

:class:`ArticleText` finds the quoted passages and every attribution cue (a
verb-lexicon form outside quotation marks) with its speaker phrase;
:class:`Reader` keeps, while the article is read in order, the salient person
of each sentence (for pronouns) and the last speaker (for quotations carried
over from an earlier sentence or paragraph). The rules are documented in
:mod:`analysis.sourcing._extract` and ``docs/sourcing.md``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import pandas as pd

from analysis.sourcing._passages import Passage, find_passages
from analysis.sourcing._speakers import (
    INDEFINITES,
    PRONOUNS,
    ROLE_WORDS,
    VEHICLE_NOUNS,
    VEHICLE_VERBS,
    Mention,
    PersonRegistry,
    phrase_after,
    phrase_before,
    subject_before,
    vehicle_before,
)

__all__ = ["Cue", "Lexicon", "ArticleText", "Reader", "mask_passages", "bare_form_ok", "DOCUMENT_HEAD"]

_NOUN_BEFORE = re.compile(
    r"\b(?:the|a|an|this|that|these|those|his|her|its|their|our|my|your|such|any|no|whose)\s+$", re.IGNORECASE
)
_NOT_NAMES = frozenset(
    "the a an in on at for with by from to of as if when while after this that there it".split()
)
_PREPOSITIONS = frozenset(
    "with to by from of for against on at about toward towards into between among".split()
)


@dataclass
class Cue:
    start: int
    end: int
    form: str
    lemma: str
    category: str
    frames: frozenset[str]
    sentence: int
    mention: Mention | None = None
    rule: str = ""
    inherited: Cue | None = None
    used: bool = False


def introduces_quotation(text: str, end: int) -> bool:
    """Whether a quotation mark opens right after ``end``, after at most a comma or colon ('said: "')."""
    return re.match(r"[ \t]*[,:]?[ \t]*[“\"]", text[end : end + 4]) is not None


def bare_form_ok(before: str, mention: Mention) -> bool:
    """A bare verb form ('claim', 'say') is a cue after a plural or first/second-person subject or an auxiliary."""
    if re.search(r"\b(?:will|would|could|can|may|might|must|should|to|did|do|does|not|n[’']t)\s*$", before):
        return True
    last = mention.text.split()[-1].lower()
    return last in {"i", "we", "you", "they"} or (last.endswith("s") and not last.endswith("ss"))


class Lexicon:
    def __init__(self, verbs: pd.DataFrame):
        self.by_form: dict[str, tuple[str, str, frozenset[str]]] = {}
        for row in verbs.itertuples(index=False):
            for form in row.forms.split("|"):
                self.by_form[form.lower()] = (row.lemma, row.category, frozenset(row.frames.split("|")))
        forms = sorted(self.by_form, key=len, reverse=True)
        self.pattern = re.compile(
            r"(?<![\w'’-])(?:"
            + "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms)
            + r")(?![\w'’-])",
            re.IGNORECASE,
        )

    def lookup(self, form: str) -> tuple[str, str, frozenset[str]]:
        return self.by_form[" ".join(form.lower().split())]


def mask_passages(article: str, passages: list[Passage]) -> str:
    chars = list(article)
    for p in passages:
        for s, e in p.pieces:
            chars[s:e] = " " * (e - s)
    return "".join(chars)


class ArticleText:
    """The state of one article while it is being read."""

    def __init__(self, row, paragraphs: pd.DataFrame, sentences: pd.DataFrame, lexicon: Lexicon, doc, places):
        self.article_id, self.outlet, self.text = row.article_id, row.outlet, row.text
        self.paras = list(
            zip(paragraphs["start"], paragraphs["end"], paragraphs["paragraph_id"], strict=True)
        )
        self.sents = list(
            zip(
                sentences["start"],
                sentences["end"],
                sentences["sentence_id"],
                sentences["paragraph_id"],
                strict=True,
            )
        )
        self.sent_starts = [s[0] for s in self.sents]
        self.para_of_sent = {i: [p[2] for p in self.paras].index(s[3]) for i, s in enumerate(self.sents)}
        self.passages = find_passages(self.text, [(s, e) for s, e, _ in self.paras])
        self.masked = mask_passages(self.text, self.passages)
        self.doc = doc
        # names come from body text only: title-case headlines ("Putin Intervenes") make false names
        body = [
            (s, e)
            for s, e, role in zip(paragraphs["start"], paragraphs["end"], paragraphs["role"], strict=True)
            if role == "body"
        ]
        persons = None
        if doc is not None:
            persons = [
                e.text
                for e in doc.ents
                if e.label_ == "PERSON"
                and "/" not in e.text
                and not self._in_quote(e.start_char)
                and any(a <= e.start_char < b for a, b in body)
            ]
        self.registry = PersonRegistry.from_text(self.masked, body, persons, places)
        self.cues = self._find_cues(lexicon)

    def _in_quote(self, pos: int) -> bool:
        return self.masked[pos] == " " and self.text[pos] != " "

    def sentence_at(self, pos: int) -> int:
        return max(bisect.bisect_right(self.sent_starts, pos) - 1, 0)

    def _is_verb(self, start: int, end: int) -> bool:
        if self.doc is None:
            return True
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return span is None or span[0].pos_ in {"VERB", "AUX"} or span.text.lower().startswith("according")

    def _inside_name(self, start: int, end: int) -> bool:
        """Whether the parser reads ``text[start:end]`` as the continuation of a named entity ('United States')."""
        if self.doc is None:
            return False
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return span is not None and span[0].ent_iob_ == "I"

    def _find_cues(self, lexicon: Lexicon) -> list[Cue]:
        cues: list[Cue] = []
        for i, (s_start, s_end, _, _) in enumerate(self.sents):
            previous: Cue | None = None
            for m in lexicon.pattern.finditer(self.masked, s_start, s_end):
                form = m.group()
                introduces = introduces_quotation(self.text, m.end())
                if form[0].isupper() and m.start() != s_start and not introduces:
                    continue  # capitalised mid-sentence: a title-case headline word, unless it opens a quotation ('Tweeted:')
                infinitive = form.islower() and re.search(r"\bto\s+$", self.masked[s_start : m.start()])
                if not self._is_verb(m.start(), m.end()) and not (
                    form[0].isupper()
                    and introduces
                    and not self._inside_name(m.start(), m.end())
                    or infinitive
                ):
                    continue  # ('to state' is a verb whatever the tagger says; 'the United States "must"' is a name)
                lemma, category, frames = lexicon.lookup(form)
                if _NOUN_BEFORE.search(self.masked[s_start : m.start()]):
                    continue  # "the report", "his claims", "such warnings": a noun, not a cue
                if re.match(
                    r"\s+(?:not\s+to\s+be\s+(?:named|identified)|for\s+anonymity)",
                    self.masked[m.end() : s_end],
                ):
                    continue  # "who asked not to be named": an anonymity formula, not a statement
                following = self.masked[m.end() : m.end() + 30].split()[:1]
                if (
                    form.lower() == lemma != "according to"
                    and following
                    and following[0].lower().strip(",.") in ROLE_WORDS
                ):
                    continue  # a bare form before a role noun is a modifier: "state media", "report authors"
                cue = Cue(m.start(), m.end(), form, lemma, category, frames, i)
                self._speaker_of(cue, s_start, s_end, previous)
                cues.append(cue)
                previous = cue
        return cues

    def _speaker_of(self, cue: Cue, s_start: int, s_end: int, previous: Cue | None) -> None:
        if "according" in cue.frames:
            mention = phrase_after(self.masked, cue.end, s_end) or document_after(self.masked, cue.end, s_end)
            cue.mention, cue.rule = mention, "according"
            return
        before = self.masked[s_start : cue.start].rstrip()
        if cue.form.lower().endswith("ing"):
            # a participle takes the subject of the clause it hangs on: "..., saying"; none after a preposition
            if (
                previous is not None
                and previous.mention is not None
                and re.search(r"(?:,[”\"’]?|\band)$", before)
            ):
                cue.inherited, cue.mention, cue.rule = previous, previous.mention, "participle"
            elif re.search(r"\bby$", before) or (
                _PREPOSITION_BEFORE_GERUND.search(before) and introduces_quotation(self.text, cue.end)
            ):  # "X ended by saying", 'X said before adding: "..."'
                cue.mention, cue.rule = self._clause_subject(cue, s_start), "participle"
                if cue.mention is None and previous is not None and previous.mention is not None:
                    cue.inherited, cue.mention = previous, previous.mention  # no parse: the previous cue's
            elif not re.search(r",[”\"’]?$", before):  # absolute construction: "with officials claiming ..."
                cue.mention, cue.rule = subject_before(self.masked, s_start, cue.start), "before"
                if cue.mention is None:  # 'X issued a statement calling ...'
                    cue.mention, cue.rule = self._vehicle_speaker(s_start, cue.start, cue.rule)
                if cue.mention is None and not before.strip():  # 'Acknowledging that ..., Allen suggested'
                    cue.mention, cue.rule = self._main_subject(cue, s_start, s_end), "participle"
                if (
                    cue.mention is None
                    and self.doc is not None
                    and not _PREPOSITION_END.search(before)
                    and re.match(r"\s*(?:that\b|[:,]?\s*[“\"])", self.text[cue.end : s_end])
                ):
                    # 'X posted tweets on Friday saying': the clause's subject (not after a preposition, see above)
                    cue.mention, cue.rule = self._clause_subject(cue, s_start), "participle"
            else:  # "X mocked the complaint, saying ...": the subject of the clause it hangs on
                cue.mention, cue.rule = self._clause_subject(cue, s_start), "participle"
            return
        if re.search(r"\b(?:was|were|is|are|be|been|being)(?:\s+\w+ly)?$", before, re.IGNORECASE):
            return  # passive: "it was said that", "Nothing was said"; the subject is not the speaker
        relative = re.search(r"(?:,\s*)?\bwho(?:\s+(?:had|has|have|was|also|\w+ly))*\s*$", before)
        if _COORDINATED.search(before):  # 'X took the stage and told ...': the first verb's subject speaks
            cue.mention, cue.rule = self._coordinated_subject(cue, s_start, previous), "coordinated"
            return
        if relative:
            mention, rule = phrase_before(self.masked, s_start, s_start + relative.start()), "relative"
        else:
            mention = subject_before(self.masked, s_start, cue.start)
            rule = "appositive" if mention is not None and mention.descriptor else "before"
        if mention is not None and re.search(r"['’]s?$", mention.text):
            mention = None  # a possessive is no subject: "Baku's claims"
        if (
            mention is not None
            and len(mention.text.split()) > 1
            and mention.text.split()[0].lower() in INDEFINITES
        ):
            cue.rule = "relative"  # 'Nothing the mayor said "will ..."': a relative clause of 'nothing' reports nothing
            return
        if mention is None and not relative:  # 'the letter says', "X's statement said"
            mention, rule = self._vehicle_speaker(s_start, cue.start, rule)
        if mention is None and before.endswith(" to"):  # 'prompted the Ledger, which ..., to state'
            mention, rule = self._controller(s_start, cue.start), "controller"
            if mention is None:  # 'X went on to say': the subject of the verb the infinitive completes
                mention, rule = self._clause_subject(cue, s_start), "infinitive"
        if (
            mention is not None
            and rule != "vehicle"
            and cue.form.lower() == cue.lemma
            and not bare_form_ok(before, mention)
            and not (cue.form.islower() and introduces_quotation(self.text, cue.end))
        ):
            mention = None  # "Russian state propaganda": a bare form needs a plural subject or an auxiliary
            # (unless it introduces a quotation: 'as X put it, "..."', where past and bare forms agree)
        after_mark = re.fullmatch(r"[\s,“”\"'‘’—–-]*", self.masked[max(s_start, cue.start - 3) : cue.start])
        after_clause = re.search(r",\s*$", self.masked[s_start : cue.start])
        if mention is None and cue.form.lower() != cue.lemma and (after_mark or after_clause):
            inverted = phrase_after(self.masked, cue.end, s_end) or self._modified_inverted(cue.end, s_end)
            # after a clause and a comma the inverted speaker closes the sentence ('..., said Omar Pike,
            # a pollster.'), else the cue has its subject before ('X's lawyer, Al Ode, said Nunberg was')
            if inverted is not None and (
                after_mark or _SPEAKER_CLOSES.fullmatch(self.masked[inverted.end : s_end])
            ):
                mention, rule = inverted, "inverted"
        if mention is not None and _TIME_ONLY.fullmatch(mention.text):
            mention = None  # 'A TV ad released Thursday accuses': a date is no speaker
        if mention is None and not cue.form.lower() == cue.lemma:
            mention = self._parsed_subject(cue, s_start)
            rule = "parsed" if mention is not None else rule
        cue.mention, cue.rule = mention, rule

    def governs(self, cue: Cue, start: int, end: int) -> bool | None:
        """Whether the parsed verb of ``cue`` governs a word of ``text[start:end]`` (is its ancestor); None without a parse.

        The quotation's speaker is that of the innermost speech verb governing it: in 'X said,
        mocking those who complain, that it "fails"' the relative clause's verb does not govern it.
        """
        if self.doc is None or "according" in cue.frames:
            return None
        verb = self.doc.char_span(cue.start, cue.end, alignment_mode="expand")
        words = self.doc.char_span(start, end, alignment_mode="expand")
        if verb is None or words is None:
            return None
        return any(verb[0].is_ancestor(word) for word in words)

    def _vehicle_speaker(self, s_start: int, end: int, rule: str) -> tuple[Mention | None, str]:
        """The speaker behind a written vehicle ending at ``end`` ('the statement read', "X's letter says").

        A named owner speaks; a vehicle opening its clause is kept as a vehicle mention (the
        reader resolves it to the last speaker); the object of a publishing verb ('X issued a
        statement saying') gives the verb's subject. Else no mention and ``rule`` unchanged.
        """
        before = self.masked[s_start:end].rstrip()
        tail = re.search(r"(?:,?\s+(?:that|which))$", before)
        found = vehicle_before(self.masked, s_start, s_start + (tail.start() if tail else len(before)))
        if found is None:
            return None, rule
        mention, how = found
        if how == "object":
            mention = self._publisher(s_start, mention.start)
        return (mention, "vehicle") if mention is not None else (None, rule)

    def _publisher(self, s_start: int, end: int) -> Mention | None:
        """The subject of the publishing verb ending at ``end`` ('X sent an'): the parser's, else a name opening the sentence."""
        verb = VEHICLE_VERBS.search(self.masked, s_start, end)
        if verb is not None and self.doc is not None:
            span = self.doc.char_span(verb.start(), verb.start() + 1, alignment_mode="expand")
            return self._subject_of(span[0], s_start) if span is not None else None
        mention = self.opening_subject(s_start, end)
        return mention if mention is not None and verb is not None and mention.end <= verb.start() else None

    def vehicle_cue(self, sent: int, end: int) -> Cue | None:
        """A quotation introduced by a noun phrase: 'X sent an email praising his "body language"' -> X."""
        s_start = self.sents[sent][0]
        found = None
        for m in _VEHICLE_OBJECT.finditer(self.masked, s_start, end):
            found = m
        if found is None or not VEHICLE_VERBS.search(self.masked, s_start, found.start()):
            return None
        mention = self._publisher(s_start, found.start())
        if mention is None:
            return None
        return Cue(mention.start, mention.end, ":", ":", "neutral", frozenset(), sent, mention, "vehicle")

    def _modified_inverted(self, start: int, s_end: int) -> Mention | None:
        """An inverted speaker after one or two lower-case modifiers, closing its clause ('said 9/11 widow Terry Strada')."""
        lead = re.match(r"(?:\s+(?:[a-z][\w’'-]*|[\d/]+)){1,2}(?=\s+[A-Z])", self.masked[start:s_end])
        if lead is None or set(lead.group().split()) & (_NOT_NAMES | _PREPOSITIONS):
            return None
        mention = phrase_after(self.masked, start + lead.end(), s_end)
        closes = mention is not None and re.fullmatch(
            r"\s*[,.;!?]?[\s”\"’)]*", self.masked[mention.end : s_end]
        )
        if not closes:
            return None
        return Mention(mention.text, mention.start, mention.end, descriptor=lead.group().strip())

    def _clause_subject(self, cue: Cue, s_start: int) -> Mention | None:
        """The subject of the clause a participle hangs on: the parser's, else a name opening the sentence.

        The parser's head may be a preposition or a noun ('continued by saying', 'shared the news
        last week, writing'): the nearest of up to three ancestors with a subject gives it.
        """
        if self.doc is not None:
            span = self.doc.char_span(cue.start, cue.end, alignment_mode="expand")
            token = span[0] if span is not None else None
            for _ in range(3):
                if token is None or token.head.i == token.i or token.head.idx < s_start:
                    return None
                token = token.head
                subject = self._subject_of(token, s_start)
                if subject is not None:
                    return subject
            return None
        return self.opening_subject(s_start, cue.start)

    def _main_subject(self, cue: Cue, s_start: int, s_end: int) -> Mention | None:
        """The subject of the main clause after a participial clause opening the sentence.

        The parser's (the participle's head), else the first name after a comma of the sentence
        followed by a lower-case word ('Conceding that ..., Vera Stone left').
        """
        if self.doc is not None:
            return self._clause_subject(cue, s_start)
        for comma in re.finditer(r",[”\"’]?\s+", self.masked[cue.end : s_end]):
            mention = self.opening_subject(cue.end + comma.end(), s_end)
            if mention is not None:
                return mention
        return None

    def opening_subject(self, s_start: int, end: int) -> Mention | None:
        """The speaker phrase opening the sentence at ``s_start`` and followed by a lower-case word (its verb)."""
        opening = re.match(
            r"\s*(?:(?:But|And|Yet|So|Then|Later|Earlier|Meanwhile),?\s+)?", self.masked[s_start:end]
        )
        mention = phrase_after(self.masked, s_start + opening.end(), end)
        if (
            mention is None
            or mention.start != s_start + opening.end()
            or mention.text.split()[0].lower() in _NOT_NAMES
        ):
            return None
        return mention if re.match(r"\s+[a-z]", self.masked[mention.end : end]) else None

    def parsed_root_subject(self, s_start: int, end: int) -> Mention | None:
        """The parser's subject of the main verb of ``text[s_start:end]`` ('Earlier, Clinton shared a bit
        of her anxiety with an audience,' -> Clinton); None without a parse or a nominal subject."""
        if self.doc is None:
            return None
        span = self.doc.char_span(s_start, end, alignment_mode="contract")
        if span is None or not len(span) or any(c.dep_ == "nsubjpass" for c in span.root.children):
            return None  # a passive's subject is no speaker: 'X was asked by the host, "..."'
        return self._subject_of(span.root, s_start)

    def governing_subject(self, p: Passage) -> Mention | None:
        """The subject of the verb outside a quotation that takes it as object or complement; None without a parse.

        From the quoted words up the parse through prepositions and subjectless verbs ('hits X
        for taking "..."', 'lists him as "..."', 'accuses him of "..."') to the first verb with a
        subject before the quotation ('The memo calls it "..."' -> memo). A quotation under a noun
        ('the point that "..."') or before the noun it modifies ('a "Keep Out" sign'), a copula
        ('X is "..."') or a passive gives None, and so does a quotation that is the subject.
        """
        if self.doc is None:
            return None
        words = self.doc.char_span(p.start, p.end, alignment_mode="contract")
        if words is None or not len(words) or self._noun_after(p.close_end):
            return None  # a quotation before a noun modifies it, whatever the parse says
        s_start = self.sents[self.sentence_at(p.open_mark)][0]
        token = words.root
        if token.dep_ not in _COMPLEMENT_DEPS:
            return None  # the subject, a modifier ('"Keep Out" written on it'), ...
        for _ in range(4):
            head = token.head
            if (
                head.i == token.i
                or head.idx < s_start
                or head.pos_ not in {"VERB", "ADP", "SCONJ"}
                or head.pos_ == "ADP"
                and head.lower_ not in _CONTENT_PREPOSITIONS
            ):
                return None
            token = head
            if token.pos_ != "VERB":
                continue
            if any(c.dep_ in {"nsubjpass", "auxpass"} for c in token.children):
                return None
            subject = self._subject_of(token, s_start)
            if subject is not None:
                return subject if subject.end <= p.start else None
            if token.dep_ not in _COMPLEMENT_DEPS:
                return None  # a participle modifying a noun or a clause: 'a hat reading, "..."'
        return None

    def _noun_after(self, pos: int) -> bool:
        """Whether the word right after ``pos`` (spaces aside) is a lower-case word the tagger calls a noun."""
        word = re.match(r"[ \t]*([a-z][\w-]*)", self.text[pos : pos + 40])
        span = word and self.doc.char_span(pos + word.start(1), pos + word.end(1), alignment_mode="expand")
        return bool(span) and span[0].pos_ == "NOUN"

    def _controller(self, s_start: int, end: int) -> Mention | None:
        """The object that a verb of causing or asking makes speak ('prompted X, which ..., to state' -> X)."""
        before = self.masked[s_start:end]
        verbs = list(_CONTROL_VERB.finditer(before))
        if not verbs:
            return None
        mention = phrase_after(self.masked, s_start + verbs[-1].end(), end)
        if mention is None or not re.fullmatch(r"(?:,[^,]{1,80},)?\s+to\s*", self.masked[mention.end : end]):
            return None
        return mention

    def _coordinated_subject(self, cue: Cue, s_start: int, previous: Cue | None) -> Mention | None:
        """The subject of the verb a coordinated cue is joined to ('X did not name him, but told ...').

        With the parser, the subject of the first conjunct (up a chain of ``conj`` links); else the
        previous cue's speaker in the sentence, else a name opening the sentence.
        """
        if self.doc is not None:
            span = self.doc.char_span(cue.start, cue.end, alignment_mode="expand")
            verb = span[0] if span is not None else None
            while verb is not None and verb.dep_ == "conj" and verb.head.idx >= s_start:
                verb = verb.head
                subject = self._subject_of(verb, s_start)
                if subject is not None:
                    return subject
        if previous is not None and previous.mention is not None:
            return previous.mention
        return self.opening_subject(s_start, cue.start)

    def _parsed_subject(self, cue: Cue, s_start: int) -> Mention | None:
        """The parser's subject of the cue verb when the patterns found none ('Maria Lopez, 45, a nurse, said')."""
        if self.doc is None:
            return None
        span = self.doc.char_span(cue.start, cue.end, alignment_mode="expand")
        return None if span is None else self._subject_of(span[0], s_start)

    def _subject_of(self, verb, s_start: int) -> Mention | None:
        """The nominal subject of a parsed verb (spaCy token) in the sentence from ``s_start``, as a mention."""
        for child in verb.children:
            pronoun = child.pos_ == "PRON" and child.text.lower() in PRONOUNS
            if (
                child.dep_ in {"nsubj", "nsubjpass"}
                and child.idx >= s_start
                and (pronoun or child.pos_ in {"PROPN", "NOUN"})
            ):
                left = min(
                    t.i
                    for t in child.subtree
                    if t.dep_ in {"compound", "amod", "det", "poss"} or t.i == child.i
                )
                if child.ent_type_:  # to the end of its entity ('Reid has gone after Trump': not past 'Reid')
                    right = child.i
                    while right < min(child.i + 4, len(self.doc) - 1) and self.doc[right + 1].ent_iob_ == "I":
                        right += 1
                else:  # the noun and its 'of' complement, up to the first comma or bracket
                    right = child.i
                    for t in self.doc[child.i + 1 : verb.i]:
                        if t.text in {",", "(", "—", "–"} or not child.is_ancestor(t):
                            break
                        right = t.i
                start, end = self.doc[left].idx, self.doc[right].idx + len(self.doc[right].text)
                if start < s_start or end > self.sents[self.sentence_at(s_start)][1]:
                    return None  # the parse runs over the sentence splitter's boundary
                if self.masked[start:end].strip() != self.text[start:end].strip():
                    return None  # the subject is inside a quotation
                return Mention(
                    self.text[start:end], start, end, pronoun=self.text[start:end].lower() in PRONOUNS
                )
        return None


#: Prepositions that introduce what a verb says about its object ('hits X for', 'lists him as',
#: 'accuses him of'); a quotation after 'with', 'in', 'by' ... is no statement of the subject.
_CONTENT_PREPOSITIONS = frozenset("as for of about on over against".split())

#: How a quotation's head may hang on the verb or preposition above it: as its object or complement.
_COMPLEMENT_DEPS = frozenset("dobj ccomp xcomp pobj pcomp oprd dep conj".split())

#: A written vehicle as an object ('an email', 'the statement'), for quotations introduced by a noun phrase.
_VEHICLE_OBJECT = re.compile(
    r"\b(?:a|an|the|his|her|its|their)\s+(?:[a-z][\w-]*\s+)?(?:" + "|".join(VEHICLE_NOUNS) + r")\b"
)

#: Verbs whose object is the subject of the following 'to' + cue ('prompted X to state', 'asked X to say').
_CONTROL_VERB = re.compile(
    r"\b(?:prompt|lead|led|caus|forc|push|encourag|inspir|mov|compel|urg|ask|invit|get|got)(?:e|s|es|ed|d|led)?\s+"
)

#: A document named after 'according to' up to the end of its clause: a determiner or possessive,
#: then at most ten words with no clause word ('a 2013 study by economists Ada Moss and Ben Ode',
#: 'the recently court-released Trump University playbook', "its Amazon summary").
_DOCUMENT = re.compile(
    r"\s+(?:the|a|an|its|his|her|their|this|that)\s+"
    r"(?:(?!(?:that|which|who|is|was|are|were|has|have|had)\s)[\w’'./-]+\s+){0,9}[\w’'-]*\w(?=\s*[,;:.]|\s*$)"
)
#: Nouns that head a document, poll or publication: written vehicles and these.
DOCUMENT_NOUNS = (
    *VEHICLE_NOUNS,
    *"study studies report reports poll polls survey surveys analysis audit filing affidavit complaint "
    "document documents record records transcript playbook summary book page website article column "
    "editorial piece ad ads paper".split(),
)
DOCUMENT_HEAD = re.compile(r"\b(?:" + "|".join(DOCUMENT_NOUNS) + r")\b")
#: An author named inside a document phrase: 'by' and a capitalised name ('study by economists Ada Moss').
_AUTHOR = re.compile(r"\sby\s+(?:[a-z][\w-]*\s+){0,2}(?=[A-Z])")


def document_after(text: str, start: int, end: int) -> Mention | None:
    """The source a document phrase after ``according to`` stands for: its named author, else the phrase.

    'according to a study by economists Ada Moss and Ben Ode,' -> the phrase 'Ada Moss and Ben Ode';
    'according to the leaked playbook,' -> 'leaked playbook'. None when no determiner opens a
    phrase headed by one of ``DOCUMENT_NOUNS`` that ends its clause.
    """
    m = _DOCUMENT.match(text, start, end)
    if m is None or not DOCUMENT_HEAD.search(re.split(r"\s(?:by|in|of|from|on|for)\s", m.group())[0]):
        return None  # 'according to the country's defense ministry': an organisation, not a document
    author = _AUTHOR.search(text, start, m.end())
    if author is not None:
        named = phrase_after(text, author.end() - 1, m.end())
        if named is not None and not named.pronoun:
            return named
    s = m.start() + len(re.match(r"\s+\w+\s+", m.group()).group())  # without its determiner
    return Mention(text[s : m.end()], s, m.end())


#: A preposition before a gerund cue that introduces a quotation: the gerund takes the subject of
#: the clause it hangs on ('said before adding: "..."', 'drew boos upon saying, "..."'). Without a
#: quotation only 'by' does ('Russian officials claiming X was to blame after admitting that ...':
#: the admitting is X's, inside the officials' claim).
_PREPOSITION_BEFORE_GERUND = re.compile(r"\b(?:before|after|upon|while|in)$")

#: A gerund after a preposition ('after admitting', 'for saying') whose subject the parse does not give.
_PREPOSITION_END = re.compile(
    r"\b(?:" + "|".join(_PREPOSITIONS | {"before", "after", "upon", "while", "in", "without"}) + r")$"
)

#: What may follow an inverted speaker that closes its sentence: one appositive at most.
_SPEAKER_CLOSES = re.compile(r"(?:,(?:\s+[^\s,;:\"“”]+){1,20})?\s*[.!?]?[”\"’)]?\s*")

#: A cue joined to an earlier verb of its sentence: 'and told', ', but later said', 'and then added'.
_COORDINATED = re.compile(r"\b(?:and|but|yet)(?:\s+(?:then|also|later|again|still|has|had|\w+ly)){0,2}$")

#: A speaker phrase that is only a day or a month ('released Thursday accuses', 'during a Sunday thanked').
_TIME_ONLY = re.compile(
    r"(?:(?:a|an|the|last|this|next|on)\s+)?(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)days?|(?:(?:a|an|the|last|this|next|in)\s+)?"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)

#: How many sentences back the last person's speech event stays the referent of 'he'/'she'.
SPEECH_REACH = 3


class Reader:
    """Speaker salience while reading an article in order (pronouns, surnames, carried quotes)."""

    def __init__(self, art: ArticleText):
        self.art = art
        self.subjects: dict[int, str] = {}  # sentence -> salient person
        self.last_speaker: tuple[int, str, str, bool] | None = None  # (sentence, speaker, mention, person)
        self.events: dict[int, tuple[str, str, bool]] = {}
        # every full name, then every surname and first name, pointing at the registry name (first wins)
        self.name_of: dict[str, str] = {}
        names = art.registry.names
        for token, name in (
            [(n, n) for n in names] + [(n.split()[-1], n) for n in names] + [(n.split()[0], n) for n in names]
        ):
            self.name_of.setdefault(token, name)
        alternatives = "|".join(re.escape(t) for t in sorted(self.name_of, key=len, reverse=True))
        self.name_re = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])") if alternatives else None

    def note_sentence(self, i: int) -> None:
        """Record the sentence's subject person: its first name mention not after a preposition."""
        if self.name_re is None:
            return
        s_start, s_end = self.art.sents[i][0], self.art.sents[i][1]
        chunk = self.art.masked[s_start:s_end]
        for m in self.name_re.finditer(chunk):
            prev = chunk[: m.start()].split()
            if not prev or prev[-1].lower() not in _PREPOSITIONS:
                self.subjects.setdefault(i, self.name_of[m.group()])
                return

    def pronoun(self, i: int, pos: int) -> str | None:
        """The salient person for a pronoun at ``pos`` in sentence ``i``.

        A person opening the same sentence before the pronoun; else the speaker of the last
        speech event of the last ``SPEECH_REACH`` sentences (the subject of the last attributed
        speech beats a later mention); else the subject of the nearest earlier sentence.
        """
        own = self.subjects.get(i)
        if own is not None and self.art.masked.find(own.split()[-1], self.art.sents[i][0], pos) >= 0:
            return own
        spoken = [j for j in range(max(i - SPEECH_REACH, 0), i) if j in self.events and self.events[j][2]]
        if spoken:
            return self.events[spoken[-1]][0]
        for j in range(i - 1, -1, -1):
            if j in self.subjects:
                return self.subjects[j]
        return None

    def resolve(self, cue: Cue) -> tuple[str | None, str | None, bool]:
        m = cue.inherited.mention if cue.inherited else cue.mention
        if m is None:
            return None, None, False
        if m.vehicle:  # 'the statement read': the last speaker of the last few sentences wrote it
            last = self.last_speaker
            if last is not None and cue.sentence - last[0] <= SPEECH_REACH:
                return last[1], m.text, last[3]
            return None, m.text, False
        if m.pronoun:
            if m.text.lower() in {
                "they",
                "it",
            }:  # a plural pronoun: the group that spoke in the last two sentences
                last = self.last_speaker
                if last is not None and not last[3] and cue.sentence - last[0] <= 2:
                    return last[1], m.text, False
                return None, m.text, False
            if PRONOUNS[m.text.lower()] != "person":
                return None, m.text, False
            return self.pronoun(cue.sentence, m.start), m.text, True
        persons = None
        if self.art.doc is not None and cue.rule != "transcript":  # labels are upper case: no entity parse
            span = self.art.doc.char_span(m.start, m.end, alignment_mode="expand")
            persons = [e.text for e in span.ents if e.label_ == "PERSON"] if span is not None else None
        speaker, is_person = self.art.registry.canonical(m, persons or None)
        return speaker, m.text, is_person

    def record(
        self, cue_sentence: int, speaker: str | None, mention: str | None, person: bool, *, weak: bool = False
    ) -> None:
        """Note a speech event; a ``weak`` one (a cue with nothing reported) never replaces its sentence's event."""
        if speaker is None or weak and cue_sentence in self.events:
            return
        self.events[cue_sentence] = (speaker, mention, person)
        self.last_speaker = (cue_sentence, speaker, mention, person)
        if person:
            self.subjects[cue_sentence] = speaker

    def carry(self, sent: int, lead: bool) -> tuple[tuple[str, str, bool], str] | None:
        art = self.art
        para = art.para_of_sent[sent]
        for j in (sent - 1, sent - 2):  # the paragraph's last speech, unless someone else became the subject
            if j in self.events and art.para_of_sent.get(j) == para:
                others = {self.subjects.get(k) for k in range(j + 1, sent)} - {None, self.events[j][0]}
                return (self.events[j], "carry.sentence") if not others else None
        if lead and self.last_speaker is not None and art.sents[sent][0] == art.paras[para][0]:
            if para - art.para_of_sent[self.last_speaker[0]] <= 2:
                return self.last_speaker[1:], "carry.paragraph"
        return None
