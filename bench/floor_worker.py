"""A Celery worker for the bulk benchmark's floor: the application's own worker, tasks and services,
except that the certificate page is drawn by bench/floor.py (bare ReportLab, the same text and QR
code) instead of the template and xhtml2pdf. Issuing, numbering, the database rows, the broker,
signing with the application's sign_pdf, storage and the ZIP are all the application's.

    python -m bench.floor_worker worker --pool=solo ...   (bench/bulk_issue.py starts it)
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning_platform.settings.dev")

import django  # noqa: E402

django.setup()

from accreditation.services import bulk, pdf  # noqa: E402
from bench.floor import certificate_page  # noqa: E402
from learning_platform.celery import app  # noqa: E402


def _floor_source(certificate):
    # The services call sign_pdf(html_to_pdf(certificate_html(certificate))); passing the
    # certificate itself through lets the floor replace just the two rendering steps.
    return certificate


for module in (pdf, bulk):
    module.certificate_html = _floor_source
    module.html_to_pdf = certificate_page

if __name__ == "__main__":
    app.worker_main(argv=sys.argv[1:])
