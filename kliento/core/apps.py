from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kliento.core"
    label = "core"
    verbose_name = "Kliento core"
