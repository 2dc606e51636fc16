"""The supervisor's recommendation page: for each trainee of the review, ready or not yet with a
statement, and the recommendations made so far."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import access
from ..award_forms import RecommendationForm
from ..exceptions import TransitionError
from ..selectors.recommendations import recommendation_refusal, review_recommendations
from ..services.recommendations import recommendation_record


def _prefix(trainee_id: int) -> str:
    return f"trainee-{trainee_id}"


@login_required
@require_http_methods(["GET", "POST"])
def recommendation(request: HttpRequest, pk: int) -> HttpResponse:
    review = access.get_review_for_supervisor(request.user, pk)
    rows = review_recommendations(review=review)
    posted_for = request.POST.get("trainee") if request.method == "POST" else None
    forms = {}
    for row in rows:
        bound = posted_for == str(row.trainee.pk)
        forms[row.trainee.pk] = RecommendationForm(
            request.POST if bound else None, prefix=_prefix(row.trainee.pk)
        )
    status = 200
    if posted_for is not None:
        form = forms.get(int(posted_for)) if posted_for.isdigit() else None
        row = next((r for r in rows if str(r.trainee.pk) == posted_for), None)
        if form is None or row is None:
            status = 400
            messages.error(request, "Choose a trainee of this review.")
        elif form.is_valid():
            try:
                recommendation_record(
                    review=review,
                    trainee=row.trainee,
                    supervisor=request.user,
                    ready=form.is_ready(),
                    statement=form.cleaned_data["statement"],
                )
            except TransitionError as error:
                form.add_error(None, str(error))
                status = 400
            else:
                messages.success(
                    request, f"Your recommendation for {row.trainee.get_full_name()} is recorded."
                )
                return redirect("accreditation:recommendation", pk=review.pk)
        else:
            status = 400
    return render(
        request,
        "accreditation/review/recommendation.html",
        {
            "review": review,
            "rows": [(row, forms[row.trainee.pk]) for row in rows],
            "refusal": recommendation_refusal(review=review),
            "form": next((f for f in forms.values() if f.errors), None),
        },
        status=status,
    )
