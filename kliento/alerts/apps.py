from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "kliento.alerts"
    label = "alerts"
