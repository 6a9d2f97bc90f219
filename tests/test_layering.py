"""The house rules of the source tree, read from its syntax (``ast``), nothing imported:

- no module reads or writes another library's private state: an attribute ``x._name`` (or a
  ``getattr``/``vars`` key ``"_name"``) is either the module's own (``self._name``, ``cls._name``) or
  a name the aseankg package itself defines; rdflib's ``_Memory__spo`` and the like are not;
- the imports among aseankg's modules (module level or inside functions, ``TYPE_CHECKING`` ones
  too) never go round in a circle: every arrow points one way.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "aseankg"


def _modules() -> dict[str, tuple[Path, bool]]:
    """Dotted module name → (file, is a package's ``__init__``)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if package else parts)] = (path, package)
    return found


MODULES = _modules()
TREES = {name: ast.parse(path.read_text(encoding="utf-8"), str(path)) for name, (path, _) in MODULES.items()}


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _own_names() -> set[str]:
    """Every name the package defines: functions, classes, assigned names and attributes of
    ``self``/``cls``, parameters, import aliases."""
    names: set[str] = set()
    for tree in TREES.values():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store)
                  and isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                names.add(node.attr)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.alias):
                names.add(node.asname or node.name.split(".")[0])
    return names


def private_uses() -> list[str]:
    """``file:line code`` for each read or write of a private attribute that is not the package's."""
    own = _own_names()
    found = []
    for name, tree in TREES.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and _private(node.attr):
                if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
                    continue
                if node.attr not in own:
                    found.append(f"{name}:{node.lineno} {ast.unparse(node)}")
            elif (isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.isidentifier()
                  and _private(node.value) and node.value not in own):
                found.append(f"{name}:{node.lineno} {node.value!r}")  # getattr(x, "_y"), vars(x)["_y"]
    return found


def import_graph() -> dict[str, set[str]]:
    """Module → the aseankg modules it imports."""
    graph: dict[str, set[str]] = {}
    for name, tree in TREES.items():
        package = name if MODULES[name][1] else name.rpartition(".")[0]
        deps: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                deps.update(a.name for a in node.names if a.name in MODULES)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[:len(package.split(".")) - node.level + 1]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                for alias in node.names:
                    if f"{source}.{alias.name}" in MODULES:  # from . import naming
                        deps.add(f"{source}.{alias.name}")
                    elif source in MODULES:
                        deps.add(source)
        graph[name] = deps - {name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_checks_see_what_they_look_for():
    assert {"aseankg.store", "aseankg.stores", "aseankg.shacl.run", "aseankg.web.pages"} <= set(MODULES)
    assert "aseankg.settings" in import_graph()["aseankg.store"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_touches_another_librarys_private_state():
    assert private_uses() == []


def test_no_import_circles_among_the_modules():
    assert cycles(import_graph()) == []
