"""Certificate PDF: the median time to render one (HTML → PDF) and to sign it, warm, on one
core, against the floor measured in the same run: the same text on a bare ReportLab page in the
same embedded font (bench/floor.py). Prints figures; never part of the pass/fail suite.

    DJANGO_SETTINGS_MODULE=learning_platform.settings.test .venv/bin/python bench/certificate_pdf.py
"""

import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning_platform.settings.test")

import django  # noqa: E402

django.setup()

from django.template.loader import render_to_string  # noqa: E402

from accreditation.services import pdf  # noqa: E402
from bench.floor import reportlab_page  # noqa: E402

RUNS = int(os.environ.get("RUNS", "30"))


def main() -> None:
    certificate = SimpleNamespace(
        number="LT-2026-00042",
        awarded_at=date(2026, 3, 2),
        issued_at=date(2026, 3, 2),
        valid_until=date(2029, 3, 2),
    )
    url = "https://learningtogether.example/verify/Xy3Qw9sTt0aBcDeFgHiJ/"
    html = render_to_string(
        pdf.TEMPLATE_NAME,
        {
            "certificate": certificate,
            "holder_name": "Tess Trainee",
            "scheme_name": "Learning Together lead reviewer accreditation",
            "verification_url": url,
            "qr_data_uri": pdf._qr_data_uri(url),
        },
    )
    floor_text = {
        "holder": "Tess Trainee",
        "scheme": "Learning Together lead reviewer accreditation",
        "number": certificate.number,
        "awarded": certificate.awarded_at,
        "valid_until": certificate.valid_until,
        "url": url,
    }
    unsigned = pdf.html_to_pdf(html)
    pdf.sign_pdf(unsigned)  # warm: imports, fonts, the signing key
    reportlab_page(**floor_text)
    render, sign, floor = [], [], []
    for _ in range(RUNS):
        started = time.perf_counter()
        unsigned = pdf.html_to_pdf(html)
        rendered = time.perf_counter()
        pdf.sign_pdf(unsigned)
        signed = time.perf_counter()
        reportlab_page(**floor_text)
        render.append(rendered - started)
        sign.append(signed - rendered)
        floor.append(time.perf_counter() - signed)
    total = [a + b for a, b in zip(render, sign, strict=True)]
    print(f"runs: {RUNS}")
    print(f"render median: {statistics.median(render) * 1000:.1f} ms")
    print(f"sign median:   {statistics.median(sign) * 1000:.1f} ms")
    print(f"total median:  {statistics.median(total) * 1000:.1f} ms")
    print(f"floor median:  {statistics.median(floor) * 1000:.1f} ms (bare ReportLab, same font)")
    print(f"ratio, total / floor: {statistics.median(total) / statistics.median(floor):.1f}x")


if __name__ == "__main__":
    main()
