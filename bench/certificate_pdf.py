"""Certificate PDF: the median time to render one and to sign it, warm, on one core, each against
its own floor measured in the same run (bench/floor.py). Prints figures; never part of the
pass/fail suite.

    render: the application's certificate_html (template, QR code, programme mark and signature
            image) and html_to_pdf (xhtml2pdf) against the floor page: the same text, border,
            images and QR code on a bare ReportLab canvas
    sign:   the application's sign_pdf on the rendered certificate
            against the same sign_pdf (same key, certificate and pyHanko settings) on the floor page

The real work and the floor alternate within each run, so a busy machine slows both alike.

    DJANGO_SETTINGS_MODULE=learning_platform.settings.test .venv/bin/python bench/certificate_pdf.py
    RUNS=10 ... for a quick run (default 30)
"""

import base64
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from types import SimpleNamespace

# Run as a script, this folder would come first on the path, where bench/http.py would hide the
# standard library's http package; the project's root goes there instead.
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != HERE)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning_platform.settings.test")

import django  # noqa: E402

django.setup()

from accreditation.demo_certificate import (  # noqa: E402
    SIGNATORY_NAME,
    SIGNATORY_ROLE,
    programme_mark_png,
    signature_png,
)
from accreditation.services import pdf  # noqa: E402
from bench.floor import certificate_page  # noqa: E402

RUNS = int(os.environ.get("RUNS", "30"))


def _png_uri(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


# The demo's site settings: a programme mark, a signature image and a signatory, as the
# certificate settings hold them in production (without the database).
LOOK = pdf.CertificateLook(
    programme_mark=_png_uri(programme_mark_png()),
    signature=_png_uri(signature_png()),
    signatory_name=SIGNATORY_NAME,
    signatory_role=SIGNATORY_ROLE,
)


def sample_certificate() -> SimpleNamespace:
    """Shaped like a Certificate for the application's own certificate_html, without a
    database."""
    return SimpleNamespace(
        number="LT-2026-00042",
        awarded_at=date(2023, 3, 2),  # a renewal: the page says "Accredited since"
        issued_at=date(2026, 3, 2),
        valid_until=date(2029, 3, 2),
        verification_code="Xy3Qw9sTt0aBcDeFgHiJ",
        holder=SimpleNamespace(get_full_name=lambda: "Tess Trainee"),
        scheme=SimpleNamespace(
            name="Learning Together lead reviewer accreditation",
            accreditation_statement="is accredited to lead Learning Together multi-agency case "
            "reviews in safeguarding, using the systems approach developed by SCIE.",
        ),
    )


def _render(certificate) -> bytes:
    return pdf.html_to_pdf(pdf.certificate_html(certificate, look=LOOK))


def _floor(certificate) -> bytes:
    return certificate_page(certificate, look=LOOK)


def _timed(step, *args):
    """The step's result, and its wall-clock and CPU seconds in this process."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = step(*args)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def measure(certificates: list, runs: int) -> dict[str, list[tuple[float, float]]]:
    """(wall, CPU) seconds per run for each step, cycling through ``certificates``: the real
    render and sign, then the floor's, alternating so that load on the machine falls on both."""
    times: dict[str, list[tuple[float, float]]] = {
        step: [] for step in ("render", "sign", "floor_render", "floor_sign")
    }
    first = certificates[0]
    pdf.sign_pdf(_render(first))  # warm: imports, fonts, the key
    pdf.sign_pdf(_floor(first))
    for run in range(runs):
        certificate = certificates[run % len(certificates)]
        unsigned, *render = _timed(_render, certificate)
        _, *sign = _timed(pdf.sign_pdf, unsigned)
        floor_unsigned, *floor_render = _timed(_floor, certificate)
        _, *floor_sign = _timed(pdf.sign_pdf, floor_unsigned)
        times["render"].append(tuple(render))
        times["sign"].append(tuple(sign))
        times["floor_render"].append(tuple(floor_render))
        times["floor_sign"].append(tuple(floor_sign))
    for prefix in ("", "floor_"):
        times[f"{prefix}total"] = [
            (r[0] + s[0], r[1] + s[1])
            for r, s in zip(times[f"{prefix}render"], times[f"{prefix}sign"], strict=True)
        ]
    return times


def report(times: dict[str, list[tuple[float, float]]]) -> None:
    """Medians of wall-clock time and of this process's CPU time (the steadier of the two on a
    busy machine), each against its floor."""
    print(f"{'':<8}{'wall':>10}{'floor':>10}{'ratio':>8}{'CPU':>12}{'floor':>10}{'ratio':>8}")
    for step in ("render", "sign", "total"):
        line = f"{step:<8}"
        for kind in (0, 1):
            real = statistics.median(t[kind] for t in times[step])
            bare = statistics.median(t[kind] for t in times[f"floor_{step}"])
            line += f"{real * 1000:>7.1f} ms{bare * 1000:>7.1f} ms{real / bare:>7.1f}x"
            line += "  " if kind == 0 else ""
        print(line)
    print("render: the template, QR code, images and xhtml2pdf; floor: the same text, border,")
    print("        images and QR code drawn on a bare ReportLab canvas (bench/floor.py)")
    print("sign:   the application's sign_pdf on each of the two pages (same signer and settings)")


def main() -> None:
    certificate = sample_certificate()
    print(f"runs: {RUNS}, one process, warm; medians")
    report(measure([certificate], RUNS))
    real = pdf.sign_pdf(_render(certificate))
    floor = pdf.sign_pdf(_floor(certificate))
    print(f"signed PDF size: {len(real) / 1000:.1f} KB, floor {len(floor) / 1000:.1f} KB")


if __name__ == "__main__":
    main()
