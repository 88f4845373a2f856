"""The house keeps its shape: import directions (docs/architecture.md, `.importlinter`) and module sizes.

`lint-imports` checks the same contracts in `make lint`; these tests make a plain `pytest` catch
a broken direction or an import cycle too, and show that each contract really forbids what it says.
"""

import ast
import copy
from pathlib import Path

import grimp
import pytest
from importlinter import api  # noqa: F401 - importing the API configures import-linter's adapters
from importlinter.application import use_cases
from importlinter.application.user_options import UserOptions
from importlinter.contracts.acyclic_siblings import AcyclicSiblingsContract
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.layers import LayersContract
from importlinter.domain.contract import Contract

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".importlinter"
WINGS = ["catalogue/imports", "catalogue/public", "catalogue/admin"]
APPS = ["cms", "home", "catalogue", "budget", "participation", "reporting", "demo"]
MAX_MODULE_LINES = 400
CONTRACT_TYPES: dict[str, type[Contract]] = {
    "forbidden": ForbiddenContract,
    "acyclic_siblings": AcyclicSiblingsContract,
    "layers": LayersContract,
}


def _options() -> UserOptions:
    return use_cases.read_user_options(str(CONFIG))


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*_options().session_options["root_packages"], cache_dir=None)


def _broken_contracts(graph: grimp.ImportGraph) -> set[str]:
    options = _options()
    broken = set()
    for contract_options in options.contracts_options:
        contract = CONTRACT_TYPES[contract_options["type"]](
            name=contract_options["name"],
            session_options=options.session_options,
            contract_options=contract_options,
        )
        if not contract.check(copy.deepcopy(graph), verbose=False).kept:
            broken.add(contract_options["id"])
    return broken


def test_every_import_contract_is_kept(capsys):
    kept = use_cases.lint_imports(config_filename=str(CONFIG), cache_dir=None, no_logo=True, is_debug_mode=True)
    report = capsys.readouterr().out
    assert kept, report
    assert f"Contracts: {len(_options().contracts_options)} kept, 0 broken." in report


def test_the_contracts_cover_every_wing_of_the_documented_directions():
    contracts = {options["id"]: options for options in _options().contracts_options}
    assert set(contracts["models"]["forbidden_modules"]) == {
        "catalogue.public",
        "catalogue.admin",
        "catalogue.imports",
        "catalogue.permissions",
        "home",
        "demo",
    }
    assert {"catalogue.admin", "catalogue.permissions"} <= set(contracts["public"]["forbidden_modules"])
    assert "catalogue.public" in contracts["admin"]["forbidden_modules"]
    assert {"catalogue.public", "catalogue.admin"} <= set(contracts["imports"]["forbidden_modules"])
    assert "catalogue.admin" in contracts["home"]["forbidden_modules"]
    assert {"catalogue.admin", "catalogue.imports", "home"} <= set(contracts["participation"]["forbidden_modules"])
    assert set(contracts["demo"]["source_modules"]) == {
        "cms",
        "home",
        "catalogue",
        "budget",
        "participation",
        "reporting",
    }
    assert set(contracts["cms"]["forbidden_modules"]) == {
        "catalogue",
        "home",
        "budget",
        "participation",
        "reporting",
        "demo",
    }
    assert set(contracts["reporting"]["source_modules"]) == {"catalogue", "home", "cms"}
    assert set(contracts["budget"]["source_modules"]) == {"catalogue", "home", "cms"}
    assert set(contracts["budget"]["forbidden_modules"]) == {"budget"}
    assert set(contracts["acyclic"]["ancestors"]) == {
        "cms",
        "home",
        "catalogue",
        "budget",
        "participation",
        "reporting",
        "demo",
    }
    assert contracts["apps"]["layers"] == ["demo", "reporting", "budget", "home", "participation", "catalogue", "cms"]


def _with_import(graph: grimp.ImportGraph, importer: str, imported: str) -> grimp.ImportGraph:
    changed = copy.deepcopy(graph)
    changed.add_import(importer=importer, imported=imported, line_number=1, line_contents=f"import {imported}")
    return changed


@pytest.mark.parametrize(
    ("importer", "imported", "contract"),
    [
        ("catalogue.models.tree", "catalogue.public.options", "models"),
        ("catalogue.models.projects", "catalogue.permissions", "models"),
        ("catalogue.models.pages", "catalogue.admin.viewsets", "models"),
        ("catalogue.models.taxonomy", "catalogue.imports.columns", "models"),
        ("catalogue.models.pages", "home.models", "models"),
        ("catalogue.permissions", "catalogue.imports.rows", "permissions"),
        ("catalogue.imports.rows", "catalogue.public.query", "imports"),
        ("catalogue.imports.applying", "catalogue.admin.forms", "imports"),
        ("catalogue.public.listing", "catalogue.admin.forms", "public"),
        ("catalogue.public.entry", "catalogue.permissions", "public"),
        ("catalogue.admin.viewsets", "catalogue.public.listing", "admin"),
        ("home.blocks", "catalogue.admin.forms", "home"),
        ("catalogue.signals", "demo.translation", "demo"),
        ("home.models", "demo.builders.home", "demo"),
        ("cms.cache", "catalogue.models.tree", "cms"),
        ("cms.blocks", "home.models", "cms"),
        ("participation.ideas", "catalogue.admin.forms", "participation"),
        ("participation.models.ideas", "home.models", "participation"),
        # Two modules of one wing importing each other, and two wings importing each other.
        ("catalogue.imports.cells", "catalogue.imports.applying", "acyclic"),
        ("catalogue.models.tree", "catalogue.public.options", "acyclic"),
        ("cms.views", "cms.urls", "acyclic"),
        # Between the apps: the layers demo -> home -> catalogue -> cms point one way only.
        ("catalogue.signals", "home.models", "apps"),
        ("catalogue.public.goals", "home.blocks", "apps"),
        ("cms.models", "catalogue.models", "apps"),
        # The budget extends the catalogue's pages by template tags and a registered facet only.
        ("catalogue.public.goals", "budget.sections", "budget"),
        ("catalogue.public.options", "budget.facets", "budget"),
        ("home.models", "budget.models", "budget"),
        ("cms.cache", "budget.models", "budget"),
        ("budget.models.links", "budget.sections", "budget-models"),
        ("budget.signals", "demo.builders.budget", "demo"),
        ("catalogue.models.taxonomy", "budget.models", "apps"),
        ("catalogue.signals", "participation.models", "apps"),
        # Nothing below reporting knows it: the catalogue shows its history only through a template tag.
        ("catalogue.public.entry", "reporting.public.history", "reporting"),
        ("catalogue.models.progress", "reporting.models", "reporting"),
        ("home.models", "reporting.models", "reporting"),
        ("reporting.models.snapshots", "reporting.freezing", "reporting-models"),
        ("reporting.freezing", "demo.builders.reporting", "demo"),
    ],
)
def test_each_contract_breaks_on_the_import_it_forbids(graph, importer, imported, contract):
    assert contract not in _broken_contracts(graph)
    assert contract in _broken_contracts(_with_import(graph, importer, imported))


def test_only_cms_urls_may_import_the_apps(graph):
    allowed = _broken_contracts(_with_import(graph, "cms.urls", "catalogue.public.routes"))
    assert not {"cms", "apps"} & allowed
    assert not {"cms", "apps", "budget"} & _broken_contracts(_with_import(graph, "cms.urls", "budget.views"))
    assert {"cms", "apps"} <= _broken_contracts(_with_import(graph, "cms.views", "catalogue.public.routes"))


def _module_lengths() -> dict[str, int]:
    return {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for wing in WINGS
        for path in sorted((ROOT / wing).rglob("*.py"))
    }


def test_no_module_of_the_import_public_or_admin_wing_is_over_400_lines():
    lengths = _module_lengths()
    assert {wing for wing in WINGS if any(name.startswith(wing) for name in lengths)} == set(WINGS)
    too_long = {name: lines for name, lines in lengths.items() if lines > MAX_MODULE_LINES}
    assert not too_long, f"Split these modules (at most {MAX_MODULE_LINES} lines each): {too_long}"


def _imports_inside_functions(path: Path) -> list[int]:
    """Line numbers of the import statements in the bodies of functions and methods."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found += [inner.lineno for inner in ast.walk(node) if isinstance(inner, ast.Import | ast.ImportFrom)]
    return sorted(set(found))


def _says_why(lines: list[str], lineno: int) -> bool:
    """A comment on the import's line (besides noqa) or right above its group of imports."""
    own = lines[lineno - 1].partition("#")[2].strip()
    if own and not own.startswith("noqa"):
        return True
    above = lineno - 2
    while above >= 0 and lines[above].lstrip().startswith(("from ", "import ")):
        above -= 1
    return above >= 0 and lines[above].lstrip().startswith("#")


def test_every_import_inside_a_function_says_which_cycle_or_heavy_library_it_avoids():
    paths = [path for app in APPS for path in sorted((ROOT / app).rglob("*.py")) if "migrations" not in path.parts]
    assert len(paths) > 80
    silent = []
    for path in paths:
        lines = path.read_text(encoding="utf-8").splitlines()
        silent += [
            f"{path.relative_to(ROOT)}:{lineno}"
            for lineno in _imports_inside_functions(path)
            if not _says_why(lines, lineno)
        ]
    assert not silent, f"Import at module level, or say in a comment why it cannot be: {silent}"
