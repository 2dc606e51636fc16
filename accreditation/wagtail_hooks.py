from wagtail import hooks

from .viewsets import AccreditationViewSetGroup


@hooks.register("register_admin_viewset")
def register_accreditation_viewsets():
    return AccreditationViewSetGroup()


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    for action, label, message in (
        ("accreditation.review.create", "Review: create", "Supervised review created"),
        (
            "accreditation.review.details",
            "Review: change details",
            "Review's clock, milestones or cases changed",
        ),
        ("accreditation.stage.start", "Stage: start", "Stage started"),
        ("accreditation.stage.submit", "Stage: submit", "Stage submitted for sign-off"),
        ("accreditation.stage.approve", "Stage: approve", "Stage approved"),
        (
            "accreditation.stage.request_changes",
            "Stage: request changes",
            "Stage sent back for changes",
        ),
        ("accreditation.stage.reopen", "Stage: reopen", "Approved stage reopened"),
        ("accreditation.evidence.add", "Evidence: add", "Evidence added"),
        ("accreditation.evidence.edit", "Evidence: change a note", "Note changed"),
        ("accreditation.evidence.remove", "Evidence: remove", "Evidence removed"),
        (
            "accreditation.evidence.purge",
            "Evidence: retention purge",
            "Evidence files deleted under the retention policy",
        ),
        (
            "accreditation.evidence.purge_failed",
            "Evidence: retention purge failed",
            "Evidence files could not be deleted; the next run retries",
        ),
        ("accreditation.register.episode_add", "Register: add episode", "Episode added"),
        ("accreditation.register.episode_change", "Register: change episode", "Episode changed"),
        ("accreditation.register.episode_remove", "Register: remove episode", "Episode removed"),
        (
            "accreditation.register.episode_reorder",
            "Register: reorder episodes",
            "Episodes renumbered",
        ),
        ("accreditation.register.finding_add", "Register: add finding", "Finding added"),
        ("accreditation.register.finding_change", "Register: change finding", "Finding changed"),
        ("accreditation.register.finding_remove", "Register: remove finding", "Finding removed"),
        # Entries logged before the pattern register became the findings register.
        ("accreditation.register.pattern_add", "Register: add pattern", "Pattern added"),
        ("accreditation.register.pattern_change", "Register: change pattern", "Pattern changed"),
        ("accreditation.register.pattern_remove", "Register: remove pattern", "Pattern removed"),
        ("accreditation.supervision.record", "Supervision: record", "Session recorded"),
        ("accreditation.supervision.confirm", "Supervision: confirm", "Attendance confirmed"),
    ):
        actions.register_action(action, label, message)


# Applications and certificates --------------------------------------------------------------


@hooks.register("register_log_actions")
def register_award_log_actions(actions):
    for action, label, message in (
        ("accreditation.application.create", "Application: start", "Application started"),
        ("accreditation.application.submit", "Application: submit", "Application submitted"),
        ("accreditation.application.resubmit", "Application: resubmit", "Application resubmitted"),
        ("accreditation.application.approve", "Application: approve", "Application approved"),
        ("accreditation.application.refer", "Application: refer back", "Application referred"),
        ("accreditation.application.decline", "Application: decline", "Application declined"),
        ("accreditation.application.withdraw", "Application: withdraw", "Application withdrawn"),
        ("accreditation.certificate.issue", "Certificate: issue", "Certificate issued"),
        ("accreditation.certificate.suspend", "Certificate: suspend", "Certificate suspended"),
        ("accreditation.certificate.reinstate", "Certificate: reinstate", "Certificate reinstated"),
        ("accreditation.certificate.revoke", "Certificate: revoke", "Certificate revoked"),
        (
            "accreditation.certificate.register_listing",
            "Certificate: register listing",
            "Public register listing changed",
        ),
        ("accreditation.bulk_issue.start", "Bulk issue: start", "Bulk issue started"),
        ("accreditation.bulk_issue.retry", "Bulk issue: retry", "Failed items queued again"),
    ):
        actions.register_action(action, label, message)


# The typology for the training modules ------------------------------------------------------


@hooks.register("finding_typology")
def finding_typology():
    """The finding categories in their order, as (name, description): the courses app shows them
    in the module on underlying patterns without importing this app."""
    from .models import FindingCategory

    return list(
        FindingCategory.objects.order_by("sort_order", "name").values_list("name", "description")
    )


@hooks.register("register_log_actions")
def register_conduct_log_actions(actions):
    """Changes to the records of the review as it is run (services.conduct)."""
    for name, noun in (
        ("team_member", "review-team member"),
        ("participant", "case-group member"),
        ("family", "family involvement"),
        ("conversation", "conversation"),
        ("meeting", "meeting"),
    ):
        for verb, past in (("add", "added"), ("change", "changed"), ("remove", "removed")):
            actions.register_action(
                f"accreditation.conduct.{name}_{verb}",
                f"Review records: {verb} {noun}",
                f"{noun.capitalize()} {past}",
            )


# The supervisor's recommendation ------------------------------------------------------------


@hooks.register("register_log_actions")
def register_recommendation_log_actions(actions):
    actions.register_action(
        "accreditation.recommendation.record",
        "Recommendation: record",
        "Supervisor's recommendation recorded",
    )


# The public register ------------------------------------------------------------------------


@hooks.register("register_log_actions")
def register_register_log_actions(actions):
    actions.register_action(
        "accreditation.register_profile.update",
        "Register profile: change",
        "Register profile changed",
    )


# Appeals and the CPD log --------------------------------------------------------------------


@hooks.register("register_log_actions")
def register_appeal_and_cpd_log_actions(actions):
    for action, label, message in (
        ("accreditation.appeal.lodge", "Appeal: lodge", "Appeal lodged"),
        ("accreditation.appeal.uphold", "Appeal: uphold", "Appeal decided: the decision stands"),
        ("accreditation.appeal.overturn", "Appeal: overturn", "Appeal decided: overturned"),
        (
            "accreditation.application.appeal_overturned",
            "Application: decline overturned on appeal",
            "Decline overturned on appeal; the application is back in the assessment queue",
        ),
        (
            "accreditation.certificate.appeal_reinstate",
            "Certificate: reinstated on appeal",
            "Revocation overturned on appeal; certificate reinstated",
        ),
        ("accreditation.cpd.add", "CPD: add entry", "CPD entry added"),
        ("accreditation.cpd.edit", "CPD: change entry", "CPD entry changed"),
        ("accreditation.cpd.remove", "CPD: remove entry", "CPD entry removed"),
    ):
        actions.register_action(action, label, message)


# Renewal, expiry and supersession -----------------------------------------------------------


@hooks.register("register_log_actions")
def register_renewal_log_actions(actions):
    for action, label, message in (
        ("accreditation.renewal.submit", "Renewal: submit", "Renewal submitted"),
        ("accreditation.renewal.resubmit", "Renewal: resubmit", "Renewal resubmitted"),
        ("accreditation.renewal.approve", "Renewal: approve", "Renewal approved"),
        ("accreditation.renewal.refer", "Renewal: refer back", "Renewal referred"),
        ("accreditation.renewal.decline", "Renewal: decline", "Renewal declined"),
        ("accreditation.renewal.withdraw", "Renewal: withdraw", "Renewal withdrawn"),
        (
            "accreditation.certificate.supersede",
            "Certificate: superseded",
            "Certificate superseded on renewal",
        ),
    ):
        actions.register_action(action, label, message)
