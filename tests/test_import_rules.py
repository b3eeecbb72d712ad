"""The import rules of docs/architecture.md, read from the source with ``ast``.

Every import counts: at module level, inside a function, or under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ua_bot", "adapters", "case_store")
PLATFORM_SDKS = ("telegram", "slack_sdk", "slack_bolt")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def our_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
    }


def imported_names(path: Path, name: str) -> set[str]:
    """Every module name an import in ``path`` (module ``name``) refers to."""
    is_package = path.name == "__init__.py"
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = name.split(".")
                parent = parent if is_package else parent[:-1]
                parent = parent[: len(parent) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def import_graph() -> dict[str, set[str]]:
    """Our module -> the modules it imports (ours and others'), from the source."""
    modules = our_modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for imported in imported_names(path, name):
            if imported.split(".")[0] in PACKAGES:
                while imported and imported not in modules:  # ``from pkg.mod import name``: pkg.mod
                    imported = imported.rpartition(".")[0]
            targets.add(imported)
        graph[name] = targets - {name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles among our modules: strongly connected groups of two or more."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's algorithm
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in graph:
                continue
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph()


def test_the_core_imports_no_adapter_and_no_chat_sdk(graph):
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        if module.split(".")[0] in ("ua_bot", "case_store")
        for target in targets
        if target.split(".")[0] in ("adapters", *PLATFORM_SDKS)
    )
    assert not wrong, "the core knows a platform:\n" + "\n".join(wrong)


def test_the_store_imports_only_the_data_model_of_the_core(graph):
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        if module.startswith("case_store")
        for target in targets
        if target.split(".")[0] == "ua_bot" and target != "ua_bot.model"
    )
    assert not wrong, "\n".join(wrong)


def test_handlers_use_the_context_not_the_core(graph):
    wrong = sorted(
        f"{module} imports ua_bot.core"
        for module, targets in graph.items()
        if module.startswith("ua_bot.handlers") or module == "ua_bot.context"
        if "ua_bot.core" in targets
    )
    assert not wrong, "\n".join(wrong)
    assert not any(t.startswith("ua_bot.handlers") for t in graph["ua_bot.core"]), (
        "the core is given its command table; it imports no handler"
    )


def store_internals(graph: dict[str, set[str]]) -> list[str]:
    """``ua_bot`` modules that import a module inside ``case_store`` (not its public API)."""
    return sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        if module.split(".")[0] == "ua_bot"
        for target in targets
        if target.startswith("case_store.")
    )


def platforms_importing_the_registry(graph: dict[str, set[str]]) -> list[str]:
    """Modules of a platform package (``adapters/<platform>/``) that import
    ``adapters.platforms``, the registry, which imports every platform."""
    from adapters.platforms import PLATFORMS

    packages = tuple(f"{p.package}." for p in PLATFORMS)
    return sorted(
        f"{module} imports adapters.platforms"
        for module, targets in graph.items()
        if module.startswith(packages)
        if "adapters.platforms" in targets
    )


def test_the_core_reaches_the_store_through_its_public_api(graph):
    wrong = store_internals(graph)
    assert not wrong, "import these from case_store itself:\n" + "\n".join(wrong)


def test_no_platform_package_imports_the_registry(graph):
    wrong = platforms_importing_the_registry(graph)
    assert not wrong, "a platform imports adapters/plugin.py only:\n" + "\n".join(wrong)


def test_the_public_api_and_plugin_rules_see_a_breach(tmp_path, monkeypatch):
    """Real source files that break the rules are caught, as the real graph reads them."""
    bad = {
        "ua_bot.cases.sneaky": "from case_store.outbox_tables import CANCELLED\n",
        "ua_bot.cases.sneakier": "import case_store.outbox_tables\n",
        "ua_bot.cases.fine": "from case_store import CANCELLED, Store\n",
        "adapters.telegram.sneaky": "from adapters.platforms import PLATFORMS\n",
        "adapters.telegram.late": "def f():\n    from adapters import platforms\n",
    }
    paths = {}
    for name, text in bad.items():
        path = tmp_path / (name.replace(".", "/") + ".py")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        paths[name] = path
    real = our_modules()
    graph = {
        name: {
            t if t.split(".")[0] not in PACKAGES or t in real or t in paths else _module_of(t)
            for t in imported_names(path, name)
        }
        for name, path in paths.items()
    }
    assert store_internals(graph) == [
        "ua_bot.cases.sneakier imports case_store.outbox_tables",
        "ua_bot.cases.sneaky imports case_store.outbox_tables",
    ]
    assert platforms_importing_the_registry(graph) == [
        "adapters.telegram.late imports adapters.platforms",
        "adapters.telegram.sneaky imports adapters.platforms",
    ]


def _module_of(name: str) -> str:
    modules = our_modules()
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name


def test_no_import_cycle_among_our_modules(graph):
    found = cycles(graph)
    assert not found, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_the_rules_see_a_cycle_and_a_platform_import():
    """The checks above are not vacuous: a made-up graph with both faults is caught."""
    bad = {
        "ua_bot.core": {"ua_bot.handlers"},
        "ua_bot.handlers": {"ua_bot.context"},
        "ua_bot.context": {"ua_bot.core", "telegram"},
    }
    assert cycles(bad) == [["ua_bot.context", "ua_bot.core", "ua_bot.handlers"]]
    real = import_graph()
    assert "ua_bot.core" in real and "case_store" in real["ua_bot.core"]
    assert any(
        t.split(".")[0] == "telegram"
        for module, targets in real.items()
        if module.startswith("adapters")
        for t in targets
    )


def test_the_core_settings_name_no_platform():
    """Each adapter owns its settings; the environment variables keep their names."""
    from adapters.settings import DeploymentSettings
    from ua_bot.config import Settings

    platform = ("telegram_", "slack_")
    assert not [n for n in Settings.model_fields if n.startswith(platform)]
    deployed = set(DeploymentSettings.model_fields)
    assert {"telegram_bot_token", "slack_signing_secret", "database_url"} <= deployed
