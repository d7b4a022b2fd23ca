"""Splitting a Cypher script into statements as cypher-shell does: at ; outside strings and comments."""

from citygraph.query.script import statements


def test_statements_split_at_semicolons_outside_strings_and_comments():
    script = ("MATCH (n) RETURN n; // a ; comment\nRETURN 'a;b' AS x;\n\n/* ; */ RETURN \"c;\" AS y;;\n"
              "// only a comment;\n")
    assert [(s.text, s.line) for s in statements(script)] == [
        ("MATCH (n) RETURN n", 1), ("// a ; comment\nRETURN 'a;b' AS x", 2), ('/* ; */ RETURN "c;" AS y', 4)]


def test_one_statement_without_a_semicolon_and_an_empty_script():
    assert [s.text for s in statements("RETURN 1")] == ["RETURN 1"]
    assert statements(" ;\n; // nothing\n") == []
