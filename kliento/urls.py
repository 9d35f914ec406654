from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from kliento.api.base import api
from kliento.conversations import views as conversation_views
from kliento.core import views as core_views
from kliento.core.forms import QueuedPasswordResetForm
from kliento.customers import views as customer_views
from kliento.feedback import views as feedback_views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="feed", permanent=False)),
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True),
         name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password-reset/",
         auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
         name="password_reset"),
    path("accounts/password-reset/sent/", auth_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("accounts/profile/", core_views.profile, name="profile"),
    path("invite/<str:token>/", core_views.accept_invite, name="accept_invite"),
    path("switch/<slug:slug>/", core_views.switch_workspace, name="switch_workspace"),
    path("feed/", feedback_views.feed_page, name="feed"),
    path("customers/", customer_views.customer_list, name="customer_list"),
    path("customers/<int:pk>/", customer_views.customer_detail, name="customer_detail"),
    path("customers/<int:pk>/edit/", customer_views.customer_edit, name="customer_edit"),
    path("log/", conversation_views.log_interaction_view, name="log_interaction"),
    path("settings/", core_views.workspace_settings, name="workspace_settings"),
    path("settings/members/", core_views.members, name="members"),
    path("settings/tokens/", core_views.tokens, name="tokens"),
    path("settings/emails/", core_views.email_log, name="email_log"),
    path("settings/emails/<int:pk>/", core_views.email_detail, name="email_detail"),
]
