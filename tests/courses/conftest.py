"""Fixtures more than one courses test module uses."""

import pytest

from learning_platform.accounts.models import Organisation


@pytest.fixture
def organisations(db):
    """The organisations the invitation import files name; an import only accepts known ones."""
    return [
        Organisation.objects.create(name=name)
        for name in (
            "Camden Safeguarding Partnership",
            "Barnet",
            "Barnet, Enfield and Haringey",
            "Camden, Islington",
        )
    ]
