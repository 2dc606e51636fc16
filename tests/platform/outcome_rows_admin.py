"""The outcome table's rows for the Wagtail admin's programme and user screens, with their
form data.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from courses.models import (
    Cohort,
    Enrolment,
    Invitation,
)
from learning_platform.accounts.models import Organisation, User
from tests.platform.outcome_rows import (
    ADA,
    NEW_PASSWORD,
    NOBODY,
    Outcome,
    World,
    _cohort,
    _invitation,
    _reauthenticate,
    _tess_enrolment,
    _user_tess,
)

# Form data ----------------------------------------------------------------------------------


def _training_days(w: World) -> dict:
    day = w.objects["day"]
    return {
        "training_days-TOTAL_FORMS": "1",
        "training_days-INITIAL_FORMS": "1",
        "training_days-MIN_NUM_FORMS": "0",
        "training_days-MAX_NUM_FORMS": "1000",
        "training_days-0-id": str(day.pk),
        "training_days-0-title": day.title,
        "training_days-0-date": day.date.isoformat(),
        "training_days-0-starts_at": "09:30",
        "training_days-0-ends_at": "16:30",
        "training_days-0-venue": day.venue,
        "training_days-0-online_link": "",
        "training_days-0-ORDER": "1",
        "training_days-0-DELETE": "",
    }


def _cohort_form(w: World, name: str, *, new: bool) -> dict:
    existing = w.objects["cohort"]
    data = {
        "name": name,
        "course": existing.course_id,
        "funding_strand": "DfE VCS grant",
        "start_date": existing.start_date.isoformat(),
        "end_date": existing.end_date.isoformat(),
        "capacity": "12",
        "status": existing.status,
        "supervisors": [str(w.objects["sam"].pk)],
    }
    if new:
        data.update(
            {
                "training_days-TOTAL_FORMS": "0",
                "training_days-INITIAL_FORMS": "0",
                "training_days-MIN_NUM_FORMS": "0",
                "training_days-MAX_NUM_FORMS": "1000",
            }
        )
    else:
        data.update(_training_days(w))
    return data


def _user_form(w: World, email: str, full_name: str, *, new: bool) -> dict:
    data = {
        "email": email,
        "full_name": full_name,
        "organisation": w.objects["tess"].organisation_id,
        "job_title": "Practice lead",
        "is_superuser": "",
        "groups": [str(group.pk) for group in w.objects["tess"].groups.all()],
    }
    if new:
        data.update({"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    else:
        data["is_active"] = "on"
    return data


def _csv_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "invitations.csv",
        b"name,email,organisation,job title\r\n"
        b"Casey Imported,casey.imported@example.org,,Safeguarding lead\r\n",
        content_type="text/csv",
    )


ADMIN_ROWS: list[Outcome] = [
    # The Wagtail admin: programme screens ------------------------------------------------
    Outcome(
        "cohorts:add",
        ADA,
        data=lambda w: _cohort_form(w, "Manchester boards 2027", new=True),
        check=lambda w, r: Cohort.objects.filter(name="Manchester boards 2027").exists(),
    ),
    Outcome(
        "cohorts:edit",
        ADA,
        ("cohort",),
        data=lambda w: _cohort_form(w, "London boards (renamed)", new=False),
        check=lambda w, r: _cohort(w).name == "London boards (renamed)",
    ),
    # Programme staff are told a cohort with records is kept.
    Outcome(
        "cohorts:delete",
        NOBODY,
        ("cohort",),
        check=lambda w, r: not Cohort.objects.filter(pk=w.objects["cohort"].pk).exists(),
    ),
    Outcome(
        "enrolments:add",
        ADA,
        data=lambda w: {
            "user": w.objects["uma"].pk,
            "cohort": w.objects["cohort"].pk,
            "supervisor": w.objects["sam"].pk,
        },
        check=lambda w, r: Enrolment.objects.filter(
            user=w.objects["uma"], cohort=w.objects["cohort"]
        ).exists(),
    ),
    Outcome(
        "enrolments:edit",
        ADA,
        ("tess_enrolment",),
        data=lambda w: {
            "supervisor": "",
            "review_partner": w.objects["pat"].pk,
            "new_status": "",
            "reason": "",
        },
        check=lambda w, r: _tess_enrolment(w).supervisor_id is None,
    ),
    Outcome(
        "enrolments:delete",
        NOBODY,
        ("tess_enrolment",),
        check=lambda w, r: _tess_enrolment(w) is None,
    ),
    Outcome(
        "invitations:add",
        ADA,
        data=lambda w: {
            "cohort": w.objects["cohort"].pk,
            "full_name": "Robin Invited",
            "email": "robin.invited@example.org",
            "organisation": "",
            "job_title": "",
        },
        check=lambda w, r: Invitation.objects.filter(email="robin.invited@example.org").exists(),
    ),
    Outcome(
        "invitations:import",
        ADA,
        data=lambda w: {"cohort": w.objects["cohort"].pk, "file": _csv_upload()},
        check=lambda w, r: Invitation.objects.filter(email="casey.imported@example.org").exists(),
    ),
    Outcome(
        "invitations:resend",
        ADA,
        ("invitation",),
        check=lambda w, r: _invitation(w).token_hash != w.objects["invitation"].token_hash,
    ),
    # Invitations are sent and withdrawn, never edited.
    Outcome(
        "invitations:edit",
        NOBODY,
        ("invitation",),
        data=lambda w: {"full_name": "Someone Else", "organisation": "", "job_title": ""},
        check=lambda w, r: _invitation(w).full_name == "Someone Else",
    ),
    Outcome(
        "invitations:delete",
        ADA,
        ("invitation",),
        check=lambda w, r: _invitation(w) is None,
    ),
    Outcome(
        "organisations:add",
        ADA,
        data=lambda w: {"name": "Wirral partnership", "kind": "safeguarding_partnership"},
        check=lambda w, r: Organisation.objects.filter(name="Wirral partnership").exists(),
    ),
    Outcome(
        "organisations:edit",
        ADA,
        ("organisation",),
        data=lambda w: {"name": "Renamed employer", "kind": "employer", "region": "Wales"},
        check=lambda w, r: Organisation.objects.filter(name="Renamed employer").exists(),
    ),
    Outcome(
        "organisations:delete",
        NOBODY,
        ("organisation",),
        check=lambda w, r: (
            not Organisation.objects.filter(pk=w.objects["organisation"].pk).exists()
        ),
    ),
    # The Wagtail admin: users. Accounts are made and changed by superusers; programme staff
    # look people up and erase them on request.
    Outcome(
        "wagtailusers_users:add",
        NOBODY,
        data=lambda w: _user_form(w, "added@example.org", "Added Person", new=True),
        check=lambda w, r: User.objects.filter(email="added@example.org").exists(),
    ),
    Outcome(
        "wagtailusers_users:copy",
        NOBODY,
        ("tess",),
        data=lambda w: _user_form(w, "copied@example.org", "Copied Person", new=True),
        check=lambda w, r: User.objects.filter(email="copied@example.org").exists(),
    ),
    Outcome(
        "wagtailusers_users:edit",
        NOBODY,
        ("tess",),
        data=lambda w: _user_form(w, w.objects["tess"].email, "Tess Renamed", new=False),
        check=lambda w, r: _user_tess(w).full_name == "Tess Renamed",
    ),
    Outcome(
        "wagtailusers_users:delete",
        NOBODY,
        ("tess",),
        check=lambda w, r: _user_tess(w) is None,
    ),
    Outcome(
        "wagtailusers_users:erase",
        ADA,
        ("tess",),
        arrange=_reauthenticate,
        data=lambda w: {"email": w.objects["tess"].email},
        check=lambda w, r: _user_tess(w).erased_at is not None,
    ),
]
