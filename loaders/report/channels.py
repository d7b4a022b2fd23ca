"""Which channel a report item describes, by documented rules.

1. Cues that name the channel outright, as whole words (:data:`FIRST`): an
   MoU is a government matter, a week an event, travel a tourism one,
   vocational training education; companies, a business partner or
   proposal, and a mission named by an industry or trade ("automotive
   mission", "trade mission") business. These are read in the
   whole text, names included (``Chengdu Tourism Bureau`` is tourism).
2. The organisations it names, by kind: a port authority makes it a port
   cooperation, a university a university one, and so on (:data:`BY_KIND`,
   first kind in that order wins). An item that names its partners says
   best through whom it runs.
3. Otherwise cues in the text, as whole words, with the names of the places
   and organisations it names blanked out first (``Tianjin Port Free Trade
   Zone`` is a name, not a port cue; ``Commission`` does not contain a
   mission): the first channel in :data:`CUES` with a cue wins.
4. Otherwise ``business``.

Measured against the bundled knowledge base (whose channels an analyst
chose) on the two shared reports: the rules agree on most items; the
channel of an item is a judgement, and the analyst's review corrects it.

The same bullet in two editions names the same entities, so it gets one
answer even where the editions spell them differently (``Keele University``,
``Keele Univ``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from citygraph.model.vocabulary import Channel

#: Cues strong enough to decide before the organisations' kinds are looked at.
FIRST: tuple[tuple[Channel, str], ...] = (
    (Channel.GOVERNMENT, r"mous?"),
    (Channel.EVENT, r"weeks?"),
    (Channel.TOURISM, r"touris\w*|travel services?|travell?ers?"),
    (Channel.EDUCATION, r"vocational|training"),
    (Channel.BUSINESS, r"compan(?:y|ies)|business (?:partners?|proposals?)|"
                       r"(?:automotive|trade|business|investment|economic|industrial|smes?)\W+(?:\w+\W+){0,2}missions?"),
)

#: Organisation kind -> channel, in order of precedence.
BY_KIND: tuple[tuple[str, Channel], ...] = (
    ("Port", Channel.PORT),
    ("University", Channel.UNIVERSITY),
    ("School", Channel.EDUCATION),
    ("ResearchInstitute", Channel.RESEARCH),
    ("Cluster", Channel.CLUSTER),
    ("PublicBody", Channel.GOVERNMENT),
    ("Chamber", Channel.BUSINESS),
    ("Company", Channel.BUSINESS),
    ("Fund", Channel.BUSINESS),
    ("Association", Channel.BUSINESS),
)

#: Channel -> whole-word cues, checked in this order.
CUES: tuple[tuple[Channel, str], ...] = (
    (Channel.TOURISM, r"touris\w*|travel services?|travell?ers?"),
    (Channel.PORT, r"ports?|harbou?rs?|cruises?|cargo"),
    (Channel.EDUCATION, r"vocational|training|schools?|education"),
    (Channel.UNIVERSITY, r"universit(?:y|ies)|academic"),
    (Channel.RESEARCH, r"research|r&d|campus|institutes?"),
    (Channel.CLUSTER, r"clusters?|start-?ups?|technology parks?|ict platform|e-cars?"),
    (Channel.EVENT, r"weeks?"),
    (Channel.GOVERNMENT, r"mous?|municipal\w*|government\w*|ministr(?:y|ies)|embass(?:y|ies)|agenc(?:y|ies)|"
                         r"authorit(?:y|ies)|commission(?:er)?s?|strateg(?:y|ies)|development plans?|"
                         r"partnerships?|secretary|advisor|best practices?|database"),
    (Channel.BUSINESS, r"smes?|compan(?:y|ies)|firms?|business\w*|trade|expo|fairs?|markets?|invest\w*"),
    (Channel.EVENT, r"missions?|visits?|delegations?|summits?|forums?"),
)
def _compiled(cues: tuple[tuple[Channel, str], ...]) -> list[tuple[Channel, re.Pattern[str]]]:
    return [(channel, re.compile(rf"\b(?:{cue})\b", re.IGNORECASE)) for channel, cue in cues]


_FIRST, _CUES = _compiled(FIRST), _compiled(CUES)


def channel_of(text: str, kinds: Iterable[str] = (), names: Iterable[tuple[int, int]] = ()) -> Channel:
    """The channel of an item: ``kinds`` of the organisations it names, else cues in ``text`` outside the
    ``names`` (start, end) spans, else business."""
    first = next((channel for channel, cue in _FIRST if cue.search(text)), None)
    if first is not None:
        return first
    chars = list(text)
    for start, end in names:
        chars[start:end] = " " * (end - start)
    bare = "".join(chars)
    named = set(kinds)
    by_kind = next((channel for kind, channel in BY_KIND if kind in named), None)
    return by_kind or next((channel for channel, cue in _CUES if cue.search(bare)), Channel.BUSINESS)
