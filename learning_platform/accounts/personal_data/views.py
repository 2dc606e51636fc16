"""A person downloads everything held about them."""

import logging

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest
from django.views.decorators.http import require_POST

from allauth.account.decorators import reauthentication_required

from learning_platform.security import client_ip

from .export import user_export_build

security_log = logging.getLogger("learning_platform.security")


@login_required
@require_POST
@reauthentication_required
def data_export(request: HttpRequest) -> FileResponse:
    # A POST, and only after the password was asked again: the ZIP holds all of the person's
    # confidential evidence, so a left-open session or a forged link must not be enough.
    export = user_export_build(user=request.user)
    security_log.info(
        "personal_data_export user_id=%s files=%s missing_files=%s bytes=%s ip=%s",
        request.user.pk,
        export.file_count,
        export.missing_files,
        export.size,
        client_ip(request),
    )
    response = FileResponse(
        export.file, as_attachment=True, filename=export.filename, content_type="application/zip"
    )
    response["Cache-Control"] = "no-store"
    return response
