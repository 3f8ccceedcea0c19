"""Speaker attribution rules (issue 16, item 4) on small invented snippets, with and without spaCy.

Each case is one rule of ``analysis.sourcing._extract`` / ``_cues``: quotations before or after their
cue, multi-sentence quotations, continuations, signed and colon-introduced quotations, tweets and
statements, appositive chains, organisations, and a quotation that must stay unattributed.
"""

from __future__ import annotations

import pytest

from analysis.nlp._spacy import load_spacy
from analysis.sourcing import _extract as sourcing


@pytest.fixture(params=["spacy", "patterns"])
def speakers(request, make_corpus):
    """(first three words, speaker) of every direct or partial quote of a snippet."""
    model = None
    if request.param == "spacy":
        model = load_spacy()
        if model is None:
            pytest.skip("spaCy pipeline not installed or disabled")

    def _run(*paragraphs, words=3):
        corpus = make_corpus(("a1", "Outlet", "\n\n".join(["A headline.", *paragraphs])))
        q = sourcing.extract_quotes(corpus, nlp=model)
        q = q.loc[q["kind"].isin(["direct", "partial"])]
        texts = q["text"] if words is None else [" ".join(t.split()[:words]) for t in q["text"]]
        return list(zip(texts, q["speaker"], strict=True))

    return _run


CASES = {
    "cue in the next sentence": (
        ["“How many times must we see this?” Maria Kovac said. “It has to stop now.”"],
        [("How many times", "Maria Kovac"), ("It has to", "Maria Kovac")],
    ),
    "continuation after an inverted cue and a participle": (
        [
            "“This is on their minds. It is in their heads,” said Tomas Berg, speaking of the vote. "
            "“It worries them.”"
        ],
        [("This is on", "Tomas Berg"), ("It worries them.", "Tomas Berg")],
    ),
    "party label in brackets": (
        ["“It is a dog whistle,” Rep. Ana Ruiz (D-Ore.) said Friday. “We will not accept it.”"],
        [("It is a", "Ana Ruiz"), ("We will not", "Ana Ruiz")],
    ),
    "cue clause closing the sentence": (
        ["Lena Fox spoke in the morning.", "A clerk who “takes a few dollars” is punished, Lena Fox said."],
        [("takes a few", "Lena Fox")],
    ),
    "cue ending the previous paragraph": (
        ["The Daily Ledger reports:", "“Only a quarter of the donors gave less than $200, a record low.”"],
        [("Only a quarter", "Daily Ledger")],
    ),
    "signed after a dash": (
        ["“I just hope this campaign gets people to register and vote.” ― Jorge Almeida"],
        [("I just hope", "Jorge Almeida")],
    ),
    "tweet": (
        ["Karl Osei tweeted that “the vote was stolen from the people of this city.”"],
        [("the vote was", "Karl Osei")],
    ),
    "in a statement, an organisation": (
        ["In a statement, the State Department said: “We are deeply concerned by the arrests.”"],
        [("We are deeply", "State Department")],
    ),
    "leftmost name of an appositive chain": (
        [
            "“It is an invasion of our domain,” Paul Brandt, the attorney general of Utah, one of the "
            "states suing the agency, said at an event."
        ],
        [("It is an", "Paul Brandt")],
    ),
    "inverted speaker after lower-case modifiers": (
        ["“Their reasons do not hold. They are wrong,” said 9/11 widow Terry Strand."],
        [("Their reasons do", "Terry Strand")],
    ),
    "participle hanging on a clause with no cue": (
        [
            "Senator Nadia Petrova mocked the complaint, saying anyone who blames a microphone “is not "
            "having a good night.”"
        ],
        [("is not having", "Nadia Petrova")],
    ),
    "speech event with no clause carries over one sentence": (
        [
            "“We have had problems with intrusions in the past,” Hal Brooks said after the meeting. "
            "He did not threaten anyone. “Our goal is not to start a war.”"
        ],
        [("We have had", "Hal Brooks"), ("Our goal is", "Hal Brooks")],
    ),
    "colon after a named person with no cue": (
        ["More from Jeffrey Lamb: “The partisan split of the states is a starting point.”"],
        [("The partisan split", "Jeffrey Lamb")],
    ),
    "no speaker: quotation with no cue, name or earlier speech": (
        ["The crowd waited in the rain.", "“We are not going anywhere until the results are in.”"],
        [("We are not", None)],
    ),
    "no carry across a new subject": (
        [
            "“We will win,” Ida Marsh said. Omar Reyes disagreed with the forecast. "
            "“The numbers are not there.”"
        ],
        [("We will win", "Ida Marsh"), ("The numbers are", None)],
    ),
    "surname after the quote: the most recent full name with it": (
        [
            "Ruth Adler opened the hearing. Later, Simon Adler took the floor.",
            "“We were never told,” Adler said.",
        ],
        [("We were never", "Simon Adler")],
    ),
    "pronoun: the last speaker beats a later mention": (
        [
            "“The plan is dead,” Nora Quist said. Victor Lund sat at the back of the room. "
            "She added: “Nobody will revive it.”"
        ],
        [("The plan is", "Nora Quist"), ("Nobody will revive", "Nora Quist")],
    ),
    "transcript line quoted whole": (
        [
            "Dana Wolfe interviewed the governor.",
            "“WOLFE: Do you regret the remark? I have to ask you.”",
        ],
        [("WOLFE: Do you", "Dana Wolfe")],
    ),
    "quotation inside a transcript line's speech": (
        ["MR. OKAFOR: As the mayor put it to me, the city is “broke and proud of it,” and I agree."],
        [("broke and proud", "Okafor")],
    ),
    "section label is not a speaker": (
        [
            "UPDATE: Polls have closed. Officials gave no time for results, only that “counting goes on in three districts.”"
        ],
        [("counting goes on", None)],
    ),
    "capitalised cue before a quotation": (
        ["Governor Lia Brandt Tweeted: “Proud of our volunteers tonight.”"],
        [("Proud of our", "Lia Brandt")],
    ),
    "new speech verbs": (
        ["“Who pays for it?” Ken Ito pressed.", "“It was a triumph,” Ada Moss gushed."],
        [("Who pays for", "Ken Ito"), ("It was a", "Ada Moss")],
    ),
    "roundup signature: name, outlet, colon": (
        ["Mira Holt, The Evening Ledger: “A flat night for both of them.”"],
        [("A flat night", "Mira Holt")],
    ),
    "statement with a named owner": (
        ["Governor Ana Lind opposed the bill. Lind's statement said “the bill is a disaster for farmers.”"],
        [("the bill is", "Ana Lind")],
    ),
    "statement opening its clause: the last speaker": (
        ["Mayor Tom Reyes said he would veto the plan. The statement read: “This plan fails our city.”"],
        [("This plan fails", "Tom Reyes")],
    ),
    "letter with no speaker before it stays unattributed": (
        ["The letter says “nobody should be left behind in this city.”"],
        [("nobody should be", None)],
    ),
    "nested reported speech": (
        ["Jane Moore said he felt they were saying, “We will never give up.”"],
        [("We will never", "Jane Moore")],
    ),
    "quotation introduced by a noun phrase": (
        ["Paul Okafor sent an email praising his “body language” after the debate."],
        [("body language", "Paul Okafor")],
    ),
    "cue joined to an earlier verb": (
        ["Ines Varga did not name her rivals, but told the crowd, “We are done waiting.”"],
        [("We are done", "Ines Varga")],
    ),
    "coordinated cue is not the place before it": (
        ["Omar Hale took the stage in Springfield and called the plan “a disgrace to this state.”"],
        [("a disgrace to", "Omar Hale")],
    ),
    "gerund after by": (
        ["Mayor Lucia Benn closed the meeting by saying, “We will appeal this ruling.”"],
        [("We will appeal", "Lucia Benn")],
    ),
    "two quotations joined by and, one cue after both": (
        [
            "Taxes are “a burden on the young” and “a brake on growth,” Aldo Reyes, the former mayor "
            "of the town, declared to a packed hall at the civic centre on a rainy Tuesday night."
        ],
        [("a burden on", "Aldo Reyes"), ("a brake on", "Aldo Reyes")],
    ),
    "colon label with party and state": (
        ["Rep. Dora Klein (D-Ore.): “I have never seen that figure anywhere.”"],
        [("I have never", "Dora Klein")],
    ),
    "participle opening the sentence": (
        ["Conceding that the count “was a mess from the start,” Vera Stone left the podium."],
        [("was a mess", "Vera Stone")],
    ),
    "more speech verbs": (
        ["“We did it!” beamed Lola Park.", "Tim Sato emphasized that the deal “is not final yet.”"],
        [("We did it!", "Lola Park"), ("is not final", "Tim Sato")],
    ),
    "object of a verb of causing, then 'to' and a cue": (
        [
            "The result prompted the Daily Ledger, which tracks counties, to state, “This county picks winners.”"
        ],
        [("This county picks", "Daily Ledger")],
    ),
    "infinitive cue: the subject of the verb it completes": (
        ["Ada Moss joked about the weather but went on to say, “The storm will not stop us.”"],
        [("The storm will", "Ada Moss")],
    ),
    "a verb with nothing reported, then the quotation": (
        ["Nina Cole agreed. “The count was fair and quick.”", "“You see, it works,” Ray Drum went on."],
        [("The count was", "Nina Cole"), ("You see, it", "Ray Drum")],
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_speaker_rules(speakers, name):
    paragraphs, expected = CASES[name]
    assert speakers(*paragraphs) == expected


#: Whole quotation text and speaker where marks are mixed or mistyped, or a first name is a particle.
WHOLE_CASES = {
    "straight opener, typographic closer": (
        ['"We will rebuild the bridge by spring,” Ines Varga said on Monday.'],
        [("We will rebuild the bridge by spring", "Ines Varga")],
    ),
    "opening mark typed for the closer": (
        ["“The vote was stolen from us,“ Piet Albers told the crowd."],
        [("The vote was stolen from us", "Piet Albers")],
    ),
    "typographic opener, straight closer, then a pair": (
        ['“Nobody asked us" said Rosa Lind. “Nobody ever does.”'],
        [("Nobody asked us", "Rosa Lind"), ("Nobody ever does.", "Rosa Lind")],
    ),
    "capitalised first name Al": (
        ["“The plan is dead,” Al Brenner said."],
        [("The plan is dead", "Al Brenner")],
    ),
    "capitalised surname particle Van": (
        ["“We need more time,” said Van Dorsten, a council member."],
        [("We need more time", "Van Dorsten")],
    ),
    "campaign role word before an inverted speaker": (
        ["“How much worse could it get?” said Republican strategist Dana Whitby."],
        [("How much worse could it get?", "Dana Whitby")],
    ),
    "lower-case particle inside a name": (
        ["“The port will reopen,” said Karin von Holt."],
        [("The port will reopen", "Karin von Holt")],
    ),
}


@pytest.mark.parametrize("name", list(WHOLE_CASES))
def test_speaker_rules_whole_quotation(speakers, name):
    paragraphs, expected = WHOLE_CASES[name]
    assert speakers(*paragraphs, words=None) == expected


#: Constructions of the fifth round (issue 16 item 4): (whole quotation, speaker, rule_id).
RULE_CASES = {
    "bare form introducing a quotation, appositive between": (
        ["As Mayor Ida Kent, the longest-serving member of the council, put it: “Nobody reads the budget.”"],
        [("Nobody reads the budget.", "Ida Kent", "direct.appositive")],
    ),
    "gerund after a preposition introducing a quotation": (
        ["“We have the votes,” Rosa Diaz said before adding: “But not for long.”"],
        [
            ("We have the votes", "Rosa Diaz", "direct.after"),
            ("But not for long.", "Rosa Diaz", "direct.participle"),
        ],
    ),
    "inverted speaker with an appositive closing the sentence": (
        [
            "“The district is a toss-up” unless turnout rises, said Omar Pike, a pollster at the Civic Institute in Albany."
        ],
        [("The district is a toss-up", "Omar Pike", "direct.inverted")],
    ),
    "several modifiers between the quotation and the speaker": (
        [
            "“We are not done yet,” former Lakeview County treasurer Ellen Marsh wrote in a letter to the editor this week."
        ],
        [("We are not done yet", "Ellen Marsh", "direct.after")],
    ),
    "signed after a spaced hyphen, the sentence goes on": (
        ["“Taxes went up every single year.” - Nora Quist. The record shows they fell twice."],
        [("Taxes went up every single year.", "Nora Quist", "direct.dash")],
    ),
    "signed in a paragraph of its own after the quotation": (
        [
            "“Taxes went up every single year for a decade.”",
            "- Nora Quist.",
            "The record shows they fell twice.",
        ],
        [("Taxes went up every single year for a decade.", "Nora Quist", "direct.dash")],
    ),
    "two people speaking together: the first named": (
        ["“We will file the appeal on Monday,” Hana Berg and Ole Lund said."],
        [("We will file the appeal on Monday", "Hana Berg", "direct.after")],
    ),
    "an institution with 'and' in its name is no pair": (
        ["“The bill is dead,” the Ways and Means Committee said."],
        [("The bill is dead", "Ways and Means Committee", "direct.after")],
    ),
    "a quotation before 'as X said' after two lower-case words": (
        ["The race “is a dead heat right now,” as Ted Cruz said on the radio on Monday."],
        [("is a dead heat right now", "Ted Cruz", "partial.after")],
    ),
    "a title after 'entitled,' is no statement of the subject": (
        ["Ole Berg published an essay, entitled, “Why the Vote Matters More Than Ever.”"],
        [("Why the Vote Matters More Than Ever.", None, "unattributed")],
    ),
    "a passive subject asks nothing": (
        ["Vera Lind was asked by the host, who had doubts, “Will you run again next year?”"],
        [("Will you run again next year?", None, "unattributed")],
    ),
    "rarer verbs of saying": (
        [
            "“Let us finish the job!” Greta Voss boomed.",
            "Ted Okoro touted the plan as “the best deal in a decade.”",
        ],
        [
            ("Let us finish the job!", "Greta Voss", "direct.after"),
            ("the best deal in a decade.", "Ted Okoro", "partial.before"),
        ],
    ),
    "verbs of thought and finding with a quotation": (
        [
            "Tom Vance thought the plan was “a waste of good money.”",
            "Ada Moss wondered whether the board would “ever learn from this.”",
            "In 2014, Pew found that “most voters want a change.”",
        ],
        [
            ("a waste of good money.", "Tom Vance", "partial.before"),
            ("ever learn from this.", "Ada Moss", "partial.before"),
            ("most voters want a change.", "Pew", "partial.before"),
        ],
    ),
    "according to a document: its named author": (
        [
            "According to a 2013 study by Ada Moss, the slump is partly due to a “major change in trade policy after the war.”"
        ],
        [("major change in trade policy after the war.", "Ada Moss", "partial.according")],
    ),
    "according to a document without author, across a passive cue": (
        ["According to the leaked playbook, the staff were told, “You sell feelings.”"],
        [("You sell feelings.", "leaked playbook", "partial.according")],
    ),
    "according to an organisation in lower case: no document, no speaker": (
        ["According to the country’s defense ministry, the troops “moved out of the valley overnight.”"],
        [("moved out of the valley overnight.", None, "unattributed")],
    ),
    "a paragraph ending with a colon and no cue introduces the next one": (
        ["Ada Moss made the following comment:", "“We will not raise taxes this year.”"],
        [("We will not raise taxes this year.", "Ada Moss", "direct.colon")],
    ),
    "an upper-case label before a colon is a name in title case": (
        ["SOLBERG: “We are going to win this state.”"],
        [("We are going to win this state.", "Solberg", "direct.colon")],
    ),
    "speech foreseen with a modal goes to the reporting speaker": (
        ["Mayor Ada Moss said she expected that voters will say “never again” to the plan."],
        [("never again", "Ada Moss", "partial.before")],
    ),
    "a cue in a relative clause of 'nothing' reports nothing: the cue after speaks": (
        ["Nothing the mayor said “will ease the fears of parents,” the Lakeview senator said."],
        [("will ease the fears of parents", "Lakeview senator", "partial.after")],
    ),
    "a short quotation inside an appositive": (
        [
            "“We had better years than this one,” Texas delegate Tom Reed, wearing a cowboy hat and “Vote Lind” pins, said."
        ],
        [
            ("We had better years than this one", "Tom Reed", "direct.appositive"),
            ("Vote Lind", "Tom Reed", "partial.appositive"),
        ],
    ),
}


@pytest.mark.parametrize("name", list(RULE_CASES))
def test_speaker_rules_exact(make_corpus, name):
    """Exact quotation, speaker and rule with spaCy and with the pattern rules alone."""
    paragraphs, expected = RULE_CASES[name]
    corpus = make_corpus(("a1", "Outlet", "\n\n".join(["A headline.", *paragraphs])))
    for model in (load_spacy(), None):
        q = sourcing.extract_quotes(corpus, nlp=model)
        q = q.loc[q["kind"].isin(["direct", "partial"])]
        assert list(zip(q["text"], q["speaker"], q["rule_id"], strict=True)) == expected, model


#: Rules that need the parser: (whole quotation, speaker, rule_id).
PARSED_CASES = {
    "quotation after a comma: the subject of the clause before it": (
        [
            "Earlier this week, Anna Holm shared a bit of her worry with an audience at a dinner, "
            "“I do not know which rival will show up.”"
        ],
        [("I do not know which rival will show up.", "Anna Holm", "direct.colon")],
    ),
    "quotation after a colon: a named institution as the subject": (
        ["The Lakeview Board of Elections was firm in its findings: “Further discussion is unnecessary.”"],
        [("Further discussion is unnecessary.", "Lakeview Board of Elections", "direct.colon")],
    ),
    "an inverted phrase after a comma that does not close the sentence is no speaker": (
        [
            "Sen. Ada Moss (D-Ore.), also a hopeful for the seat, called the EU plan “a disgrace to this state.”"
        ],
        [("a disgrace to this state.", "Ada Moss", "partial.parsed")],
    ),
    "a finding of a document: the document phrase as the parser's subject": (
        ["A 2019 Civic Institute report found “no evidence of fraud in the county.”"],
        [("no evidence of fraud in the county.", "2019 Civic Institute report", "partial.parsed")],
    ),
    "quotation after a colon: an unnamed subject is no speaker": (
        ["The answer from the clerk was simple: “Come back on Monday with your papers.”"],
        [("Come back on Monday with your papers.", None, "unattributed")],
    ),
    "a paragraph ending with a colon: the parsed subject after an opening clause": (
        [
            "When the plant closed, Mayor Ola Berg released the following statement:",
            "“Our thoughts are with the workers.”",
        ],
        [("Our thoughts are with the workers.", "Ola Berg", "direct.colon")],
    ),
    "the nearest cue governing the quotation, not a relative clause's": (
        [
            "Vera Lind mocked the complaint, saying anybody who complains about a microphone “is not having a good night.”"
        ],
        [("is not having a good night.", "Vera Lind", "partial.participle")],
    ),
    "a gerund after an object takes the subject of its clause": (
        [
            "Ted Lund posted a series of tweets early Friday saying that the count was “a disgrace to the state.”"
        ],
        [("a disgrace to the state.", "Ted Lund", "partial.participle")],
    ),
    "a capitalised form inside a name is no cue": (
        ["Ole Berg said the United States “must increase its efforts at home.”"],
        [("must increase its efforts at home.", "Ole Berg", "partial.before")],
    ),
    "a day is no speaker: the parser's subject": (
        ["Ted Lund on a Sunday thanked the nurses “for their support in my campaign.”"],
        [("for their support in my campaign.", "Ted Lund", "partial.parsed")],
    ),
    "a document as the subject of a verb outside the lexicon, through a preposition": (
        [
            "The Lakeview ad hits Mayor Ada Moss for taking “twice as much money from developers as from voters.”"
        ],
        [("twice as much money from developers as from voters.", "Lakeview ad", "partial.governor")],
    ),
    "a person's page lists: its owner": (
        ["Ole Berg’s campaign page lists him as “a lifelong defender of the old harbor.”"],
        [("a lifelong defender of the old harbor.", "Ole Berg", "partial.governor")],
    ),
    "an organisation as the subject of a verb outside the lexicon, quotation as object": (
        ["The Harbor Trust blamed the court’s “four judges who blocked our sensible plan for the port.”"],
        [("four judges who blocked our sensible plan for the port.", "Harbor Trust", "partial.governor")],
    ),
    "a person as the subject, quotation as a bare clause": (
        ["Vera Lind proposed we “wake up and smell the salt air of the harbor.”"],
        [("wake up and smell the salt air of the harbor.", "Vera Lind", "partial.governor")],
    ),
    "quotation after a colon: a document phrase as the subject": (
        ["The council memo was blunt: “The harbor fund is empty and will stay empty.”"],
        [("The harbor fund is empty and will stay empty.", "council memo", "direct.colon")],
    ),
    "a quotation after a determiner modifies a noun: no speaker": (
        ["Ted Lund wore a hat with a “Keep the Harbor Open Forever” slogan."],
        [("Keep the Harbor Open Forever", None, "unattributed")],
    ),
    "a short scare-quoted object stays a scare quote, with no speaker": (
        ["Ole Berg met the harbor “heroes” on Monday."],
        [],
    ),
    "a quotation under a participle modifying a noun: no speaker": (
        ["Ted Lund wore a hat showing “Keep the Old Harbor Open for Everyone.”"],
        [("Keep the Old Harbor Open for Everyone.", None, "unattributed")],
    ),
    "a quotation after a copula: no speaker": (
        ["Ben Ode is “the worst mayor this city has ever had.”"],
        [("the worst mayor this city has ever had.", None, "unattributed")],
    ),
    "a subject that is no person, institution or document: no speaker": (
        ["The harbor “needs a lot more money than the city has to give.”"],
        [("needs a lot more money than the city has to give.", None, "unattributed")],
    ),
}


@pytest.mark.parametrize("name", list(PARSED_CASES))
def test_speaker_rules_parsed(make_corpus, name):
    model = load_spacy()
    if model is None:
        pytest.skip("spaCy pipeline not installed or disabled")
    paragraphs, expected = PARSED_CASES[name]
    corpus = make_corpus(("a1", "Outlet", "\n\n".join(["A headline.", *paragraphs])))
    q = sourcing.extract_quotes(corpus, nlp=model)
    q = q.loc[q["kind"].isin(["direct", "partial"])]
    assert list(zip(q["text"], q["speaker"], q["rule_id"], strict=True)) == expected
