"""A national-scale world for the benchmarks, built through the project's own models: cohorts,
trainees and their supervisors, supervised reviews at every stage, applications, certificates in
every standing and the notifications all that sent. `manage.py seed_scale` builds it;
`scale_handles` tells a benchmark whom to sign in as and which pages to ask for."""

from .handles import NoScaleWorld, ScaleHandles, scale_handles
from .plan import ScalePlan, scale_plan
from .reset import scale_world_exists, scale_world_remove
from .seed import ScaleRefused, Seeded, refuse_production, scale_counts, scale_seed

__all__ = [
    "NoScaleWorld",
    "ScaleHandles",
    "ScalePlan",
    "ScaleRefused",
    "Seeded",
    "refuse_production",
    "scale_counts",
    "scale_handles",
    "scale_plan",
    "scale_seed",
    "scale_world_exists",
    "scale_world_remove",
]
