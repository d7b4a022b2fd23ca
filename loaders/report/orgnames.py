"""Organisations a report names that no gazetteer knows, recognised by the common forms of their names.

``University of X``, ``X University``, ``Universidad/Universidade/Università/Université de X``, ``X Institute of
Technology`` (university); ``Port of X``, ``X Port Authority`` (port);
``X Cluster``, ``X Tech Hub``, ``X Science Park`` (cluster); ``Chamber of Commerce`` (chamber); ``X Agency``,
``Municipality of X``, ``City Hall``, ``City Council``, ``X Municipal
Corporation``, ``Ministry of X`` (public body); ``X Institute``, ``Research
Council``, ``Research Centre`` (research institute); ``X School``, ``X
College`` (school); ``X Ltd``, ``GmbH``, ``S.A.``, ``SpA``, ``Inc.`` (company).
The kind is a guess from the name's form, so each extracted organisation is
listed in the load's summary for review. An acronym-named body whose kind the text states (``the research
institute INESC TEC``) is that kind; names a text lists as companies or partners (``partners such as Scania
and Ericsson``) are companies, unless they name places. An acronym in parentheses right
after the name (``Federal University of Paraná (UFPR)``) becomes an alias; a
conjunction with a plural (``Sichuan and Shantou Universities``) is two
organisations.
"""

from __future__ import annotations

import re

#: (kind, pattern on the whole name), first match wins.
FORMS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in (
    ("Company", r"\b(?:ltd|limited|gmbh|s\.?a\.?|s\.?p\.?a\.?|inc\.?|plc|co\.|corp\.?|ag|bv|nv)$"),
    ("University", r"\b(?:universit(?:y|é|at|ät|à|ad|y college)|universidade?|institute of technology|polytechnic)\b"),
    ("Port", r"^port of\b|\bport(?: authority)?$|\bharbou?r(?: authority)?$"),
    ("Cluster", r"\bcluster$|\b(?:tech(?:nology)?|innovation|digital|start-?up) hub$|\bscience park$"),
    ("Chamber", r"\bchambers? of commerce\b"),
    ("PublicBody", r"\b(?:agency|municipality|city hall|city council|municipal corporation|ministry|"
                   r"government|authority|commission|administration)\b"),
    ("ResearchInstitute", r"\b(?:institute|research council|research cent(?:re|er)|laborator(?:y|ies))\b"),
    ("School", r"\b(?:school|college|academy)\b"),
))
#: "Sichuan and Shantou Universities": two names sharing one plural kind word.
CONJUNCTION = re.compile(r"\b([A-Z][\w'’-]+) and ([A-Z][\w'’-]+) (Universities|Clusters|Ports|Schools|Institutes)\b")
#: "Chambers of Commerce of Lyon and Guangzhou": one plural kind word shared by two places.
CONJUNCTION_OF = re.compile(
    r"\b(Chambers of Commerce|Universities|Ports|Clusters) of ([A-Z][\w'’-]+) and ([A-Z][\w'’-]+)\b")
#: "software companies Maithu and Pixel Soup", "the company Acme": names a text lists as companies.
NAME = r"[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*)*"
LISTED = re.compile(rf"\b(?:compan(?:y|ies)|firms?|[Pp]artners?(?:\s+(?:such as|including|like))?)\s+"
                    rf"({NAME}(?:\s*(?:,|\band\b)\s*{NAME})*)")
#: Descriptions that say what an acronym-named body is ("the research institute INESC TEC", "INESC TEC, a
#: research institute"): the kind word -> kind.
DESCRIBED_KINDS = {"research institute": "ResearchInstitute", "research centre": "ResearchInstitute",
                   "research center": "ResearchInstitute", "institute": "ResearchInstitute",
                   "university": "University", "cluster": "Cluster", "tech hub": "Cluster", "company": "Company",
                   "firm": "Company", "agency": "PublicBody"}
_KIND = "|".join(sorted(DESCRIBED_KINDS, key=len, reverse=True))
_CAPS = r"(?:[A-Z][A-Z0-9&]{1,9}\s)?[A-Z][A-Z0-9&]{2,9}"
DESCRIBED = (re.compile(rf"\b(?P<kind>{_KIND})\s+(?P<name>{_CAPS})\b", re.IGNORECASE),
             re.compile(rf"\b(?P<name>{_CAPS}),?\s+(?:(?:is\s+)?(?:a|an|the)\s+)?(?P<kind>{_KIND})\b"))
#: An acronym in parentheses right after a name.
ACRONYM_AFTER = re.compile(r"^\s*\(([A-Z][A-Z0-9&]{1,9})\)")
SINGULAR = {"Universities": "University", "Clusters": "Cluster", "Ports": "Port", "Schools": "School",
            "Institutes": "Institute", "Chambers of Commerce": "Chamber of Commerce"}


def kind_of(name: str) -> str | None:
    """The organisation kind the form of ``name`` suggests, or None when it is not an organisation's name."""
    if len(name.split()) < 2:
        return None
    return next((kind for kind, form in FORMS if form.search(name.strip(" ."))), None)


def conjunctions(text: str) -> list[tuple[int, int, list[str]]]:
    """(start, end, [names]) for each "X and Y Universities" or "Chambers of Commerce of X and Y" in ``text``:
    one name per place."""
    found = [(m.start(), m.end(), [f"{m.group(1)} {SINGULAR[m.group(3)]}", f"{m.group(2)} {SINGULAR[m.group(3)]}"])
             for m in CONJUNCTION.finditer(text)]
    found += [(m.start(), m.end(), [f"{SINGULAR[m.group(1)]} of {place}" for place in (m.group(2), m.group(3))])
              for m in CONJUNCTION_OF.finditer(text)]
    return sorted(found)


def listed_companies(text: str) -> list[tuple[int, int, list[str]]]:
    """(start, end, [names]) for the names a text lists after "company" or "companies"."""
    return [(m.start(1), m.end(1), [n.strip() for n in re.split(r"\s*(?:,|\band\b)\s*", m.group(1)) if n.strip()])
            for m in LISTED.finditer(text)]


def described(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, name, kind) for each acronym-named body the text says the kind of."""
    found = []
    for pattern in DESCRIBED:
        for m in pattern.finditer(text):
            name = m.group("name")
            if name == name.upper() and any(c.isalpha() for c in name):
                found.append((m.start("name"), m.end("name"), name, DESCRIBED_KINDS[m.group("kind").lower()]))
    return sorted(set(found))


def acronym_after(text: str, end: int) -> str | None:
    """The acronym in parentheses that follows a name ending at ``end``, if any."""
    m = ACRONYM_AFTER.match(text[end:])
    return m.group(1) if m else None
