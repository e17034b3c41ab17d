"""No import circles between the project's modules; the real WeCom adapter never sees the simulator.

Every import counts: top-level, inside functions and under ``if TYPE_CHECKING:``. A circle
hidden inside a function still couples the two modules both ways, and one under
``TYPE_CHECKING`` still breaks mypy's and a reader's picture of which module comes first.
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "handlers", "models", "scheduler")

Graph = dict[str, set[str]]

# Circles that run only through code another change is rewriting at the same time, so that
# change can land on its own. Each entry is the set of modules one circle may still touch; a
# circle passes while it stays inside one entry. An entry whose circle is gone fails the test,
# so the list only shrinks; with no rewrite under way it stays empty.
KNOWN_CYCLES_BEING_REMOVED: tuple[frozenset[str], ...] = ()


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_files(root: Path, packages: Iterable[str]) -> dict[str, Path]:
    return {
        module_name(root, path): path
        for package in packages
        for path in sorted((root / package).rglob("*.py"))
    }


def _imported(
    module: str, is_package: bool, node: ast.Import | ast.ImportFrom, modules: Mapping[str, Path]
) -> Iterator[str]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            # `import a.b.c` names a.b.c; take the deepest part that is a project module.
            parts = alias.name.split(".")
            for end in range(len(parts), 0, -1):
                candidate = ".".join(parts[:end])
                if candidate in modules:
                    yield candidate
                    break
        return
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        anchor = package[: len(package) - (node.level - 1)]
        base = ".".join([*anchor, *([node.module] if node.module else [])])
    else:
        base = node.module or ""
    for alias in node.names:
        submodule = f"{base}.{alias.name}"
        if submodule in modules:
            yield submodule
        elif base in modules:
            yield base


def build_graph(root: Path, packages: Iterable[str] = PACKAGES) -> Graph:
    """Module -> the project modules it imports, anywhere in its source."""
    modules = project_files(root, packages)
    graph: Graph = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                graph[name].update(_imported(name, is_package, node, modules))
        graph[name].discard(name)
    return graph


def strongly_connected(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm; returns only the components that hold a circle (two or more modules)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(components)


def _shortest_cycle_through(
    start: str, graph: Mapping[str, set[str]], members: set[str]
) -> list[str]:
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for target in sorted(graph[node] & members):
            if target == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            if target not in came_from:
                came_from[target] = node
                queue.append(target)
    raise AssertionError(f"{start} is in a component without a circle through it")


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """One shortest circle through each module of each component, each circle listed once."""
    found: dict[frozenset[str], list[str]] = {}
    for component in strongly_connected(graph):
        members = set(component)
        for start in component:
            cycle = _shortest_cycle_through(start, graph, members)
            found.setdefault(frozenset(cycle), cycle)
    return sorted(found.values())


def _describe(circles: Iterable[list[str]]) -> str:
    return "\n".join("  " + " -> ".join(circle) for circle in circles)


def test_no_import_cycles_between_project_modules() -> None:
    graph = build_graph(ROOT)
    components = strongly_connected(graph)
    unexpected = [
        c for c in components if not any(set(c) <= known for known in KNOWN_CYCLES_BEING_REMOVED)
    ]
    stale = [
        known
        for known in KNOWN_CYCLES_BEING_REMOVED
        if not any(set(c) <= known for c in components)
    ]
    assert not unexpected, "import circles between project modules:\n" + _describe(
        cycles({name: graph[name] for name in set().union(*unexpected)})
    )
    assert not stale, "these circles are gone; delete them from KNOWN_CYCLES_BEING_REMOVED:\n" + (
        "\n".join("  " + ", ".join(sorted(known)) for known in stale)
    )


def _in(package: str, module: str) -> bool:
    return module == package or module.startswith(package + ".")


def import_paths(graph: Mapping[str, set[str]], source: str, target: str) -> list[list[str]]:
    """For each module under ``target`` that code under ``source`` loads, directly or through
    other modules, one shortest chain of imports from ``source`` to it."""
    came_from: dict[str, str | None] = {m: None for m in sorted(graph) if _in(source, m)}
    queue = deque(came_from)
    while queue:
        node = queue.popleft()
        for imported in sorted(graph[node]):
            if imported not in came_from:
                came_from[imported] = node
                queue.append(imported)
    paths = []
    for reached in sorted(m for m in came_from if _in(target, m)):
        path: list[str] = [reached]
        while (previous := came_from[path[-1]]) is not None:
            path.append(previous)
        paths.append(path[::-1])
    return paths


def test_wecom_adapter_never_loads_the_simulator() -> None:
    paths = import_paths(build_graph(ROOT), "bot.wecom", "bot.wecom_sim")
    assert not paths, "the WeCom adapter loads the simulator:\n" + _describe(paths)


def _write(root: Path, files: Mapping[str, str]) -> None:
    for relative, source in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")


def test_the_checker_finds_a_known_circle(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/a.py": "from app import b\n",
            "app/b.py": (
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .c import C\n"
            ),
            "app/c.py": "def late():\n    import app.a\n",
            "app/d.py": "from app.a import name\n",
            "app/sub/__init__.py": "from . import e\n",
            "app/sub/e.py": "from .. import d\nfrom ..sub import f\n",
            "app/sub/f.py": "from app.sub import e\n",
        },
    )
    graph = build_graph(tmp_path, ["app"])
    assert graph["app.d"] == {"app.a"}
    assert graph["app.sub"] == {"app.sub.e"}
    assert graph["app.sub.e"] == {"app.d", "app.sub.f"}
    assert cycles(graph) == [
        ["app.a", "app.b", "app.c", "app.a"],
        ["app.sub.e", "app.sub.f", "app.sub.e"],
    ]


def test_the_checker_passes_a_package_without_circles(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "app/__init__.py": "from app.a import A\n",
            "app/a.py": "from app.types import T\nimport app.b\n",
            "app/b.py": "from .types import T\ndef late():\n    from app import types\n",
            "app/types.py": "import os\nT = int\n",
        },
    )
    graph = build_graph(tmp_path, ["app"])
    assert graph["app"] == {"app.a"}
    assert graph["app.a"] == {"app.types", "app.b"}
    assert strongly_connected(graph) == []
    assert cycles(graph) == []


def test_the_checker_follows_imports_through_other_modules() -> None:
    graph = {
        "real": {"real.client"},
        "real.client": {"shared"},
        "shared": {"fake.state"},
        "fake": set(),
        "fake.state": set(),
        "realistic": {"fake"},
    }
    assert import_paths(graph, "real", "fake") == [["real.client", "shared", "fake.state"]]
    assert import_paths(graph, "shared", "real") == []
