"""Typed access to environment variables that fails loudly on bad values."""

import os
import re

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}.") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production.")
    return value


def env_pem(name: str) -> str:
    """PEM text from NAME, or from the file NAME_FILE names (a secret mounted as a file)."""
    path = os.environ.get(f"{name}_FILE", "").strip()
    if path:
        try:
            with open(path, encoding="ascii") as pem_file:
                return pem_file.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise ImproperlyConfigured(
                f"{name}_FILE names {path!r}, which cannot be read."
            ) from exc
    # An environment variable cannot always hold line breaks: "\n" stands for one.
    return os.environ.get(name, "").replace("\\n", "\n").strip()


_PEM_BLOCK = re.compile(r"-----BEGIN ([A-Z ]+)-----[A-Za-z0-9+/=\s]+?-----END \1-----")


def pem_blocks(text: str) -> list[tuple[str, str]]:
    """Each PEM block in the text, as its label ("PRIVATE KEY", "PUBLIC KEY", ...) and the block."""
    return [(match.group(1), match.group(0)) for match in _PEM_BLOCK.finditer(text or "")]


def env_int_list(name: str, default: list[int] | None = None) -> list[int]:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return list(default or [])
    try:
        return [int(item) for item in env_list(name)]
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{name} must be comma-separated whole numbers, not {raw!r}."
        ) from exc


_RATE_RE = re.compile(r"^\d+/\d*(\.\d+)?[smhd](/(ip|key))?$")


def env_rates(name: str, default: str) -> str:
    """Rate limits in allauth's syntax: "30/h/ip,5/h/key" (count / period in s, m, h or d /
    per client address or per key). Checked here, so a typo fails at start-up."""
    raw = os.environ.get(name)
    value = default if raw is None else raw
    parts = [part.strip() for part in value.split(",")]
    if not all(_RATE_RE.match(part) for part in parts):
        raise ImproperlyConfigured(
            f"{name} must be rates like '30/h/ip,5/h/key' (a count, a period in s, m, h or d, "
            f"and ip or key), not {raw!r}."
        )
    return ",".join(parts)
