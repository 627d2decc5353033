"""The product's import graph, read from the source (imports inside functions count; TYPE_CHECKING ones don't)."""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCT_ROOTS = ("booking", "bot", "calendar_sync")


@dataclass
class Module:
    name: str
    path: Path
    imports: set[str] = field(default_factory=set)        # every imported name, resolved to a module when ours
    inside_functions: list[str] = field(default_factory=list)  # "module:line": a product import in a function


def product_modules() -> dict[str, Module]:
    modules: dict[str, Module] = {}
    for root in PRODUCT_ROOTS:
        for path in sorted((ROOT / root).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            modules[name] = Module(name, path)
    for module in modules.values():
        _read_imports(module)
    return modules


def _read_imports(module: Module) -> None:
    tree = ast.parse(module.path.read_text(encoding="utf-8"))
    typing_only = {id(node) for branch in ast.walk(tree) if isinstance(branch, ast.If)
                   and "TYPE_CHECKING" in ast.unparse(branch.test) for body in branch.body for node in ast.walk(body)}
    in_function = {id(node) for func in ast.walk(tree) if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef))
                   for node in ast.walk(func) if node is not func}
    package = module.name if module.path.name == "__init__.py" else module.name.rpartition(".")[0]
    for node in ast.walk(tree):
        if id(node) in typing_only or not isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names]
        module.imports.update(targets)
        if id(node) in in_function and any(t.split(".")[0] in PRODUCT_ROOTS for t in targets):
            module.inside_functions.append(f"{module.name}:{node.lineno}")


def resolve(name: str, modules: dict[str, Module]) -> str | None:
    """The module of ours an imported name belongs to (``booking.a.b.Name`` → ``booking.a.b``)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def graph(modules: dict[str, Module]) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {name: set() for name in modules}
    for module in modules.values():
        for target in module.imports:
            found = resolve(target, modules)
            if found and found != module.name:
                edges[module.name].add(found)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in edges:
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found
