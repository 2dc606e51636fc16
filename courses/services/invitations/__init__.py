"""Invitations to a cohort, by concern: ``checks`` (who may be invited), ``links`` (the emailed
link and its token), ``lifecycle`` (making, resending and the sweeper's resends),
``csv_import`` (many at once from a spreadsheet) and ``acceptance`` (using one).

Only a sha256 of each token is stored, with the nonce it is made from: the token itself is made
again from the nonce and the SECRET_KEY when its email is sent, so it never waits in the broker.
"""
