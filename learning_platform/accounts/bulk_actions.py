"""The Wagtail user listing's bulk actions, fitted to what our accounts must guarantee."""

from wagtail.users.views.bulk_actions import SetActiveStateBulkAction

from .services import users_set_active


class AccountSetActiveStateBulkAction(SetActiveStateBulkAction):
    """Wagtail's "Set active state", but through users_set_active: Wagtail's own action uses
    QuerySet.update(), so a deactivated person's sessions would survive and nothing be logged."""

    @classmethod
    def execute_action(cls, objects, mark_as_active=False, user=None, **kwargs):
        count = users_set_active(
            user_ids=[obj.pk for obj in objects], active=mark_as_active, by=user
        )
        return count, 0
