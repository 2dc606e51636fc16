from django.core.files.storage import storages

import pytest

from accreditation.models import Evidence

from .factories import SupervisedReviewFactory, make_supervisor


@pytest.fixture(autouse=True)
def _evidence_in_test_private_storage(_media_in_tmp, monkeypatch):
    # A FileField resolves its storage once, at import; point evidence at this test's own
    # private folder (set by the root conftest) so each test sees only its own files.
    monkeypatch.setattr(Evidence._meta.get_field("file"), "storage", storages["private"])


@pytest.fixture
def review(tess, pat, sam):
    """Tess leads the review with Pat as her trainee partner; Sam supervises."""
    return SupervisedReviewFactory(
        trainee=tess, partner=pat, supervisor=sam, case_reference="Child K"
    )


@pytest.fixture
def sid(db):
    """Another supervisor, of Uma's review."""
    return make_supervisor("Sid Supervisor", "sid@example.org")


@pytest.fixture
def other_review(uma, sid):
    """Uma's review, supervised by Sid: Tess, Pat and Sam have nothing to do with it."""
    return SupervisedReviewFactory(trainee=uma, supervisor=sid, case_reference="Family M")
