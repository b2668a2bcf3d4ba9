"""Which app may import which (docs/architecture.md, "Which app may import which").

Every product module (everything under `mace/` but tests) is read with `ast`, and its imports,
at the top or inside functions, are checked against the layering below. Only the source is
read: nothing is imported, so the check sees what a reader sees.
"""

import ast
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

MACE = Path(__file__).resolve().parents[1]
DOCS = MACE.parent / "docs" / "architecture.md"

LIB = "lib"  # plain helpers: imports no other app
CORE = "core"  # access, audit: of other apps only models (the policy reads them), lib, frontend
FRONTEND = "frontend"  # the page base every app's pages build on
DOMAIN = "domain"  # the capabilities of SPEC.md
ENTRY = "entry"  # may import any domain app; imported by no other product app
TOOL = "tool"  # demonstration, benchmark: not installed in production, imported by no product app

LAYERS = {
    "lib": LIB,
    "access": CORE,
    "audit": CORE,
    "frontend": FRONTEND,
    "accounts": DOMAIN,
    "people": DOMAIN,
    "episodes": DOMAIN,
    "interviews": DOMAIN,
    "meetings": DOMAIN,
    "worklist": DOMAIN,
    "documents": DOMAIN,
    "exploitation": DOMAIN,
    "intelligence": DOMAIN,
    "disruption": DOMAIN,
    "education": DOMAIN,
    "reports": DOMAIN,
    "returns": DOMAIN,
    "api": DOMAIN,
    "maintenance": DOMAIN,
    "configuration": DOMAIN,  # the partnership's settings (issue 18), read by the domain apps
    # the subject access export (issue 20): reads every domain app; a domain app, not an entry,
    # because the project's urls route its page, and no domain app imports it
    "subject_access": DOMAIN,
    "retention": DOMAIN,  # retention reviews and the purge (issue 20 point 1)
    "imports": ENTRY,  # the tracker import (issue 17): only its own commands import it
    "demo": TOOL,
    "bench": TOOL,
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(MACE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _product_files() -> Iterator[Path]:
    for path in sorted(MACE.rglob("*.py")):
        if "tests" not in path.relative_to(MACE).parts and path.name != "conftest.py":
            yield path


FILES = {_module_name(path): path for path in _product_files()}


def _resolve(name: str) -> str | None:
    """The MACE module an imported name lives in (`mace.people.models.Child` is in
    `mace.people.models`), or None for anything outside MACE."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in FILES:
            return candidate
        parts.pop()
    return None


def _imported_names(module: str) -> set[str]:
    """Every name `module` imports, made absolute."""
    path = FILES[module]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".")
                if path.name != "__init__.py":
                    package.pop()
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, base] if base else package)
            # `from mace.access import policy` imports the module policy, not the package
            found.update(
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in FILES else base
                for alias in node.names
            )
    return found


NAMES = {module: _imported_names(module) for module in FILES}


def _imports(module: str) -> set[str]:
    """The MACE modules `module` imports."""
    found = {target for name in NAMES[module] if (target := _resolve(name))}
    found.discard(module)
    return found


IMPORTS = {module: _imports(module) for module in FILES}


def _app(module: str) -> str | None:
    """`mace.people.services` is in the app people; `mace.settings` is in none."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (MACE / parts[-1]).is_dir() else None


def _is_models(module: str) -> bool:
    parts = module.split(".")
    return len(parts) > 2 and parts[2] == "models"


def _is_plain(module: str) -> bool:
    """A module that imports nothing of MACE but lib (education.calendar, worklist.thresholds)."""
    return all(_app(target) == "lib" for target in IMPORTS[module])


def _node(module: str) -> str:
    """An app's models are a node of their own in the import graph: the policy reads the
    models of the apps whose services ask it, and that is not a cycle."""
    app = _app(module) or "mace"
    return f"{app}.models" if _is_models(module) else app


def _listed(pairs: list[tuple[str, str]]) -> str:
    return "\n".join(f"{module} imports {target}" for module, target in sorted(pairs))


def test_every_app_has_a_place_in_the_layering():
    apps = {path.parent.name for path in MACE.glob("*/__init__.py")} - {"tests"}
    assert apps <= set(LAYERS), f"Say where {sorted(apps - set(LAYERS))} sit in LAYERS"


def test_docs_list_every_app():
    docs = DOCS.read_text()
    apps = {path.parent.name for path in MACE.glob("*/apps.py")}
    missing = sorted(app for app in apps if f"`mace/{app}`" not in docs)
    assert not missing, f"docs/architecture.md does not describe {missing}"


def test_models_import_only_models_lib_and_plain_modules():
    wrong = [
        (module, target)
        for module in IMPORTS
        if _is_models(module)
        for target in IMPORTS[module]
        if not (_is_models(target) or _app(target) == "lib" or _is_plain(target))
    ]
    assert not wrong, _listed(wrong)


def test_lib_imports_no_app():
    wrong = [
        (module, target)
        for module, targets in IMPORTS.items()
        if _app(module) == "lib"
        for target in targets
        if _app(target) != "lib"
    ]
    assert not wrong, _listed(wrong)


def test_access_and_audit_import_no_domain_services_selectors_or_views():
    """The policy may read any app's models; nothing in access or audit reaches a domain
    app's services, selectors, views or rules."""
    wrong = [
        (module, target)
        for module, targets in IMPORTS.items()
        if LAYERS.get(_app(module) or "") == CORE
        for target in targets
        if LAYERS.get(_app(target) or "") not in {LIB, CORE, FRONTEND} and not _is_models(target)
    ]
    assert not wrong, _listed(wrong)


def _cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    components: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for after in graph[node]:
            if after not in index:
                visit(after)
                low[node] = min(low[node], low[after])
            elif after in stack:
                low[node] = min(low[node], index[after])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in list(graph):
        if node not in index:
            visit(node)
    return components


def test_no_app_cycle_goes_through_access_or_audit():
    graph: dict[str, set[str]] = defaultdict(set)
    for module, targets in IMPORTS.items():
        graph[_node(module)] |= {_node(target) for target in targets} - {_node(module)}
    for node in list(graph.values()):
        for after in node:
            graph[after]  # every node a key, for the walk
    core = {app for app, layer in LAYERS.items() if layer == CORE}
    through = [sorted(cycle) for cycle in _cycles(graph) if cycle & core]
    assert not through, f"Import cycles through {sorted(core)}: {through}"


def test_demo_bench_and_import_apps_are_imported_by_no_other_product_app():
    """Demonstration and benchmark code is not installed in production; the tracker import is
    run by its own commands. The other product apps and the project never import them."""
    kept_apart = {app for app, layer in LAYERS.items() if layer in {TOOL, ENTRY}}
    wrong = [
        (module, target)
        for module, targets in IMPORTS.items()
        if LAYERS.get(_app(module) or "") not in {TOOL}
        for target in targets
        if _app(target) in kept_apart and _app(target) != _app(module)
    ]
    assert not wrong, _listed(wrong)


def test_only_the_demo_and_bench_apps_make_up_data():
    """Fictional people (Faker) belong to the demonstration and the benchmark; a product app
    that makes them up is carrying demonstration code."""
    tools = {app for app, layer in LAYERS.items() if layer == TOOL}
    wrong = sorted(
        module
        for module, names in NAMES.items()
        if _app(module) not in tools and any(name.split(".")[0] == "faker" for name in names)
    )
    assert not wrong, f"Faker is imported by {wrong}"
