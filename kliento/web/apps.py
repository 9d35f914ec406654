from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "kliento.web"
    label = "web"
