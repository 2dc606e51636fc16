import pytest

from .factories import SupervisedReviewFactory, make_supervisor


@pytest.fixture
def sid(db):
    """Another supervisor, of Uma's review."""
    return make_supervisor("Sid Supervisor", "sid@example.org")


@pytest.fixture
def other_review(uma, sid):
    """Uma's review, supervised by Sid: Tess, Pat and Sam have nothing to do with it."""
    return SupervisedReviewFactory(trainee=uma, supervisor=sid, case_reference="Family M")
