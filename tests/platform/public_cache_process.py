"""A second web process for the shared-cache tests: it requests a page, or changes a
certificate, against the same database and the same Redis cache as the test's own process.

    python -m tests.platform.public_cache_process get <path>
    python -m tests.platform.public_cache_process <suspend|revoke> <certificate id> <staff id>

It prints one line of JSON.
"""

import json
import sys

import django


def main(argv: list[str]) -> dict:
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    action = argv[0]
    if action == "get":
        with CaptureQueriesContext(connection) as queries:
            response = Client().get(argv[1])
        return {
            "status": response.status_code,
            "queries": len(queries),
            "body": response.content.decode(),
        }
    from accreditation.models import Certificate
    from accreditation.services import certificates
    from learning_platform.accounts.models import User

    change = {
        "suspend": certificates.certificate_suspend,
        "revoke": certificates.certificate_revoke,
    }
    certificate = change[action](
        certificate=Certificate.objects.get(pk=int(argv[1])),
        by=User.objects.get(pk=int(argv[2])),
        reason="Changed by another web process",
    )
    return {"status": certificate.status}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
