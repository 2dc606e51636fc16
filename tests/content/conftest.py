import pytest

from content.demo import seed_site
from content.models import EnquiryFormPage


@pytest.fixture
def home(db):
    """The demo public site, built as `manage.py seed_demo` builds it."""
    return seed_site()


@pytest.fixture
def contact_page(home) -> EnquiryFormPage:
    return EnquiryFormPage.objects.get()
