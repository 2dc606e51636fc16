"""Writes for accreditation, split by concern. Each state change is one function in one
transaction."""
