"""What a report item says happened: agreements signed or planned, and events with their dates.

Read sentence by sentence, by documented rules (a line that ends without
punctuation and is followed by one that starts with a capital also ends a
sentence, unless it ends on a word such as "with" or "the"):

- **Agreements**: a sentence naming an MoU, a memorandum, an agreement or a
  (lower-case) partnership. Its status: ``signed`` (signed, concluded),
  ``in_preparation`` (in or under preparation, being prepared, preparing,
  draft), ``intended`` (to be signed, should be, will be, intends,
  envisaged, planned); a sentence that says none of these is not taken as an
  agreement. "MoUs were signed on A as well as between B" is two. A counted
  mention ("14 MoUs have been signed", "no MoU has been signed") is a
  programme figure, not an agreement, but the example it gives ("e.g. Fira de
  Barcelona – Tianfu New District") is one, with that status.
- **Events**: a sentence naming a mission, visit, delegation, forum, summit,
  fair, expo, conference, workshop or launch meeting, a named week ("British
  Week"; "the next few weeks" is none), someone travelling, visiting or
  representing someone in a place; its kind is that word (a delegation, a
  journey or a representation is a visit), its date the first date in the
  sentence (``June 2015``, ``Sept 2016``, ``14 March 2017``; ``June/July
  2016`` gives its first month, and :func:`date_range_in` both).
- **An item's status** (:func:`status_of`): a ``Next Step`` is planned;
  otherwise the first of: planned (wants to, preparing, should be, plans
  to), intended (envisaged, intended), proposed (possible, offered, a
  proposal, shortlisted, keen to), completed (signed, travelled, visited, took
  place, or a dated mission or visit), else ongoing.
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
#: A sentence ends at . ; ! or ? before a capital, a digit or a parenthesis, not after e.g., i.e., Mr., Dr.
SENTENCE = re.compile(r"(?<=[.;!?])(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bMr\.)(?<!\bDr\.)(?<!\bMs\.)(?<!\bSt\.)"
                      r"\s+(?=[A-Z(\d])")
AGREEMENT = re.compile(r"\b(?:mous?|memorand(?:um|a)|agreements?)\b|\b(?-i:partnerships?)\b", re.IGNORECASE)
#: "14 MoUs", "no MoU", "several agreements": a figure, not one agreement.
COUNTED = re.compile(r"\b(?:\d+|no|several|many|two|three|four|five|six|seven|eight|nine|ten)\s+"
                     r"(?:mous?|memoranda|agreements)\b", re.IGNORECASE)
EXAMPLE = re.compile(r"\b(?:e\.\s?g\.|for example|such as)\s*,?\s*([^)]+)", re.IGNORECASE)
AS_WELL_AS = re.compile(r",?\s+as well as\s+", re.IGNORECASE)
#: Checked in this order: "there should be a document signed" is intended, not signed.
STATUS = (
    ("in_preparation", re.compile(r"\b(?:(?:in|under) preparation|being prepared|preparing|drafts?|drafted)\b",
                                  re.IGNORECASE)),
    ("intended", re.compile(r"\b(?:to be signed|should be|will be|will sign|(?:plans?|wants?|aims?|hopes?) to "
                            r"sign|intends?|intended|envisaged|planned)\b", re.IGNORECASE)),
    ("signed", re.compile(r"\b(?:signed|concluded)\b", re.IGNORECASE)),
)
EVENT = re.compile(r"\b(missions?|visit(?:s|ed)?|delegations?|forums?|summits?|fairs?|expos?|conferences?|"
                   r"workshops?|launch meetings?|travel(?:s|led|ed)?(?!\s+(?:services?|agenc))|"
                   r"represented(?=[^.;]*\bin\s+[A-Z]))\b", re.IGNORECASE)
#: A named week ("British Week", "Italian Weeks"); the case matters.
WEEK = re.compile(r"\b[A-Z][\w-]+\s+Weeks?\b")
#: The word found -> the event's kind.
KINDS = {"delegation": "visit", "launch meeting": "launch_meeting", "travel": "visit", "travelled": "visit",
         "traveled": "visit", "visited": "visit", "represented": "visit"}
#: Words a sentence does not end on, whatever the next line starts with.
RUNS_ON = re.compile(r"\b(?:with|of|the|and|or|to|in|for|a|an|by|on|at|from|between|&|–|-)$", re.IGNORECASE)


def sentences(lines: Sequence[str]) -> str:
    """Lines of one item as one text, with a full stop where a line ends a sentence without one."""
    out: list[str] = []
    for line, following in zip(lines, [*lines[1:], ""], strict=True):
        line = line.strip()
        ends = following[:1].isupper() or following[:1].isdigit()
        ends = ends and not re.search(r"[.;:!?,]$", line) and not RUNS_ON.search(line)
        out.append(f"{line}." if ends and line else line)
    return " ".join(out)


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


def date_range_in(text: str) -> tuple[str, str] | None:
    """``("2016-06", "2016-07")`` for "June/July 2016": a range of months as written, else None."""
    m = re.search(r"\b(" + "|".join(MONTHS) + r")\.?\s*/\s*(" + "|".join(MONTHS) + r")\.?\s+(\d{4})\b", text,
                  re.IGNORECASE)
    if not m:
        return None
    first, last, year = MONTHS[m.group(1).lower()], MONTHS[m.group(2).lower()], m.group(3)
    return (f"{year}-{first:02d}", f"{year}-{last:02d}") if last > first else None


def happenings(text: str) -> Sequence[Happening]:
    """The agreements and events ``text`` states, in order."""
    found: list[Happening] = []
    counted: str | None = None  # the status of a counted mention, waiting for its example
    follows = False  # the sentence before named an event: an undated one right after it is the same
    for sentence in SENTENCE.split(text):
        example = EXAMPLE.search(sentence)
        if counted and example:
            found.append(Happening("agreement", example.group(1).strip(), counted, None))
        agreements = _agreements(sentence)
        counted = None
        if agreements is not None:
            found += agreements
            follows = False
            if not agreements:  # a figure: its example, here or in the next sentence, is an agreement
                counted = _status(sentence)
                if counted and example:
                    found.append(Happening("agreement", example.group(1).strip(), counted, None))
                    counted = None
            continue
        event = _event(sentence)
        if event and not (event.date is None and follows):
            found.append(event)
        follows = event is not None
    return found


def _status(text: str) -> str | None:
    return next((status for status, cue in STATUS if cue.search(text)), None)


def _agreements(sentence: str) -> list[Happening] | None:
    """The agreements a sentence states; [] when it only counts them; None when it names none with a status."""
    if not AGREEMENT.search(sentence):
        return None
    single = [m for m in AGREEMENT.finditer(sentence) if not COUNTED.search(sentence[max(0, m.start() - 20) : m.end()])]
    if not single:
        return [] if _status(sentence) else None
    clause = sentence
    if COUNTED.search(sentence[: single[0].start()]):  # "no MoU has been signed, but a MoU … is in preparation"
        article = re.search(r"\b(?:an?|the|one)\s+$", sentence[: single[0].start()], re.IGNORECASE)
        clause = sentence[article.start() if article else single[0].start() :]
    status = _status(clause)
    if status is None:
        return None
    parts = [clause]
    if re.search(r"\b(?:mous|agreements|memoranda)\b", clause, re.IGNORECASE):  # "MoUs on A as well as B"
        parts = AS_WELL_AS.split(clause)
    cue = dict(STATUS)[status].search(parts[0])
    head = parts[0][: cue.end()] if cue and len(parts) > 1 else ""
    return [Happening("agreement", (f"{head} {part}" if k else part).strip().rstrip(".;"), status, date_in(part))
            for k, part in enumerate(parts)]


def _event(sentence: str) -> Happening | None:
    """The event a sentence names, if any."""
    m = EVENT.search(sentence)
    week = WEEK.search(sentence)
    if week and (not m or week.start() < m.start()):
        return Happening("event", sentence, "week", date_in(sentence))
    if not m:
        return None
    word = m.group(1).lower()
    word = word if word.endswith("ss") or word in KINDS else word.rstrip("s")
    return Happening("event", sentence, KINDS.get(word, word), date_in(sentence))


#: An item's status -> its cues, checked in this order.
STATUS_CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (status, re.compile(cue, re.IGNORECASE)) for status, cue in (
    ("planned", r"\b(?:wants? to|preparing|prepares|should be|plans? to|planned)\b"),
    ("intended", r"\b(?:envisaged|intended|intends?)\b"),
    ("proposed", r"\b(?:possible|possibly|offered|offers?|proposals?|proposed|shortlisted|keen to)\b"),
    ("completed", r"\b(?:(?:were|was|been) signed|travell?ed|visited|took place|(?:was|were) held)\b"),
))


def status_of(text: str, next_step: bool = False) -> str:
    """An item's status by the rules above: planned, intended, proposed, completed or ongoing."""
    if next_step:
        return "planned"
    found = next((status for status, cue in STATUS_CUES if cue.search(text)), None)
    if found:
        return found
    dated = any(h.what == "event" and h.date and h.kind in ("mission", "visit") for h in happenings(text))
    return "completed" if dated else "ongoing"
