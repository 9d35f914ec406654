from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "kliento.customers"
    label = "customers"
