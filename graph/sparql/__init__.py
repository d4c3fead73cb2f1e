"""SPARQL: the query engine (``engine.py``: find queries in files, the library or inline text,
bind parameters as RDF terms, run them), W3C result formats (``results.py``) and the
read-only endpoint (``server.py``). The query library itself ships in ``graph/queries/``."""

from __future__ import annotations

from graph.sparql.engine import (
    LIBRARY_DIR,
    Query,
    find_query,
    list_queries,
    param_kinds,
    parse_param,
    parse_params,
    query_title,
    resolve_params,
    run,
    search_dirs,
)

__all__ = ["LIBRARY_DIR", "Query", "find_query", "list_queries", "param_kinds", "query_title", "parse_param", "parse_params",
           "resolve_params", "run", "search_dirs"]
