"""The apps import each other in one direction only, at module level and inside functions alike.

From the bottom up: the base layer (``learning_platform`` outside ``accounts``), then
``learning_platform.accounts``, then ``notifications``, then ``courses`` and ``content`` (which
never import each other), then ``accreditation``. A layer may import the layers below it, never
one above. When a lower app needs something only a higher one knows, it offers a hook (a
registry, a signal, a contract module such as ``privacy``) and the higher app plugs into it.

The composition root wires everything together and may import anything: the settings, the root
URLconf and the demo seed.

Besides ``import`` statements, the checker reads the two string forms that load a module by
name: ``importlib.import_module("app.module")`` and ``apps.get_model("app", "Model")`` (or
``"app.Model"``), when the names are written out as literals.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Each app's package, by the dotted name it is imported as. Longest first, so that
# ``learning_platform.accounts`` wins over ``learning_platform``.
APPS = {
    "accreditation": "accreditation",
    "courses": "courses",
    "content": "content",
    "notifications": "notifications",
    "learning_platform.accounts": "accounts",
    "learning_platform": "base",
}

# What each app may import besides itself.
ALLOWED = {
    "accreditation": {"courses", "content", "notifications", "accounts", "base"},
    "courses": {"notifications", "accounts", "base"},
    "content": {"notifications", "accounts", "base"},
    "notifications": {"accounts", "base"},
    "accounts": {"base"},
    "base": set(),
}

# The app labels Django knows them by, for ``apps.get_model("label", ...)``.
APP_LABELS = {
    "accreditation": "accreditation",
    "courses": "courses",
    "content": "content",
    "notifications": "notifications",
    "accounts": "accounts",
}

# Modules that wire the apps together, by path from the repository root.
COMPOSITION_ROOT = (
    "learning_platform/settings/",
    "learning_platform/urls.py",
    "content/management/commands/seed_demo.py",
    # The national-scale world for the benchmarks, built across every app like the demo.
    "content/management/commands/seed_scale.py",
    "content/scale/",
)


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    importer: str
    imported: str
    target: str

    def __str__(self) -> str:
        allowed = ", ".join(sorted(ALLOWED[self.importer])) or "none of the apps"
        return (
            f"{self.path}:{self.line}: {self.importer} imports {self.target} ({self.imported}); "
            f"{self.importer} may import only {allowed}"
        )


def app_of(dotted: str) -> str | None:
    """The app a dotted module name belongs to, or None for anything outside our apps."""
    for package in sorted(APPS, key=len, reverse=True):
        if dotted == package or dotted.startswith(package + "."):
            return APPS[package]
    return None


def module_name(path: Path) -> str:
    relative = path.relative_to(ROOT).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve_relative(module: str, is_package: bool, level: int, target: str | None) -> str:
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join([*base, target] if target else base)


def _string_arg(call: ast.Call, index: int) -> str | None:
    if len(call.args) > index:
        arg = call.args[index]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            return arg.value
    return None


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    if isinstance(call.func, ast.Name):
        return call.func.id
    return None


def imported_names(source: str, *, module: str, is_package: bool = False):
    """Every module the source imports, as (line, dotted name), wherever the import sits."""
    labels = {label: app for app, label in APP_LABELS.items()}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = _resolve_relative(module, is_package, node.level, node.module)
            else:
                base = node.module or ""
            # ``from . import x`` names submodules; ``from .models import X`` names attributes,
            # which belong to the same app either way.
            for alias in node.names:
                yield (
                    node.lineno,
                    base if node.module else ".".join(filter(None, [base, alias.name])),
                )
        elif isinstance(node, ast.Call):
            name = _called_name(node)
            if name == "import_module":
                target = _string_arg(node, 0)
                if target and not target.startswith("."):
                    yield node.lineno, target
            elif name == "get_model":
                first = _string_arg(node, 0)
                label = first.split(".")[0] if first else None
                if label in labels:
                    app = labels[label]
                    package = next(p for p, a in APPS.items() if a == app)
                    yield node.lineno, f"{package}.models"


def violations_in(source: str, *, path: str, module: str, is_package: bool = False):
    importer = app_of(module)
    if importer is None:
        return []
    found = []
    for line, imported in sorted(set(imported_names(source, module=module, is_package=is_package))):
        target = app_of(imported)
        if target is None or target == importer or target in ALLOWED[importer]:
            continue
        found.append(Violation(path, line, importer, imported, target))
    return found


ACCOUNTS_DIRECTORY = "learning_platform/accounts/"


def app_modules():
    for package in APPS:
        directory = ROOT / package.replace(".", "/")
        for path in sorted(directory.rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative.startswith(COMPOSITION_ROOT):
                continue
            # learning_platform/accounts is walked as its own app.
            if package == "learning_platform" and relative.startswith(
                "learning_platform/accounts/"
            ):
                continue
            yield path, relative


def test_it_keeps_the_apps_in_order():
    found = []
    for path, relative in app_modules():
        found += violations_in(
            path.read_text(),
            path=relative,
            module=module_name(path),
            is_package=path.name == "__init__.py",
        )
    assert not found, "Imports against the app order:\n" + "\n".join(map(str, found))


def test_it_walks_every_app():
    walked = {relative.split("/")[0] for _, relative in app_modules()}
    assert walked == {"accreditation", "courses", "content", "notifications", "learning_platform"}
    assert any(r.startswith("learning_platform/accounts/") for _, r in app_modules())


SYNTHETIC = """\
from django.db import models

from learning_platform.accounts.models import User
from .models import Notification


def later():
    from courses.models import Enrolment
    from ..accreditation import models
    importlib.import_module("content.models")
    apps.get_model("accreditation", "Certificate")
    apps.get_model("notifications.Notification")
"""


def test_it_catches_imports_against_the_order():
    found = violations_in(
        SYNTHETIC, path="notifications/example.py", module="notifications.example"
    )
    assert [(v.line, v.target) for v in found] == [
        (8, "courses"),
        (9, "accreditation"),
        (10, "content"),
        (11, "accreditation"),
    ]
    assert str(found[0]) == (
        "notifications/example.py:8: notifications imports courses (courses.models); "
        "notifications may import only accounts, base"
    )


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("accounts", "accreditation.models"),
        ("base", "learning_platform.accounts.models"),
        ("courses", "content.models"),
        ("content", "courses.models"),
        ("notifications", "accreditation.models"),
    ],
)
def test_it_refuses_each_upward_import(importer, imported):
    module = {
        "accounts": "learning_platform.accounts.example",
        "base": "learning_platform.example",
        "courses": "courses.example",
        "content": "content.example",
        "notifications": "notifications.example",
    }[importer]
    assert violations_in(f"import {imported}\n", path="example.py", module=module)
