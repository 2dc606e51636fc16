import io

from django.core.management import call_command

import pytest

from learning_platform.accounts.demo import DEMO_USERS
from learning_platform.accounts.models import User


@pytest.fixture
def demo(db, settings):
    """The demo content, seeded as `make run` seeds it: the demo personas by key."""
    settings.DEBUG = True  # seed_demo refuses to run otherwise
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False
    return {demo.key: User.objects.get(email=demo.email) for demo in DEMO_USERS}
