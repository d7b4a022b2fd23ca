"""File formats: delimited tables and workbooks, canonical YAML/JSON/CSV, lists of pairs, rejected rows."""
