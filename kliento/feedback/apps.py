from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "kliento.feedback"
    label = "feedback"
