"""Personal data under UK GDPR: a person's export of everything held about them, and erasure by
an administrator.

Each first-party app that holds personal data has a ``privacy`` module with three functions:

- ``user_data(user) -> dict``: the app's section of ``data.json``, keyed by what each part is;
- ``user_files(user) -> list[tuple[str, Callable[[], IO[bytes]]]]``: files for the ZIP, as (path
  inside the ZIP, a function that opens the file);
- ``erase_user(user) -> None``: anonymise or delete the app's personal data about the user.

``registry`` finds those modules, ``export`` builds the ZIP, ``erasure`` runs the erasure and
``redaction`` holds the text helpers the apps share.
"""
