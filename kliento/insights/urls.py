from django.urls import path

from kliento.insights import views

urlpatterns = [
    path("", views.insights_dashboard, name="insights"),
    path("export/<slug:panel>.<str:format>", views.insights_export, name="insights_export"),
    path("settings/", views.insights_settings, name="insights_settings"),
]
