from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from allauth.account.decorators import reauthentication_required
from allauth.account.views import PasswordChangeView

from .forms import ProfileForm
from .selectors import user_name_is_on_a_certificate


@login_required
def profile(request):
    form = ProfileForm(
        request.POST or None,
        instance=request.user,
        name_locked=user_name_is_on_a_certificate(request.user),
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile has been saved.")
        return redirect("accounts_profile")
    return render(request, "accounts/profile.html", {"form": form})


# allauth's own view asks for the current password but not for a recent sign-in: a session left
# open must not let someone else change the password, so a stale session reauthenticates first
# (as allauth already does for email and two-factor changes).
password_change = login_required(
    reauthentication_required(app="allauth.account")(PasswordChangeView.as_view())
)
