"""The kept report texts: what a load keeps for the cited lines, and what it never keeps."""

from __future__ import annotations

import hashlib
import json

import yaml

from citygraph.serve.review import add_from_line, lines_of, open_review, queue
from citygraph.store.texts import DocumentText, Line, Texts
from tests.conftest import run_cli
from tests.fixtures.reports.containers import NOT_READ, write_all

REPORT = """EU–China harbour partnerships, 2021

1. Lyon – Ningbo

  • Lyon and Ningbo twinned their harbours; contact jane.doe@example.org or +44 20 7946 0958.
"""


def test_a_load_keeps_the_report_text_without_contact_data(tmp_path, cli_env):
    texts = tmp_path / "texts"
    env = {**cli_env, "CITYGRAPH_TEXTS": str(texts)}
    report = tmp_path / "ningbo.txt"
    report.write_text(REPORT, encoding="utf-8")
    done = run_cli("load", str(report), env=env)
    assert done.returncode == 0, done.stderr
    (kept,) = texts.glob("*.json")
    body = json.loads(kept.read_text(encoding="utf-8"))
    assert body["file"] == "ningbo.txt" and kept.stem == hashlib.sha256(report.read_bytes()).hexdigest()
    line = next(text for n, _, text in body["lines"] if n == 5)
    assert "[e-mail]" in line and "[phone]" in line and "example.org" not in line and "7946" not in line
    stamp = kept.stat().st_mtime_ns
    assert run_cli("load", str(report), env=env).returncode == 0
    assert kept.stat().st_mtime_ns == stamp  # the same bytes: kept once


def test_a_failed_load_leaves_the_graph_alone_and_a_text_folder_that_cannot_be_written_says_so(tmp_path, cli_env):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    report = tmp_path / "ningbo.txt"
    report.write_text(REPORT, encoding="utf-8")
    done = run_cli("load", str(report), env={**cli_env, "CITYGRAPH_TEXTS": str(blocked / "texts")})
    assert done.returncode == 2 and "CITYGRAPH_TEXTS" in done.stderr and "Traceback" not in done.stderr
    empty = run_cli("cypher", "MATCH (n) RETURN count(n) AS n", "-f", "json", env=cli_env)
    assert json.loads(empty.stdout) in ([{"n": 0}], [])


def test_texts_are_named_by_hash_only(tmp_path):
    kept = Texts(tmp_path)
    kept.put(DocumentText("a" * 64, "r.txt", [Line(3, "3", "three"), Line(4, "p1:4", "four")]))
    assert [x.text for x in kept.lines("a" * 64, 3, 4)] == ["three", "four"]
    assert kept.lines("b" * 64, 1, 1) is None
    try:
        kept.path("../../etc/passwd")
    except ValueError:
        pass
    else:
        raise AssertionError("a name that is not a hash must be refused")


def test_an_extraction_yaml_reviews_with_its_lines_and_its_lines_not_read(tmp_path, cli_env):
    report = write_all(tmp_path / "report")[".pdf"]
    out = tmp_path / "extracted.yaml"
    done = run_cli("extract", str(report), "--out", str(out), env=cli_env)
    assert done.returncode == 0, done.stderr
    review = open_review(out, None, lambda paths: None, Texts(tmp_path / "none"))  # no text kept there
    shown = queue(review)
    assert shown["not_read"][0]["text"].startswith(NOT_READ.rstrip("."))
    assert shown["items"][0]["lines"][0]["missing"]  # its lines are not at hand in that folder
    review = open_review(out, None, lambda paths: None, Texts())  # the run's folder (conftest): extract kept it

    item = queue(review)["items"][0]
    assert item["lines"][0]["lines"], item
    ident = add_from_line(review, review.not_read[0]["key"], "Observers", "government", "Graz (Austria), Kobe (Japan)")
    added = next(c for c in review.data["cooperations"] if c["id"] == ident)
    assert added["involves"] == ["graz-at", "kobe-jp"]
    (cited,) = lines_of(review, added["sources"])
    assert cited["lines"][0]["locator"] == "p1:9" and cited["lines"][0]["text"].startswith(NOT_READ.rstrip("."))
    assert yaml.safe_load(yaml.safe_dump(review.data))["places"][-1]["country"] == "JP"
