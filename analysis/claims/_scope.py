"""Story scope of every cross-outlet comparison: which story each row is compared within.

Every comparison of the claims capability (figures, passages, provenance) is made between
articles of one story (``analysis.topics.stories``; docs/stories.md). A function given no
stories compares the whole input as one story whose id is :data:`WHOLE_CORPUS`. The tagging itself is
``analysis.corpus.story_of``, shared with framing (whose evidence names its story too).
"""

from __future__ import annotations

from analysis.corpus import WHOLE_CORPUS, story_of

__all__ = ["WHOLE_CORPUS", "story_of"]
