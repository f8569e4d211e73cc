"""The layers of the code hold: imports run one way, the checks never import a writer, library types stay at
their border. Read from the source (ast), so a new file is held to the same rules without being listed."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "zhibi", "retrieval", "drafting", "ui")


def _module(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every module the file imports, at the top or inside a function (TYPE_CHECKING imports count too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
    return out


def _graph() -> dict[str, set[str]]:
    files = [p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")]
    modules = {_module(p): p for p in files}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for imported in _imports(path):
            # "from drafting.notes import parse_notes" names the package drafting.notes
            while imported and imported not in modules:
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                targets.add(imported)
        graph[name] = targets
    return graph


def test_no_import_circle_in_product_code() -> None:
    graph = _graph()
    state: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            # a package's __init__ importing its own submodule is no circle
            if node.startswith(nxt + ".") or nxt.startswith(node + "."):
                continue
            if state.get(nxt) == 1:
                circles.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert circles == [], circles[:3]


def _imports_of(prefix: str) -> dict[str, set[str]]:
    return {m: t for m, t in _graph().items() if m == prefix or m.startswith(prefix + ".")}


def test_checks_import_no_engine_and_no_writer() -> None:
    allowed = ("drafting.text", "drafting.checks", "core.types")
    for module, targets in _imports_of("drafting.checks").items():
        bad = [t for t in targets if not t.startswith(allowed)]
        assert bad == [], f"{module} imports {bad}"


def test_text_is_the_bottom_layer() -> None:
    for module, targets in _imports_of("drafting.text").items():
        bad = [t for t in targets if not t.startswith(("drafting.text", "core.types"))]
        assert bad == [], f"{module} imports {bad}"


def test_notes_do_not_import_a_writer_or_the_checks() -> None:
    for module, targets in _imports_of("drafting.notes").items():
        bad = [
            t for t in targets if t.startswith(("drafting.engines", "drafting.checks", "drafting.drafter"))
        ]
        assert bad == [], f"{module} imports {bad}"


def test_library_types_stay_at_their_border() -> None:
    borders = {
        "langchain": ("drafting.engines.llm.client",),
        "chromadb": ("retrieval.",),
    }
    for pkg in PACKAGES:
        for path in (ROOT / pkg).rglob("*.py"):
            module = _module(path)
            for imported in _imports(path):
                for lib, homes in borders.items():
                    if imported.split(".")[0].startswith(lib):
                        assert module.startswith(homes), f"{module} imports {imported}"


def test_the_plan_is_its_own_layer() -> None:
    """drafting/plan.py decides which lines each section writes; it imports no engine, check or drafter."""
    for module, targets in _imports_of("drafting.plan").items():
        bad = [
            t for t in targets if t.startswith(("drafting.engines", "drafting.checks", "drafting.drafter"))
        ]
        assert bad == [], f"{module} imports {bad}"


def test_packages_stand_on_floors() -> None:
    """core is the ground; retrieval and drafting stand on it side by side; zhibi (the API and its services) on
    them; ui (workspace and command line) on top. An import may only go down a floor."""
    floor = {"core": 0, "retrieval": 1, "drafting": 1, "zhibi": 2, "ui": 3}
    bad = []
    for module, targets in _graph().items():
        here = module.split(".")[0]
        for target in targets:
            there = target.split(".")[0]
            if there != here and floor[there] >= floor[here]:
                bad.append(f"{module} -> {target}")
    assert bad == [], bad
