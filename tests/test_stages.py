"""The package's stages import only downwards: every import, also one inside a function, goes to a stage
above it in `STAGES` (scripts/handbook/__init__.py draws the same order)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "scripts" / "handbook"
STAGES = ("core", "content", "checks", "gate", "views", "pdf", "web", "contribute", "dev", "cli")


def stage_of(module: str) -> str:
    """`handbook.content.model` → content; `handbook.gate` → gate; `handbook.urls` → core."""
    parts = module.split(".")[1:]
    if not parts:
        return "core"
    if parts[0] in STAGES:
        return parts[0]
    return "core"


def module_name(path: Path, package: Path) -> str:
    relative = path.relative_to(package.parent).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def imports_of(path: Path) -> list[tuple[int, str]]:
    """Every handbook module `path` imports, with its line (`from handbook import x` names the module `handbook.x`)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module.split(".")[0] == "handbook":
            if node.module in {"handbook", *(f"handbook.{stage}" for stage in STAGES)}:
                found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path}:{node.lineno}: a relative import; the stages use absolute ones")
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.split(".")[0] == "handbook"]
    return found


def upward_imports(package: Path = PACKAGE) -> list[str]:
    problems = []
    for path in sorted(package.rglob("*.py")):
        importer = module_name(path, package)
        rank = STAGES.index(stage_of(importer))
        for line, imported in imports_of(path):
            if STAGES.index(stage_of(imported)) > rank:
                problems.append(f"{path.relative_to(package)}:{line}: {stage_of(importer)} imports {imported} ({stage_of(imported)})")
    return problems


def test_no_import_runs_back_up_the_stages() -> None:
    assert upward_imports() == []


def test_every_stage_is_a_folder_with_a_docstring_and_every_module_is_in_a_stage() -> None:
    folders = {path.name for path in PACKAGE.iterdir() if path.is_dir() and path.name not in {"locale", "__pycache__"}}
    assert folders == set(STAGES) - {"core", "gate"}
    for folder in folders:
        assert ast.get_docstring(ast.parse((PACKAGE / folder / "__init__.py").read_text(encoding="utf-8"))), folder
    core = {path.stem for path in PACKAGE.glob("*.py")} - {"__init__", "gate"}
    assert core == {"urls", "messages", "problems", "plaintext", "layout", "markdown_render", "repository", "cache", "settings"}


def test_the_graph_test_finds_an_upward_import(tmp_path: Path) -> None:
    package = tmp_path / "handbook"
    (package / "content").mkdir(parents=True)
    (package / "content" / "model.py").write_text("def f():\n    from handbook.web.plugin import HandbookPlugin\n", encoding="utf-8")
    (package / "urls.py").write_text("from handbook import gate\n", encoding="utf-8")
    assert upward_imports(package) == [
        "content/model.py:2: content imports handbook.web.plugin (web)",
        "urls.py:1: core imports handbook.gate (gate)",
    ]


@pytest.mark.parametrize(
    ("module", "stage"), [("handbook", "core"), ("handbook.urls", "core"), ("handbook.gate", "gate"), ("handbook.pdf.render", "pdf")]
)
def test_stage_of(module: str, stage: str) -> None:
    assert stage_of(module) == stage


def test_the_plugin_is_wiring() -> None:
    """Each hook a few lines calling a stage (the model: mkdocs-gen-files' plugin over its logic module)."""
    plugin = (PACKAGE / "web" / "plugin.py").read_text(encoding="utf-8")
    assert len(plugin.splitlines()) <= 150
    assert "_i18n" not in plugin and "building" not in plugin, "the plugin writes no state of mkdocs-static-i18n"
