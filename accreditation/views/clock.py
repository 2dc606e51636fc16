"""The review's details page: the statutory clock, the target date, the milestones and a
themed review's case references, changed by the lead reviewers or their supervisor."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from .. import access
from ..clock_forms import CASES_FIELD, ReviewDetailsForm, add_problems
from ..exceptions import TransitionError
from ..selectors.reviews import stage_reopen_refusal
from ..services.clock import ReviewDetailsError, review_details_update


@login_required
@require_http_methods(["GET", "POST"])
def review_details_edit(request: HttpRequest, pk: int) -> HttpResponse:
    review = access.get_review_for_record_keeping(request.user, pk)
    form = ReviewDetailsForm(request.POST or None, review=review)
    if request.method == "POST" and form.is_valid():
        try:
            review_details_update(review=review, user=request.user, **form.service_values())
        except ReviewDetailsError as error:
            add_problems(form, error.problems)
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The review's details are saved.")
            return redirect(reverse("accreditation:review_detail", args=[review.pk]) + "#details")
    return render(
        request,
        "accreditation/review/details_edit.html",
        {
            "review": review,
            "form": form,
            "has_target": "target_publication_date" in form.fields,
            "has_cases": CASES_FIELD in form.fields,
            "locked": stage_reopen_refusal(review=review) if request.method == "GET" else None,
        },
    )
