"""The workbench behind ``citygraph serve``: a local web app on the same store and library face as the CLI.

:mod:`.security` guards every request (Host, token, CSRF, read-only unless
started to write, a strict Content-Security-Policy); :mod:`.workbench`
answers (search, expand, provenance, queries, Cypher); :mod:`.review` is the
review queue of what the report parser read; :mod:`.app` the routes. The page
and its script are in ``static/``: ``app.js`` is written by hand,
``vendor.min.js`` is built by ``make assets`` from ``tools/workbench``.
"""
