"""The public register: a holder's choices for how they appear on it, messages the public sends
them through it (relayed by email, never showing the holder's address), and the purge of those
messages once CONTACT_MESSAGE_RETENTION_DAYS have passed."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from wagtail.log_actions import log

from learning_platform.accounts.models import User
from notifications.services import notify

from ..events import AccreditationEvent
from ..exceptions import TransitionError
from ..models import Certificate, ContactMessage, Region, RegisterProfile
from ..selectors.register import certificate_is_listed, holder_register_certificate
from .certificates import certificate_set_listing


@transaction.atomic
def register_profile_update(
    *,
    person: User,
    show_organisation: bool,
    regions: Iterable[Region],
    contact_enabled: bool,
    listed: bool | None = None,
) -> RegisterProfile:
    """Save how the holder appears on the register. ``listed`` (None: leave it as it is) lists
    or unlists their current certificate, with the same checks as the certificates page."""
    profile, _ = RegisterProfile.objects.select_for_update().get_or_create(person=person)
    before = {
        "show_organisation": profile.show_organisation,
        "contact_enabled": profile.contact_enabled,
        "regions": sorted(profile.regions.values_list("name", flat=True)),
    }
    if listed is not None:
        certificate = holder_register_certificate(person=person)
        if certificate is None:
            if listed:
                raise TransitionError("You have no certificate to list on the public register.")
        else:
            certificate_set_listing(certificate=certificate, holder=person, listed=listed)
    profile.show_organisation = show_organisation
    profile.contact_enabled = contact_enabled
    profile.save(update_fields=["show_organisation", "contact_enabled", "updated_at"])
    profile.regions.set(list(regions))
    after = {
        "show_organisation": show_organisation,
        "contact_enabled": contact_enabled,
        "regions": sorted(profile.regions.values_list("name", flat=True)),
    }
    if after != before:
        log(
            instance=profile,
            action="accreditation.register_profile.update",
            user=person,
            data={key: value for key, value in after.items() if value != before[key]},
        )
    return profile


@transaction.atomic
def contact_message_send(
    *,
    certificate: Certificate,
    sender_name: str,
    sender_organisation: str,
    sender_email: str,
    message: str,
) -> ContactMessage:
    """Keep the message and email it to the holder after commit, with the sender's address to
    reply to. Refused unless the holder is on the register and accepts messages."""
    # Locked, so a holder unlisting themselves or switching contact off at this moment is
    # either seen here or waits for this message to be recorded.
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("holder", "scheme")
        .get(pk=certificate.pk)
    )
    profile = RegisterProfile.objects.select_for_update().filter(person=certificate.holder).first()
    if not certificate_is_listed(certificate) or (profile and not profile.contact_enabled):
        raise TransitionError(
            "This reviewer is not accepting messages through the register, so your message "
            "has not been sent."
        )
    contact = ContactMessage.objects.create(
        holder=certificate.holder,
        sender_name=sender_name.strip(),
        sender_organisation=sender_organisation.strip(),
        sender_email=sender_email.strip(),
        message=message.strip(),
    )
    notify(
        recipient=certificate.holder,
        event=AccreditationEvent.REGISTER_CONTACT,
        target=contact,
        link=reverse("accreditation:register_profile"),
    )
    return contact


def contact_messages_purge_expired(*, now: datetime | None = None) -> int:
    """Delete the messages older than CONTACT_MESSAGE_RETENTION_DAYS. Returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CONTACT_MESSAGE_RETENTION_DAYS)
    _, deleted = ContactMessage.objects.filter(created_at__lt=cutoff).delete()
    return deleted.get(ContactMessage._meta.label, 0)
