"""What a report item says happened: agreements signed or planned, and events with their dates.

Read sentence by sentence, by documented rules:

- **Agreements**: a sentence naming an MoU, a memorandum or an agreement. Its
  status: ``signed`` (signed, concluded), ``in_preparation`` (in or under
  preparation, being prepared, preparing, draft), ``intended`` (to be signed,
  should be, will be, intends, envisaged, planned); a sentence that says none
  of these is not taken as an agreement. Its parties are the places and
  organisations the item names (else the pilot's partners).
- **Events**: a sentence naming a mission, visit, delegation, week, forum,
  summit, fair, expo, conference, workshop or launch meeting, or someone
  travelling; its kind is that word (a delegation or a journey is a visit), its date the first date in the
  sentence (``June 2015``, ``Sept 2016``, ``14 March 2017``; ``June/July
  2016`` gives its first month).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

MONTHS = {m: i for i, names in enumerate([
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
    ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"), ("october", "oct"),
    ("november", "nov"), ("december", "dec")], start=1) for m in names}
DATE = re.compile(r"\b(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?(" + "|".join(sorted(MONTHS, key=len, reverse=True))
                  + r")\.?(?:\s*/\s*\w+)?\s+(\d{4})\b", re.IGNORECASE)
SENTENCE = re.compile(r"(?<=[.;!?])\s+(?=[A-Z(])")
AGREEMENT = re.compile(r"\b(?:mous?|memorand(?:um|a)|agreements?)\b", re.IGNORECASE)
#: Checked in this order: "there should be a document signed" is intended, not signed.
STATUS = (
    ("in_preparation", re.compile(r"\b(?:(?:in|under) preparation|being prepared|preparing|drafts?|drafted)\b",
                                  re.IGNORECASE)),
    ("intended", re.compile(r"\b(?:to be signed|should be|will be|intends?|intended|envisaged|planned)\b",
                            re.IGNORECASE)),
    ("signed", re.compile(r"\b(?:signed|concluded)\b", re.IGNORECASE)),
)
EVENT = re.compile(r"\b(missions?|visits?|delegations?|weeks?|forums?|summits?|fairs?|expos?|conferences?|"
                   r"workshops?|launch meetings?|travel(?:s|led|ed)?(?!\s+(?:services?|agenc)))\b", re.IGNORECASE)
#: The word found -> the event's kind.
KINDS = {"delegation": "visit", "launch meeting": "launch_meeting", "travel": "visit", "travelled": "visit",
         "traveled": "visit"}


def date_in(text: str) -> str | None:
    """The first date in ``text`` as YYYY-MM or YYYY-MM-DD, or None."""
    m = DATE.search(text)
    if not m:
        return None
    day, month, year = m.group(1), MONTHS[m.group(2).lower()], m.group(3)
    return f"{year}-{month:02d}-{int(day):02d}" if day and 1 <= int(day) <= 31 else f"{year}-{month:02d}"


@dataclass(frozen=True)
class Happening:
    """One agreement or event an item's sentence states."""

    what: str  # agreement | event
    sentence: str
    kind: str  # an agreement's status, or an event's kind
    date: str | None


def happenings(text: str) -> Sequence[Happening]:
    """The agreements and events ``text`` states, in order."""
    found: list[Happening] = []
    for sentence in SENTENCE.split(text):
        if AGREEMENT.search(sentence):
            status = next((s for s, cue in STATUS if cue.search(sentence)), None)
            if status:
                found.append(Happening("agreement", sentence, status, date_in(sentence)))
                continue
        m = EVENT.search(sentence)
        if m:
            word = m.group(1).lower().rstrip("s") if not m.group(1).lower().endswith("ss") else m.group(1).lower()
            found.append(Happening("event", sentence, KINDS.get(word, word), date_in(sentence)))
    return found
