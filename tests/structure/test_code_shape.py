"""The shape of the code a newcomer can see: small modules and functions, layered imports.

The layers are described in docs/architecture.md; each module imports only from its own layer
or lower ones, so the package tree reads in the order data flows through it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "nbpost"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60

# Lowest first. A module's layer is its longest matching prefix here.
LAYERS: list[tuple[str, ...]] = [
    ("errors", "textio", "fileswap", "yamlguard", "model", "slugs", "frontmatter"),
    ("project",),
    ("qmd", "ipynb", "attachments", "titles"),
    ("roundtrip", "conversion", "api", "sync", "blog", "check"),
    ("cli", "jupyter", "__init__", "__main__"),
]
# Inside the blog: the reader below the renderers below the incremental machinery.
BLOG_ORDER = ["blog.model", "blog.read", "blog.render", "blog.incremental", "blog"]


def module_name(path: Path) -> str:
    """``src/nbpost/blog/read/collect.py`` -> ``blog.read.collect``."""
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (without the ``nbpost.`` prefix)."""
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer_of(name: str) -> int:
    """The layer index of a module."""
    first = name.split(".")[0]
    for index, members in enumerate(LAYERS):
        if first in members:
            return index
    raise AssertionError(f"module {name} is in no layer: add it to LAYERS and the architecture doc")


def blog_rank(name: str) -> int:
    """Order inside the blog package (build, progress and the package itself rank last)."""
    for index, prefix in enumerate(BLOG_ORDER):
        if name == prefix or name.startswith(prefix + "."):
            return index
    return len(BLOG_ORDER)


def imports_of(name: str, path: Path, known: dict[str, Path]) -> list[tuple[str, int, bool]]:
    """(imported module, line, at module level?) for every nbpost import in a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    if name == "__init__":
        package = ""
    else:
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    top_level = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package else []
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                stem = ".".join([*base, *([node.module] if node.module else [])])
            elif node.module and node.module.split(".")[0] == "nbpost":
                stem = node.module.partition(".")[2]
            else:
                continue
            for alias in node.names:
                full = f"{stem}.{alias.name}" if stem else alias.name
                targets.append(full if full in known else stem)
        elif isinstance(node, ast.Import):
            targets = [a.name.partition(".")[2] for a in node.names if a.name.startswith("nbpost.")]
        for target in targets:
            if target and target != name:
                found.append((target, node.lineno, id(node) in top_level))
    return found


def test_no_module_is_too_long() -> None:
    long = {
        name: n
        for name, path in modules().items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"


def test_no_function_is_too_long() -> None:
    long = []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                size = (node.end_lineno or node.lineno) - node.lineno + 1
                if size > MAX_FUNCTION_LINES:
                    long.append(f"{name}.{node.name} ({size} lines)")
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines: {long}"


def test_imports_go_down_the_layers() -> None:
    known = modules()
    upward = []
    for name, path in known.items():
        for target, line, _ in imports_of(name, path, known):
            if name == "__init__" or target == "__init__":
                continue  # the package's lazy `from . import api` face
            both_blog = name.startswith("blog") and target.startswith("blog")
            if layer_of(target) > layer_of(name) or (
                both_blog and blog_rank(target) > blog_rank(name)
            ):
                upward.append(f"{name}:{line} imports {target}")
    assert not upward, "imports from a higher layer:\n" + "\n".join(upward)


def test_no_import_cycles() -> None:
    known = modules()
    graph = {
        name: {t for t, _, _ in imports_of(name, path, known) if t in known}
        for name, path in known.items()
    }
    for package_name in [n for n, p in known.items() if p.name == "__init__.py"]:
        # a package re-exporting its modules is not a cycle with them
        graph[package_name] = {t for t in graph[package_name] if not t.startswith(package_name)}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            pytest.fail("import cycle: " + " -> ".join(cycle))


def test_every_module_and_public_function_has_a_docstring() -> None:
    missing = []
    for name, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if not ast.get_docstring(tree):
            missing.append(name)
        for node in tree.body:
            is_def = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            if is_def and not node.name.startswith("_") and not ast.get_docstring(node):
                missing.append(f"{name}.{node.name}")
    assert not missing, f"missing docstrings: {missing}"
