"""The shape of the code: domains form no import cycle (docs/ARCHITECTURE.md).

A domain may import core and another domain's models (to point at them by foreign key and to
read them); a flow that spans domains lives in loop.py. So a domain depends on another when
its code imports the other's code (services, tasks, forms, …), or when its models import the
other's models (a model or choices it cannot load without them). Those dependencies must form
no cycle. The composers — loop.py, the API, the web shell, the demo — are left out: they may
import every domain.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import kliento

ROOT = Path(kliento.__file__).parent
COMPOSERS = {"api", "web", "demo"}
DOMAINS = sorted(p.name for p in ROOT.iterdir()
                 if (p / "__init__.py").exists() and p.name not in COMPOSERS)


def imported_modules(path: Path) -> set[str]:
    """Every `kliento.…` module a file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            # `from kliento import loop`, `from kliento.recovery import services`
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return {m for m in found if m.startswith("kliento.")}


def domain_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in DOMAINS else None


def sources(domain: str) -> list[Path]:
    return [p for p in sorted((ROOT / domain).rglob("*.py")) if "migrations" not in p.parts]


def imports_of(domain: str) -> dict[str, set[str]]:
    """{file: modules of other domains it imports}"""
    out = {}
    for path in sources(domain):
        others = {m for m in imported_modules(path)
                  if domain_of(m) not in (None, domain) and m != f"kliento.{domain_of(m)}"}
        if others:
            out[str(path.relative_to(ROOT))] = others
    return out


def is_models(module: str) -> bool:
    return module.split(".")[2:3] == ["models"]


def depends_on(path: Path, module: str) -> bool:
    """Reading another domain's models from its code is allowed; models that need another
    domain's models loaded, and code that calls another domain's code, are dependencies."""
    return path.name == "models.py" or not is_models(module)


def domain_graph() -> dict[str, set[str]]:
    """domain → the domains it depends on."""
    graph: dict[str, set[str]] = {d: set() for d in DOMAINS}
    for domain in DOMAINS:
        for file, modules in imports_of(domain).items():
            graph[domain].update(str(domain_of(m)) for m in modules
                                 if depends_on(ROOT / file, m))
    return graph


def test_the_domains_form_no_import_cycle():
    graph = domain_graph()
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as exc:
        cycle = exc.args[1]
        detail = {f: {m for m in ms if domain_of(m) in cycle and depends_on(ROOT / f, m)}
                  for d in cycle for f, ms in imports_of(d).items()}
        raise AssertionError(f"domains depend on each other in a circle: {cycle}\n"
                             f"{ {f: ms for f, ms in detail.items() if ms} }") from None


def test_core_imports_no_other_domain():
    assert imports_of("core") == {}


def test_alerts_and_recovery_meet_only_in_the_loop():
    """The two domains that used to depend on each other: each reads the other's models, and
    the flows between them (deadline notices, recomputing deadlines) are in loop.py."""
    graph = domain_graph()
    assert "recovery" not in graph["alerts"] and "alerts" not in graph["recovery"]
