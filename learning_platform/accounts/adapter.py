import time

from django.conf import settings
from django.http import HttpRequest

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context

from .selectors import user_activated_totp_within, user_has_totp, user_home_url

# Set by the invitation flow once it has checked an invitation link; nothing else opens signup.
INVITATION_SESSION_KEY = "invitation_token"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(request.session.get(INVITATION_SESSION_KEY))

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        # Only when the sign-in page had no `next`: otherwise allauth goes there.
        return user_home_url(user=request.user)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # Staff are sent to set up two-factor authentication straight after signing in. Asking
        # for the password a second time there adds nothing, so a fresh sign-in counts. Changing
        # an existing authenticator still needs reauthentication.
        # The same holds for the backup codes shown straight after that setup: the person has
        # just proved they hold the new authenticator.
        request = context.request
        timeout = settings.ACCOUNT_REAUTHENTICATION_TIMEOUT
        if (
            app == "allauth.mfa"
            and request is not None
            and request.user.is_authenticated
            and (
                not user_has_totp(user=request.user)
                or user_activated_totp_within(user=request.user, seconds=timeout)
            )
            and _signed_in_within(request, timeout)
        ):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)


def _signed_in_within(request: HttpRequest, seconds: int) -> bool:
    records = get_authentication_records(request, request.user)
    return bool(records) and time.time() - records[-1].get("at", 0) < seconds
