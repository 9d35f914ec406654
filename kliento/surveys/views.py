"""Survey pages for the team: list, editor with live preview, results, invitations, sending."""

from __future__ import annotations

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento import loop
from kliento.core.decorators import WorkspaceRequest, member_required
from kliento.core.forms import errors_to_form
from kliento.core.models import Role
from kliento.core.urls_util import absolute_url
from kliento.customers.services import CustomerRef
from kliento.surveys import services
from kliento.surveys.emails import score_links
from kliento.surveys.forms import (
    HELPDESKS,
    InvitationFilterForm,
    InviteForm,
    NewSurveyForm,
    SnippetForm,
    SurveySettingsForm,
    UploadForm,
    texts_form_fields,
    texts_from_post,
)
from kliento.surveys.imports import parse_recipients
from kliento.surveys.models import Invitation, SendBatch, Survey
from kliento.surveys.results import comments, results
from kliento.surveys.snippets import rating_snippet

PAGE_SIZE = 50
# A parsed upload waits in the session between "check" and "send".
UPLOAD_KEY = "kliento_upload"


def _survey(request: WorkspaceRequest, pk: int) -> Survey:
    return get_object_or_404(Survey.objects.for_workspace(request.workspace), pk=pk)


@member_required()
def survey_list(request: WorkspaceRequest) -> HttpResponse:
    form = NewSurveyForm(request.POST or None)
    if request.method == "POST":
        if not request.membership.can(Role.MANAGER):
            return HttpResponse(status=403)
        if form.is_valid():
            survey = services.create_survey(workspace=request.workspace,
                                            actor=request.membership, **form.cleaned_data)
            messages.success(request, _("Survey created with default texts in every language."))
            return redirect("survey_edit", pk=survey.pk)
    surveys = Survey.objects.for_workspace(request.workspace)
    return render(request, "surveys/list.html", {"surveys": surveys, "form": form,
                                                 "nav": "surveys"})


@member_required()
def survey_results(request: WorkspaceRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    invite_form = InviteForm(request.POST or None)
    if request.method == "POST":
        if not request.membership.can(Role.AGENT):
            return HttpResponse(status=403)
        if invite_form.is_valid():
            d = invite_form.cleaned_data
            try:
                invitation = loop.invite(survey=survey, customer=CustomerRef(
                    email=d["email"], name=d["name"], language=d["language"]),
                    req=services.InvitationRequest(
                        email=d["email"], language=d["language"], reference=d["reference"],
                        agent=request.user, send=True))
            except ValidationError as exc:
                for e in exc.messages:
                    invite_form.add_error(None, e)
            else:
                if invitation.skip_reason:
                    messages.warning(request, _("Not sent: %(reason)s.")
                                     % {"reason": invitation.get_skip_reason_display()})
                else:
                    messages.success(request, _("Invitation queued for %(email)s.")
                                     % {"email": invitation.email})
                return redirect("survey_results", pk=survey.pk)
    return render(request, "surveys/results.html", {
        "survey": survey, "results": results(survey), "comments": comments(survey),
        "invite_form": invite_form, "nav": "surveys", "tab": "results",
    })


# The live preview shows the e-mail and the answer page in srcdoc frames, which inherit this
# page's policy; e-mail HTML needs inline styles. The frames are sandboxed (no scripts), so
# only styles are relaxed here, and script-src stays as strict as everywhere else.
@csp_replace({"style-src": [SELF, UNSAFE_INLINE]})
@member_required(Role.MANAGER)
def survey_edit(request: WorkspaceRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    form = SurveySettingsForm(request.POST or None, instance=survey)
    texts = texts_form_fields(survey, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_survey(workspace=request.workspace, actor=request.membership,
                                   survey=Survey.objects.get(pk=survey.pk),
                                   texts=texts_from_post(request.POST), **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Survey saved."))
            return redirect("survey_edit", pk=survey.pk)
    return render(request, "surveys/edit.html", {
        "survey": survey, "form": form, "languages": texts, "nav": "surveys", "tab": "edit",
        "preview_language": request.workspace.default_language,
    })


@member_required(Role.MANAGER)
@require_POST
def survey_preview(request: WorkspaceRequest, pk: int) -> HttpResponse:
    """Live preview of the e-mail and the answer page in one language, from unsaved edits."""
    survey = _survey(request, pk)
    language = request.POST.get("preview_language", "en")
    edited = texts_from_post(request.POST).get(language, {})
    survey.texts = {**survey.texts, language: {**survey.texts.get(language, {}),
                                               **{k: v for k, v in edited.items() if v}}}
    colour = request.POST.get("brand_color", "")
    if services.HEX_COLOUR.match(colour):
        survey.brand_color = colour
    texts = services.texts_for(survey, language, request.workspace.name)
    links = score_links(survey, absolute_url("survey_page", survey.public_key) + "#")
    context = {"survey": survey, "texts": texts, "links": links, "language": language,
               "unsubscribe_url": "#", "company": request.workspace.name, "preview": True}
    with translation.override(language):
        email_html = render_to_string("surveys/email/invitation.html", context)
        page_html = render_to_string("surveys/public/answer.html", {
            **context, "score": None, "post_url": "#"}, request=request)
        thanks_html = render_to_string("surveys/public/thanks.html", {
            **context, "decision": "record", "unhappy": True, "may_comment": True,
            "comment_url": "#"}, request=request)
    return render(request, "surveys/_preview.html", {
        "email_html": email_html, "page_html": page_html, "thanks_html": thanks_html,
        "subject": texts["email_subject"], "language": language})


@member_required()
def invitation_list(request: WorkspaceRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    form = InvitationFilterForm(request.GET or None)
    qs = (Invitation.objects.for_workspace(request.workspace).filter(survey=survey)
          .select_related("customer", "feedback", "email_log"))
    if form.is_valid() and form.cleaned_data["state"]:
        qs = qs.filter(state=form.cleaned_data["state"])
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "surveys/invitations.html", {
        "survey": survey, "page": page, "form": form, "query": query.urlencode(),
        "nav": "surveys", "tab": "invitations",
    })


@member_required(Role.AGENT)
def bulk_send(request: WorkspaceRequest, pk: int) -> HttpResponse:
    """Upload a list, see every row's problem before anything is sent, then send."""
    survey = _survey(request, pk)
    form = UploadForm()
    report = None
    if request.method == "POST" and request.POST.get("action") == "send":
        stored = request.session.pop(UPLOAD_KEY, None)
        if not stored or stored["survey"] != survey.pk:
            messages.error(request, _("Upload the list again; the checked list has expired."))
            return redirect("survey_send", pk=survey.pk)
        parsed = parse_recipients(stored["data"].encode(), request.workspace)
        if not parsed.ok:
            messages.error(request, _("The list changed; upload it again."))
            return redirect("survey_send", pk=survey.pk)
        batch = loop.send_bulk(survey=survey, recipients=parsed.recipients, actor=request.user,
                               filename=stored["filename"])
        return redirect("survey_batch", pk=survey.pk, batch_id=batch.pk)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            report = parse_recipients(data, request.workspace)
            if report.ok:
                request.session[UPLOAD_KEY] = {"survey": survey.pk, "filename": upload.name,
                                               "data": data.decode("utf-8-sig")}
    batches = SendBatch.objects.for_workspace(request.workspace).filter(survey=survey)[:10]
    return render(request, "surveys/send.html", {
        "survey": survey, "form": form, "report": report, "batches": batches,
        "nav": "surveys", "tab": "send",
    })


@member_required()
def batch_progress(request: WorkspaceRequest, pk: int, batch_id: int) -> HttpResponse:
    survey = _survey(request, pk)
    batch = get_object_or_404(SendBatch.objects.for_workspace(request.workspace),
                              survey=survey, pk=batch_id)
    states = _state_counts(batch)
    done = batch.total - states.get("queued", 0)
    context = {"survey": survey, "batch": batch, "states": states, "done": done,
               "percent": round(100 * done / batch.total) if batch.total else 100,
               "nav": "surveys", "tab": "send"}
    template = "surveys/_progress.html" if request.htmx else "surveys/batch.html"
    return render(request, template, context)


def _state_counts(batch: SendBatch) -> dict[str, int]:
    rows = batch.invitations.values("state").annotate(n=Count("pk"))
    return {r["state"]: r["n"] for r in rows}


@member_required()
def snippet(request: WorkspaceRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    form = SnippetForm(request.GET or {"helpdesk": "generic",
                                       "language": request.workspace.default_language})
    form.is_valid()
    helpdesk = form.cleaned_data.get("helpdesk", "generic")
    language = form.cleaned_data.get("language", "en")
    _name, ticket, email = HELPDESKS.get(helpdesk, HELPDESKS["generic"])
    html, text = rating_snippet(survey, language=language, company=request.workspace.name,
                                ticket=ticket, email=email)
    return render(request, "surveys/snippet.html", {
        "survey": survey, "form": form, "snippet_html": html, "snippet_text": text,
        "nav": "surveys", "tab": "snippet",
        "widget_code": f'<script src="{absolute_url("survey_widget_script", survey.public_key)}"'
                       ' async></script>',
        "page_url": absolute_url("survey_page", survey.public_key),
    })
