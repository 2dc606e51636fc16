"""CSV files for the invitation import tests, and the request that uploads one."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

HEADER = "name,email,organisation,job title\n"


def csv_file(body: str, *, name: str = "people.csv", header: str = HEADER, encoding="utf-8"):
    """An uploaded CSV file: the header line, then `body`."""
    return SimpleUploadedFile(name, (header + body).encode(encoding), content_type="text/csv")


def post_import(client, cohort, upload):
    """Post `upload` to the import page for `cohort`, as the signed-in user."""
    return client.post(reverse("invitations:import"), {"cohort": cohort.pk, "file": upload})
