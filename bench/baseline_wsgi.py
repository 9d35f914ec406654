"""The baseline for bench/answers.py: Django with the same settings serving one bare JSON view."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kliento.settings")

import django
from django.conf import settings

django.setup()
settings.ROOT_URLCONF = "bench.baseline_urls"

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
