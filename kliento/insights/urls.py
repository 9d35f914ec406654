from django.urls import path

from kliento.insights import views

urlpatterns = [
    path("settings/", views.insights_settings, name="insights_settings"),
]
