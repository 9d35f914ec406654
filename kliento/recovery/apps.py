from django.apps import AppConfig


class RecoveryConfig(AppConfig):
    name = "kliento.recovery"
    label = "recovery"
