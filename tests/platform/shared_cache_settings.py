"""The test settings with the cache in Redis, as production shares it between processes."""

import os

from learning_platform.settings.test import *  # noqa: F403

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["SHARED_CACHE_URL"],
    }
}
