from learning_platform.env import env_bool

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
