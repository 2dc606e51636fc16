"""Fixtures the privacy tests share."""

import pytest

from .privacy_scenario import build_world


@pytest.fixture
def world(tess, pat, sam, ali, django_capture_on_commit_callbacks):
    return build_world(tess, pat, sam, ali, django_capture_on_commit_callbacks)
