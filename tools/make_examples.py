"""Write examples/report.docx from examples/report.txt: the same report as Word gives it (headings, bullets).

Run it after changing the text report; the test suite checks that both load as the same facts.

    .venv/bin/python tools/make_examples.py
"""

from __future__ import annotations

import re
from pathlib import Path

import docx

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def paragraphs(text: str) -> list[tuple[str, str]]:
    """(style, text) for each paragraph of the text report, wrapped lines joined: bullets, headings, prose."""
    out: list[tuple[str, str]] = []
    for block in (b for b in text.split("\n\n") if b.strip()):
        if block.lstrip().startswith("* "):
            out += [("List Bullet", _joined(item)) for item in re.split(r"^\s*\* ", block, flags=re.M) if item.strip()]
        elif block.startswith(("Pilot ", "ISSUE ")):
            out.append(("Heading 2" if block.startswith("Pilot") else "Heading 3", _joined(block)))
        else:
            out.append(("Normal", _joined(block)))
    return out


def _joined(text: str) -> str:
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def main() -> None:
    text = (EXAMPLES / "report.txt").read_text(encoding="utf-8")
    title, rest = text.split("\n", 1)
    document = docx.Document()
    document.add_heading(title, level=1)
    for style, line in paragraphs(rest):
        document.add_paragraph(line, style=style)
    document.core_properties.title = title
    document.save(str(EXAMPLES / "report.docx"))


if __name__ == "__main__":
    main()
