"""The lock file pins, with hashes, a version of every dependency that pyproject.toml asks for, so
`make install` on a fresh clone installs exactly what CI tested (pip refuses a package missing
from the lock or whose hash differs)."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\]+)")


def _pins(text: str) -> dict[str, tuple[str, int]]:
    """Each pinned package: its version and how many hashes follow it."""
    pins: dict[str, tuple[str, int]] = {}
    current = None
    for line in text.splitlines():
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match.group(1))
            pins[current] = (match.group(2), 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, hashes = pins[current]
            pins[current] = (version, hashes + 1)
        elif not line.startswith(" "):
            current = None
    return pins


def _wanted() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    declared = [
        *project["project"]["dependencies"],
        *project["project"]["optional-dependencies"]["test"],
        *project["build-system"]["requires"],
    ]
    return [Requirement(text) for text in declared]


def test_it_pins_every_declared_dependency_within_its_range():
    pins = _pins((ROOT / "requirements.lock").read_text())
    for requirement in _wanted():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not in requirements.lock: run `make lock`."
        version, _ = pins[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"requirements.lock pins {requirement.name}=={version}, outside {requirement}: "
            "run `make lock`."
        )


def test_it_gives_every_pin_a_hash():
    pins = _pins((ROOT / "requirements.lock").read_text())
    assert len(pins) > 50
    unhashed = sorted(name for name, (_, hashes) in pins.items() if hashes == 0)
    assert unhashed == []


def test_it_reads_a_pin_and_its_hashes():
    pins = _pins(
        "django==5.2.1 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n    # via x\n"
        "wagtail==8.0\n"
    )
    assert pins == {"django": ("5.2.1", 2), "wagtail": ("8.0", 0)}
