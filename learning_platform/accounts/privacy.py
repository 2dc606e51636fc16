"""The accounts part of a person's data: their account, sign-in records and the audit trail.

Erasure decisions, field by field:

- User row: anonymised by ``personal_data.erasure.user_erase`` after every app's erasure.
- Email addresses (allauth), two-factor authenticators and recovery codes, social accounts and
  the Wagtail admin profile (language, time zone, avatar): deleted; the avatar file after commit.
- Sessions: deleted, so every browser the person was signed in on is signed out.
- Wagtail audit log (``ModelLogEntry``, ``PageLogEntry``): the rows stay, as does the link to
  the (anonymised) user who acted. Labels are a snapshot of an object's name ("Tess Trainee in
  London 2026") and ``data`` can hold names, so any entry that names the person (full name,
  any part of it the redactor replaces, or an address), or is about their account, has those
  replaced with "Erased user #<id>".
- Django admin log (``django.contrib.admin`` ``LogEntry``): the rows stay, with who acted and
  when. ``object_repr`` is a snapshot of the object's name and ``change_message`` can name
  people (an added email address, say): an entry about the person's account gets "Erased user
  #<id>" as its ``object_repr``, and in every entry her name and addresses are replaced.
- Wagtail page comments and replies: they stay, with their (anonymised) author, because they are
  part of a page's editing history; any that name the person have the name replaced the same way.
"""

import json

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from wagtail.models import Comment, CommentReply, ModelLogEntry, PageLogEntry

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from .personal_data.redaction import Redactor, erased_label, redactor_for, user_identifiers
from .services import user_sessions_end


def user_data(user) -> dict:
    organisation = user.organisation
    return {
        "account": {
            "id": user.pk,
            "email": user.email,
            "full_name": user.full_name,
            "job_title": user.job_title,
            "organisation": (
                {
                    "name": organisation.name,
                    "kind": organisation.get_kind_display(),
                    "region": organisation.region,
                }
                if organisation
                else None
            ),
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "is_active": user.is_active,
        },
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        # What kind of second factor and when it was set up or used; never the secret itself.
        "two_factor_authentication": [
            {
                "type": authenticator.get_type_display(),
                "created_at": authenticator.created_at,
                "last_used_at": authenticator.last_used_at,
            }
            for authenticator in Authenticator.objects.filter(user=user).order_by("created_at")
        ],
        "actions_in_audit_log": [
            {"action": action, "at": timestamp}
            for action, timestamp in ModelLogEntry.objects.filter(user=user)
            .order_by("timestamp")
            .values_list("action", "timestamp")
        ],
    }


def user_files(user) -> list:
    return []


def erase_user(user) -> None:
    redactor = redactor_for(user)
    _erase_log_entries(user, redactor)
    _erase_admin_log_entries(user, redactor)
    _erase_comment_mentions(user, redactor)
    user_sessions_end(user=user, reason="personal_data_erased")
    Authenticator.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    if apps.is_installed("allauth.socialaccount"):
        from allauth.socialaccount.models import SocialAccount

        SocialAccount.objects.filter(user=user).delete()
    _delete_admin_profile(user)


def _delete_admin_profile(user) -> None:
    from wagtail.users.models import UserProfile

    profile = UserProfile.objects.filter(user=user).first()
    if profile is None:
        return
    avatar = profile.avatar
    name, storage = (avatar.name, avatar.storage) if avatar else ("", None)
    profile.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def _search_terms(user) -> list[str]:
    # Every identifier the redactor replaces, name parts included: a label may carry only a
    # first name ("Tess's review"). The redactor still replaces whole words only.
    terms = user_identifiers(user)
    # JSON text may hold non-ASCII letters escaped ("Zo\\u00eb"), so look for that form too.
    terms += [json.dumps(term)[1:-1] for term in terms]
    return sorted({term for term in terms if term})


def _erase_comment_mentions(user, redactor: Redactor) -> None:
    mentions = Q()
    for term in _search_terms(user):
        mentions |= Q(text__icontains=term)
    for model in (Comment, CommentReply):
        redactor.redact_rows(model.objects.filter(mentions), ["text"])


def _erase_log_entries(user, redactor: Redactor) -> None:
    user_type = ContentType.objects.get_for_model(type(user))
    label = erased_label(user)
    for model in (ModelLogEntry, PageLogEntry):
        mentions = Q()
        for term in _search_terms(user):
            mentions |= Q(label__icontains=term) | Q(data_text__icontains=term)
        if model is ModelLogEntry:
            mentions |= Q(content_type=user_type, object_id=str(user.pk))
        entries = model.objects.annotate(data_text=Cast("data", TextField())).filter(mentions)
        for entry in entries.only("pk", "label", "data", "content_type_id"):
            about_user = model is ModelLogEntry and entry.content_type_id == user_type.pk
            new_label = label if about_user else redactor.text(entry.label)
            new_data = redactor.json(entry.data)
            # A name part also matches inside other words ("Pat" in "pattern"): leave those.
            if (new_label, new_data) != (entry.label, entry.data):
                model.objects.filter(pk=entry.pk).update(label=new_label, data=new_data)


def _erase_admin_log_entries(user, redactor: Redactor) -> None:
    user_type = ContentType.objects.get_for_model(type(user))
    label = erased_label(user)
    mentions = Q(content_type=user_type, object_id=str(user.pk))
    for term in _search_terms(user):
        mentions |= Q(object_repr__icontains=term) | Q(change_message__icontains=term)
    repr_length = LogEntry._meta.get_field("object_repr").max_length
    entries = LogEntry.objects.filter(mentions).only(
        "pk", "content_type_id", "object_id", "object_repr", "change_message"
    )
    for entry in entries:
        about_user = entry.content_type_id == user_type.pk and entry.object_id == str(user.pk)
        # The placeholder is longer than a first name: keep within the column, as Django does.
        new_repr = (label if about_user else redactor.text(entry.object_repr))[:repr_length]
        new_message = _redact_change_message(redactor, entry.change_message)
        if (new_repr, new_message) != (entry.object_repr, entry.change_message):
            LogEntry.objects.filter(pk=entry.pk).update(
                object_repr=new_repr, change_message=new_message
            )


def _redact_change_message(redactor: Redactor, message: str) -> str:
    # The admin stores a JSON list here (with non-ASCII letters escaped); older rows hold text.
    try:
        parsed = json.loads(message)
    except ValueError:
        return redactor.text(message)
    redacted = redactor.json(parsed)
    return message if redacted == parsed else json.dumps(redacted)
