"""Imports in graph/ run one way: no cycle between modules, and no module imports a package
above it (its ``__init__``), so a package's public names never depend on its own insides.

The import graph comes from grimp (every import, lazy and TYPE_CHECKING ones included);
networkx finds the cycles in it.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import grimp
import networkx as nx
import pytest


def _graph(package: str) -> tuple[grimp.ImportGraph, nx.DiGraph]:
    imports = grimp.build_graph(package, cache_dir=None)
    edges = nx.DiGraph()
    edges.add_nodes_from(imports.modules)
    for importer in imports.modules:
        for imported in imports.find_modules_directly_imported_by(importer):
            edges.add_edge(importer, imported)
    return imports, edges


def import_cycles(package: str) -> list[list[str]]:
    """One cycle (``a -> b -> ... -> a``) for each set of modules that import each other."""
    _, edges = _graph(package)
    out = []
    for group in nx.strongly_connected_components(edges):
        if len(group) > 1:
            ring = [a for a, _ in nx.find_cycle(edges.subgraph(group), source=min(group))]
            out.append(ring + ring[:1])
    return sorted(out)


def upward_imports(package: str) -> list[str]:
    """``module:line: the import`` for each import of a package that contains the importer."""
    imports, edges = _graph(package)
    out = []
    for importer, imported in sorted(edges.edges):
        if importer.startswith(imported + "."):
            for d in imports.get_import_details(importer=importer, imported=imported):
                out.append(f"{importer}:{d['line_number']}: {d['line_contents']}")
    return out


def test_every_module_is_in_the_import_graph():
    """A folder without ``__init__.py`` (a namespace package) is invisible to grimp: its
    modules would escape both checks below."""
    import graph

    root = Path(graph.__file__).parent
    on_disk = {
        ".".join(("graph", *p.relative_to(root).with_suffix("").parts)).removesuffix(".__init__")
        for p in root.rglob("*.py")
    }
    imports, _ = _graph("graph")
    assert on_disk - imports.modules == set()


def test_no_import_cycle_in_graph():
    assert import_cycles("graph") == []


def test_no_module_imports_a_package_above_it():
    assert upward_imports("graph") == []


@pytest.fixture
def tangled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A small package with one cycle and two imports of an ``__init__`` from below it."""
    files = {
        "tangled/__init__.py": "from tangled.low import helper\n\nVERSION = '1'\n",
        "tangled/low.py": "def helper():\n    from tangled.high import run\n    return run\n",
        "tangled/high.py": "from tangled.low import helper\n\ndef run():\n    return helper\n",
        "tangled/sub/__init__.py": "NAME = 'sub'\n",
        "tangled/sub/leaf.py": "from tangled import VERSION\nfrom tangled.sub import NAME\n",
        "tangled/sub/fine.py": "from tangled import low\nfrom tangled.sub import leaf\n",
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "tangled"
    for name in [m for m in sys.modules if m == "tangled" or m.startswith("tangled.")]:
        del sys.modules[name]


def test_the_checks_find_cycles_and_upward_imports(tangled):
    assert import_cycles(tangled) == [["tangled.high", "tangled.low", "tangled.high"]]
    assert upward_imports(tangled) == [
        "tangled.sub.leaf:1: from tangled import VERSION",
        "tangled.sub.leaf:2: from tangled.sub import NAME",
    ]
