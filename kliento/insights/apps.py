from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "kliento.insights"
    label = "insights"
