"""What a request did to the database, judged by the rows themselves rather than the status code.

A refusal that redirects and an action carried out are both "302", so an access table that reads
status codes alone cannot tell them apart. ``attempt`` makes the request inside a savepoint,
takes a digest of every row of the project's own tables before and after, and rolls the
savepoint back, so one world serves every persona and every row of a table.

The digest covers every concrete column of every model in our apps (``accounts``, ``courses``,
``accreditation``, ``content``, ``notifications``, ...), including their many-to-many tables.
Only what records that someone was here, not what they did, is left out: the session store
(every request may rewrite its own session: the idle clock, a flash message) and the columns in
``IGNORED_COLUMNS``.
"""

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, models, transaction

from learning_platform.security import first_party_packages

# The database session store: the request's own session, written on every request.
IGNORED_MODELS = {"accounts.usersession"}
# (app_label.model_name, column): bookkeeping a refused request may legitimately touch.
IGNORED_COLUMNS = {
    ("accounts.user", "last_login"),
}


def project_models() -> list[type[models.Model]]:
    """Every model, auto-created through tables included, that one of our apps defines."""
    ours = first_party_packages()
    found = []
    for app_config in apps.get_app_configs():
        if app_config.name.split(".")[0] not in ours:
            continue
        for model in app_config.get_models(include_auto_created=True):
            if model._meta.proxy or not model._meta.managed:
                continue
            if model._meta.label_lower in IGNORED_MODELS:
                continue
            found.append(model)
    return sorted(found, key=lambda model: model._meta.label_lower)


def _columns(model: type[models.Model]) -> list[str]:
    label = model._meta.label_lower
    # The model's own table only: a Wagtail page type's parent columns live in Wagtail's table.
    return [
        field.column
        for field in model._meta.local_concrete_fields
        if (label, field.attname) not in IGNORED_COLUMNS
    ]


@functools.cache
def _statements() -> tuple[tuple[str, str], ...]:
    # Plain SQL, built once: the tables hold a handful of rows each, so the ORM's per-query
    # overhead would be most of the cost of a digest taken twice per request.
    quote = connection.ops.quote_name
    statements = []
    for model in project_models():
        columns = ", ".join(quote(column) for column in _columns(model))
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        statements.append(
            (model._meta.label_lower, f"SELECT {columns} FROM {table} ORDER BY {pk}")  # noqa: S608
        )
    return tuple(statements)


def table_digest() -> dict[str, str]:
    """{model label: row count and hash of its rows}, for comparing before and after."""
    digest = {}
    with connection.cursor() as cursor:
        for label, sql in _statements():
            cursor.execute(sql)
            rows = cursor.fetchall()
            hashed = hashlib.sha256(repr(rows).encode()).hexdigest()[:16]
            digest[label] = f"{len(rows)}:{hashed}"
    return digest


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(
        label for label in before.keys() | after.keys() if before.get(label) != after.get(label)
    )


class _RollBack(Exception):
    """Raised to undo the savepoint once the request's effect has been measured."""


@dataclass
class Attempt:
    response: object
    changed: list[str]
    """The tables whose rows differ after the request (empty when it changed nothing)."""
    checked: object = None
    """What the row's own check returned, evaluated before the rollback."""


def attempt(
    send: Callable[[], object],
    *,
    arrange: Callable[[], object] | None = None,
    check: Callable[[], object] | None = None,
) -> Attempt:
    """Arrange the state, send the request and see what it changed, then undo all of it.

    ``arrange`` runs inside the savepoint (so the state it makes is gone afterwards) and before
    the first digest; ``check`` runs after the request, still inside, for a row that wants to say
    exactly which change an allowed request makes.
    """
    result = {}
    try:
        with transaction.atomic():
            if arrange is not None:
                arrange()
            before = table_digest()
            result["response"] = send()
            result["changed"] = changed_tables(before, table_digest())
            result["checked"] = check() if check is not None else None
            raise _RollBack
    except _RollBack:
        pass
    return Attempt(result["response"], result["changed"], result["checked"])
