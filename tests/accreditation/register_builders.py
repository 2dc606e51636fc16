"""Listed holders for the public register's tests, built straight onto the tables: each has a
review of the given type, an approved application and an issued certificate (no PDF), so a
register of many rows is cheap to make. The award itself is tested elsewhere."""

import datetime
import itertools
import secrets

from django.utils import timezone

from accreditation.models import (
    AccreditationApplication,
    Certificate,
    Region,
    RegisterProfile,
)
from learning_platform.accounts.models import User
from tests.factories import OrganisationFactory

from .factories import SupervisedReviewFactory, make_supervisor, make_trainee

_numbers = itertools.count(90001)


def _supervisor() -> User:
    return User.objects.filter(email="rita@example.org").first() or make_supervisor(
        "Rita Register", "rita@example.org"
    )


def another_review(*, partner: User, review_type: str):
    """A review someone else led with ``partner`` as their partner."""
    return SupervisedReviewFactory(
        trainee=make_trainee(f"Lead of {partner.full_name}", f"lead.{partner.email}"),
        partner=partner,
        supervisor=_supervisor(),
        review_type=review_type,
    )


def listed_holder(
    full_name: str,
    *,
    regions: tuple[str, ...] = (),
    review_type: str = "full",
    organisation: str = "",
    show_organisation: bool = False,
    contact_enabled: bool = True,
    listed: bool = True,
    awarded_at: datetime.date | None = None,
    profile: bool = True,
) -> Certificate:
    email = full_name.lower().replace(" ", ".") + "@example.org"
    holder = make_trainee(full_name, email)
    if organisation:
        holder.organisation = OrganisationFactory(name=organisation)
        holder.save()
    review = SupervisedReviewFactory(
        trainee=holder, supervisor=_supervisor(), review_type=review_type
    )
    application = AccreditationApplication.objects.create(
        trainee=holder,
        review=review,
        scheme=review.scheme,
        status=AccreditationApplication.Status.APPROVED,
        submitted_at=timezone.now(),
    )
    today = timezone.localdate()
    certificate = Certificate.objects.create(
        application=application,
        holder=holder,
        scheme=review.scheme,
        number=f"LT-{today.year}-{next(_numbers):05d}",
        verification_code=secrets.token_urlsafe(15),
        status=Certificate.Status.ISSUED,
        awarded_at=awarded_at or today,
        issued_at=today,
        valid_until=today + datetime.timedelta(days=3 * 365),
        listed_on_register=listed,
    )
    if profile:
        made = RegisterProfile.objects.create(
            person=holder, show_organisation=show_organisation, contact_enabled=contact_enabled
        )
        made.regions.set(Region.objects.filter(name__in=regions))
    return certificate
