from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from kliento.alerts import views as alert_views
from kliento.api.base import api
from kliento.conversations import views as conversation_views
from kliento.core import views as core_views
from kliento.customers import views as customer_views
from kliento.feedback import views as feedback_views
from kliento.recovery import views as recovery_views
from kliento.surveys import public as survey_public
from kliento.surveys import views as survey_views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="feed", permanent=False)),
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("accounts/login/", core_views.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password-reset/",
         core_views.PasswordResetRequestView.as_view(),
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
    path("feedback/<int:pk>/correct/", feedback_views.correct_feedback, name="feedback_correct"),
    path("settings/text/", feedback_views.text_settings, name="text_settings"),
    path("customers/", customer_views.customer_list, name="customer_list"),
    path("customers/<int:pk>/", customer_views.customer_detail, name="customer_detail"),
    path("customers/<int:pk>/edit/", customer_views.customer_edit, name="customer_edit"),
    path("log/", conversation_views.log_interaction_view, name="log_interaction"),
    path("surveys/", survey_views.survey_list, name="survey_list"),
    path("surveys/<int:pk>/", survey_views.survey_results, name="survey_results"),
    path("surveys/<int:pk>/edit/", survey_views.survey_edit, name="survey_edit"),
    path("surveys/<int:pk>/preview/", survey_views.survey_preview, name="survey_preview"),
    path("surveys/<int:pk>/invitations/", survey_views.invitation_list,
         name="survey_invitations"),
    path("surveys/<int:pk>/send/", survey_views.bulk_send, name="survey_send"),
    path("surveys/<int:pk>/send/<int:batch_id>/", survey_views.batch_progress,
         name="survey_batch"),
    path("surveys/<int:pk>/snippet/", survey_views.snippet, name="survey_snippet"),
    # Public: what customers open from e-mails, replies, web pages and the widget.
    path("a/<str:token>/", survey_public.answer_page, name="survey_answer_page"),
    path("a/<str:token>/comment/", survey_public.comment, name="survey_comment"),
    path("a/<str:token>/<int:score>/", survey_public.answer_page, name="survey_answer"),
    path("u/<str:token>/", survey_public.unsubscribe, name="survey_unsubscribe"),
    path("r/<str:public_key>/<int:score>/", survey_public.open_link, name="survey_open_link"),
    path("s/<str:public_key>/", survey_public.survey_page, name="survey_page"),
    path("w/<str:public_key>.js", survey_public.widget_script, name="survey_widget_script"),
    path("w/<str:public_key>/answer", survey_public.widget_answer, name="survey_widget_answer"),
    path("alerts/", alert_views.alert_list, name="alert_list"),
    path("alerts/count/", alert_views.alert_count, name="alert_count"),
    path("alerts/<int:pk>/", alert_views.alert_detail, name="alert_detail"),
    path("alerts/<int:pk>/acknowledge/", alert_views.acknowledge, name="alert_acknowledge"),
    path("alerts/ack/<str:key>/", alert_views.acknowledge_link, name="alert_acknowledge_link"),
    path("alerts/channels/", alert_views.channels, name="alert_channels"),
    path("alerts/channels/test/<int:pk>/", alert_views.test_result, name="alert_test_result"),
    path("alerts/rules/", alert_views.rules, name="alert_rules"),
    path("alerts/rules/new/", alert_views.rule_edit, name="alert_rule_new"),
    path("alerts/rules/<int:pk>/", alert_views.rule_edit, name="alert_rule_edit"),
    path("alerts/escalation/", alert_views.policies, name="alert_policies"),
    path("alerts/deliveries/", alert_views.deliveries, name="alert_deliveries"),
    path("cases/", recovery_views.case_list, name="case_list"),
    path("cases/<int:pk>/", recovery_views.case_detail, name="case_detail"),
    path("cases/<int:pk>/act/", recovery_views.case_action, name="case_action"),
    path("feedback/<int:pk>/case/", recovery_views.open_from_feedback, name="case_open"),
    path("cases/report/", recovery_views.report, name="case_report"),
    path("settings/recovery/", recovery_views.recovery_settings, name="recovery_settings"),
    path("settings/recovery/playbooks/new/", recovery_views.playbook_edit, name="playbook_new"),
    path("settings/recovery/playbooks/<int:pk>/", recovery_views.playbook_edit,
         name="playbook_edit"),
    path("settings/teams/<int:pk>/", recovery_views.team_settings, name="team_settings"),
    path("settings/", core_views.workspace_settings, name="workspace_settings"),
    path("insights/", include("kliento.insights.urls")),
    path("settings/members/", core_views.members, name="members"),
    path("settings/tokens/", core_views.tokens, name="tokens"),
    path("settings/emails/", core_views.email_log, name="email_log"),
    path("settings/emails/<int:pk>/", core_views.email_detail, name="email_detail"),
]
