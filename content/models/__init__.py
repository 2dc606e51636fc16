"""Pages of the public site. Editors build all of it in the Wagtail admin."""

from .enquiries import EnquiryFormField, EnquiryFormPage, EnquiryNotification, enquiry_emails_unsent
from .news import NewsIndexPage, NewsPage
from .pages import HomePage, LegalPage, LegalPageKind, StandardPage
from .publications import (
    ProgrammePhase,
    ProgrammePhasePage,
    PublicationIndexPage,
    PublicationPage,
    PublicationType,
)

__all__ = [
    "EnquiryFormField",
    "EnquiryFormPage",
    "EnquiryNotification",
    "HomePage",
    "LegalPage",
    "LegalPageKind",
    "NewsIndexPage",
    "NewsPage",
    "ProgrammePhase",
    "ProgrammePhasePage",
    "PublicationIndexPage",
    "PublicationPage",
    "PublicationType",
    "StandardPage",
    "enquiry_emails_unsent",
]
