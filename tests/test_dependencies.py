"""Every third-party import of the product code is declared in pyproject.toml, and nothing declared is unused."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("core", "zhibi", "drafting", "retrieval", "ui")
# Declared for what the code names as a string, not an import: BeautifulSoup(html, "lxml") loads the parser.
# SQLAlchemy loads the PostgreSQL driver a database URL names ("postgresql+psycopg://…").
USED_BY_NAME = {"lxml": r"[\"']lxml[\"']", "psycopg": r"postgresql\+psycopg"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {_norm(re.split(r"[=<>!~\[; ]", d, maxsplit=1)[0]) for d in project["dependencies"]}


def _imported() -> set[str]:
    names: set[str] = set()
    for folder in PRODUCT:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names |= {a.name.split(".")[0] for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in PRODUCT and n != "__future__"}


def test_every_import_is_declared_and_every_declaration_imported():
    dists = packages_distributions()
    imported = {n: {_norm(d) for d in dists.get(n, [n])} for n in _imported()}
    declared = _declared()
    undeclared = sorted(n for n, ds in imported.items() if not ds & declared)
    assert not undeclared, f"imported but not declared in pyproject.toml: {undeclared}"
    used = set().union(*imported.values())
    code = "\n".join(p.read_text(encoding="utf-8") for f in PRODUCT for p in (ROOT / f).rglob("*.py"))
    unused = sorted(
        d for d in declared if d not in used and not (d in USED_BY_NAME and re.search(USED_BY_NAME[d], code))
    )
    assert not unused, f"declared in pyproject.toml but never imported: {unused}"
