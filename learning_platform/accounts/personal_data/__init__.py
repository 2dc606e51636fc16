"""Personal data under UK GDPR: a person's export of everything held about them, and erasure by
an administrator.

Each first-party app that holds personal data has a ``privacy`` module with three functions:

- ``user_data(user) -> dict``: the app's section of ``data.json``, keyed by what each part is;
- ``user_files(user) -> list[tuple[str, Callable[[], IO[bytes]]]]``: files for the ZIP, as (path
  inside the ZIP, a function that opens the file);
- ``erase_user(user) -> None``: anonymise or delete the app's personal data about the user.

Two more are optional:

- ``erasure_counts(user) -> dict[str, int]``: how many of each kind of record the erasure will
  remove or withdraw, for the confirmation page (the keys are ``ErasureSummary``'s fields);
- ``user_name_is_published(user) -> bool``: whether the app holds a record issued in the
  person's name that others can still read (a certificate, say), so that they may no longer
  change their name themselves.

``registry`` finds those modules, ``export`` builds the ZIP, ``erasure`` runs the erasure and
``redaction`` holds the text helpers the apps share.
"""
