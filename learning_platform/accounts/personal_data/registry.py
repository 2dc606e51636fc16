"""Find every app's ``privacy`` module (see the package docstring for the contract)."""

import sys
from dataclasses import dataclass
from types import ModuleType

from django.apps import apps
from django.utils.module_loading import autodiscover_modules

CONTRACT = ("user_data", "user_files", "erase_user")
ACCOUNTS_LABEL = "accounts"


@dataclass(frozen=True)
class PrivacyModule:
    label: str
    module: ModuleType


def privacy_modules() -> list[PrivacyModule]:
    """The apps' privacy modules, in INSTALLED_APPS order, with the accounts app's last.

    Accounts goes last because its erasure removes the email addresses and identifiers the other
    apps match on (an enquiry sent from the person's address, their name in an audit label).
    """
    autodiscover_modules("privacy")
    found = []
    for config in apps.get_app_configs():
        module = sys.modules.get(f"{config.name}.privacy")
        if module is not None and all(callable(getattr(module, name, None)) for name in CONTRACT):
            found.append(PrivacyModule(label=config.label, module=module))
    found.sort(key=lambda entry: entry.label == ACCOUNTS_LABEL)
    return found


def user_name_is_published(user) -> bool:
    """Whether any app holds a record issued in the person's name that others can still read
    (each app answers through its optional ``user_name_is_published``)."""
    return any(
        entry.module.user_name_is_published(user)
        for entry in privacy_modules()
        if callable(getattr(entry.module, "user_name_is_published", None))
    )
