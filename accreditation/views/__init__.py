"""Accreditation pages. Every object is fetched through accreditation.access."""
