"""Wagtail admin for running the programme: cohorts (with their training days), enrolments,
invitations and organisations, grouped under one menu item."""

from wagtail.admin.viewsets.model import ModelViewSetGroup

from .cohorts import CohortViewSet, EnrolmentViewSet, OrganisationViewSet
from .invitations import InvitationViewSet


class ProgrammeViewSetGroup(ModelViewSetGroup):
    menu_label = "Programme"
    menu_icon = "group"
    menu_order = 250
    items = (CohortViewSet, EnrolmentViewSet, InvitationViewSet, OrganisationViewSet)


__all__ = ["ProgrammeViewSetGroup"]
