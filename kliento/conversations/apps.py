from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "kliento.conversations"
    label = "conversations"
