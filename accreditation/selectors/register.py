"""Reads for the public register: who is listed, with the regions they chose, the review types
they have led and how long they have been accredited; whether a holder accepts messages; and a
holder's own register profile."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet

from learning_platform.accounts.models import User

from ..models import (
    Certificate,
    Region,
    RegisterProfile,
    ReviewType,
    SupervisedReview,
)
from .certificates import PublicStatus, certificate_public_status


@dataclass(frozen=True)
class RegisterEntry:
    """One listed reviewer, as the public register shows them."""

    certificate: Certificate
    name: str
    organisation: str
    accepts_messages: bool
    regions: list[str] = field(default_factory=list)
    review_types: list[str] = field(default_factory=list)

    @property
    def accredited_since(self) -> date:
        return self.certificate.awarded_at

    @property
    def status(self) -> PublicStatus:
        # The register lists valid certificates only.
        return PublicStatus.VALID


def listed_certificates() -> QuerySet[Certificate]:
    """Certificates on the register: the holder opted in, the scheme has a register, the
    certificate is issued, in date and not superseded by a renewal, and the holder's data was
    not erased."""
    return Certificate.objects.valid().filter(
        listed_on_register=True,
        scheme__public_register_enabled=True,
        holder__erased_at__isnull=True,
        superseded_by__isnull=True,
    )


def _reviews_of(holder) -> Q:
    return Q(trainee=holder) | Q(partner=holder)


def register_entries(
    *, name: str = "", region: str = "", review_type: str = ""
) -> QuerySet[Certificate]:
    """The listed certificates matching the search, by holder name. ``region`` is a region's
    name (one the holder chose), ``review_type`` a review type's code (one they have led)."""
    entries = (
        listed_certificates()
        .select_related("holder__organisation", "holder__register_profile")
        .order_by("holder__full_name", "number")
    )
    if name.strip():
        for word in name.split()[:5]:
            entries = entries.filter(holder__full_name__icontains=word)
    if region.strip():
        entries = entries.filter(
            Exists(
                RegisterProfile.regions.through.objects.filter(
                    registerprofile__person=OuterRef("holder"), region__name=region.strip()
                )
            )
        )
    if review_type.strip():
        entries = entries.filter(
            Exists(
                SupervisedReview.objects.filter(
                    _reviews_of(OuterRef("holder")), review_type__code=review_type.strip()
                )
            )
        )
    return entries


def register_rows(certificates: list[Certificate]) -> list[RegisterEntry]:
    """The page's reviewers with their regions and review types: two queries for the whole
    page, however many rows it has."""
    holder_ids = [certificate.holder_id for certificate in certificates]
    regions: dict[int, list[str]] = defaultdict(list)
    review_types: dict[int, set[str]] = defaultdict(set)
    if holder_ids:
        for person_id, region_name in (
            RegisterProfile.regions.through.objects.filter(
                registerprofile__person_id__in=holder_ids
            )
            .order_by("region__sort_order", "region__name")
            .values_list("registerprofile__person_id", "region__name")
        ):
            regions[person_id].append(region_name)
        wanted = set(holder_ids)
        for trainee_id, partner_id, type_name in (
            SupervisedReview.objects.filter(
                Q(trainee_id__in=holder_ids) | Q(partner_id__in=holder_ids)
            )
            .values_list("trainee_id", "partner_id", "review_type__name")
            .distinct()
        ):
            for person_id in {trainee_id, partner_id} & wanted:
                review_types[person_id].add(type_name)
    rows = []
    for certificate in certificates:
        holder = certificate.holder
        profile = _profile_or_none(holder)
        shows_organisation = profile is not None and profile.show_organisation
        rows.append(
            RegisterEntry(
                certificate=certificate,
                name=holder.get_full_name(),
                organisation=holder.organisation.name
                if shows_organisation and holder.organisation
                else "",
                accepts_messages=profile is None or profile.contact_enabled,
                regions=regions[holder.pk],
                review_types=sorted(review_types[holder.pk]),
            )
        )
    return rows


def _profile_or_none(person: User) -> RegisterProfile | None:
    try:
        return person.register_profile
    except RegisterProfile.DoesNotExist:
        return None


def register_region_choices() -> list[str]:
    return list(Region.objects.order_by("sort_order", "name").values_list("name", flat=True))


def register_review_type_choices() -> list[tuple[str, str]]:
    return list(ReviewType.objects.order_by("name").values_list("code", "name"))


# Contacting a holder ------------------------------------------------------------------------


def contact_certificate(*, number: str) -> Certificate | None:
    """The certificate a contact page is for, with what deciding whether its holder accepts
    messages needs, in one query."""
    return (
        Certificate.objects.filter(number=(number or "").strip().upper())
        .select_related(
            "holder__organisation", "holder__register_profile", "scheme", "superseded_by"
        )
        .first()
    )


def certificate_is_listed(certificate: Certificate) -> bool:
    """Whether the certificate is on the public register now (see listed_certificates). Its
    public status is valid only while it is issued, in date and not superseded by a renewal."""
    return (
        certificate.listed_on_register
        and certificate.scheme.public_register_enabled
        and certificate.holder.erased_at is None
        and certificate_public_status(certificate=certificate) == PublicStatus.VALID
    )


def holder_accepts_messages(certificate: Certificate) -> bool:
    """Listed on the register, and the holder has not switched contact off (contact is on
    until they do)."""
    profile = _profile_or_none(certificate.holder)
    return certificate_is_listed(certificate) and (profile is None or profile.contact_enabled)


# The holder's own profile -------------------------------------------------------------------


def register_profile_for(*, person: User) -> RegisterProfile:
    """The holder's saved choices, or the defaults (not saved) if they have made none yet."""
    profile = RegisterProfile.objects.filter(person=person).prefetch_related("regions").first()
    return profile or RegisterProfile(person=person)


def holder_register_certificate(*, person: User) -> Certificate | None:
    """The certificate the holder's register listing is about: their latest awarded one that no
    renewal has superseded."""
    return (
        Certificate.objects.awarded()
        .filter(holder=person, superseded_by__isnull=True)
        .select_related("scheme")
        .order_by("-issued_at", "-pk")
        .first()
    )


def user_holds_a_certificate(*, user: User) -> bool:
    return user.is_authenticated and Certificate.objects.awarded().filter(holder=user).exists()
