from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from allauth.account.decorators import reauthentication_required
from allauth.account.views import PasswordChangeView

from .forms import ProfileForm
from .middleware import session_mark_seen
from .selectors import user_name_is_locked
from .services import user_profile_save


@login_required
def profile(request):
    form = ProfileForm(
        request.POST or None,
        instance=request.user,
        name_locked=user_name_is_locked(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        if user_profile_save(form=form) is None:
            raise PermissionDenied
        messages.success(request, "Your profile has been saved.")
        return redirect("accounts_profile")
    return render(request, "accounts/profile.html", {"form": form})


# allauth's own view asks for the current password but not for a recent sign-in: a session left
# open must not let someone else change the password, so a stale session reauthenticates first
# (as allauth already does for email and two-factor changes).
password_change = login_required(
    reauthentication_required(app="allauth.account")(PasswordChangeView.as_view())
)


@require_POST
def session_keep_alive(request: HttpRequest) -> HttpResponse:
    """ "Stay signed in" on the idle warning: the request itself is activity. A session the idle
    limit has already ended never gets here (the middleware signs it out and redirects)."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    session_mark_seen(request)
    return HttpResponse(status=204)
