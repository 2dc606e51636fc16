"""Reads for accreditation, split by concern: reviews and stages, supervision."""
