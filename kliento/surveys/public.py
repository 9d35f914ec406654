"""Pages and endpoints customers reach from e-mails, replies, web pages and the widget.

Every page speaks the customer's language. A GET never records anything: e-mail security
scanners open every link, so a rating link shows a page that submits the rating by POST.
Answer POSTs carry no CSRF token: the signed link itself is the credential, and nothing a
third-party page could make a browser POST would reveal or change anything but that answer.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_from_request
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from kliento import loop
from kliento.core.ratelimit import client_ip, hit
from kliento.feedback.models import Channel, Polarity
from kliento.feedback.scoring import polarity_of
from kliento.surveys import services
from kliento.surveys.emails import score_links
from kliento.surveys.models import Invitation, Survey, SurveyKind
from kliento.surveys.services import Decision

OPEN_LINK_LIMIT = (30, 600)  # answers per IP per 10 minutes through open links
WEB_LIMIT = (20, 600)        # answers per IP per 10 minutes on public pages and the widget
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def _invalid(request: HttpRequest, status: int = 404) -> HttpResponse:
    return render(request, "surveys/public/invalid.html",
                  {"expired": status == 410, "language": translation.get_language()},
                  status=status)


def _load(request: HttpRequest, token: str) -> Invitation:
    try:
        return services.find_invitation(token)
    except Invitation.DoesNotExist:
        raise Http404 from None


def _context(invitation: Invitation, **extra: Any) -> dict[str, Any]:
    survey = invitation.survey
    return {
        "survey": survey, "invitation": invitation, "language": invitation.language,
        "texts": services.texts_for(survey, invitation.language, invitation.workspace.name),
        **extra,
    }


@csrf_exempt
@require_http_methods(["GET", "POST"])
def answer_page(request: HttpRequest, token: str, score: int | None = None) -> HttpResponse:
    """GET: the question, or a page that confirms a clicked score. POST: record it."""
    if request.method == "POST":
        return _answer(request, token, score)
    try:
        invitation = _load(request, token)
    except Http404:
        return _invalid(request)
    with translation.override(invitation.language):
        if invitation.state == "revoked" or (invitation.is_expired
                                              and invitation.feedback_id is None):
            return _invalid(request, 410)
        base = reverse("survey_answer_page", args=[token])
        return render(request, "surveys/public/answer.html", _context(
            invitation, score=score, links=score_links(invitation.survey, base),
            post_url=request.path))


def _answer(request: HttpRequest, token: str, score: int | None) -> HttpResponse:
    # The hot path of every one-click answer: the invitation is read once, locked.
    if score is None:
        try:
            score = int(request.POST.get("score", ""))
        except ValueError:
            return _invalid(request, 400)
    try:
        decision, invitation = loop.answer_invitation(services.key_of(token), score,
                                                      channel=Channel.EMAIL)
    except Invitation.DoesNotExist:
        return _invalid(request)
    with translation.override(invitation.language):
        return _after_answer(request, token, invitation, decision, score)


def _after_answer(request: HttpRequest, token: str, invitation: Invitation, decision: Decision,
                  score: int) -> HttpResponse:
    if decision in (Decision.EXPIRED, Decision.REVOKED):
        return _invalid(request, 410)
    if decision is Decision.BAD_SCORE:
        return _invalid(request, 400)
    polarity = polarity_of(score, invitation.survey.scale)
    return render(request, "surveys/public/thanks.html", _context(
        invitation, decision=decision.value, unhappy=polarity == Polarity.NEGATIVE,
        comment_url=reverse("survey_comment", args=[token]),
        may_comment=services.may_comment(invitation),
        answered_score=invitation.feedback.score if invitation.feedback else score,
    ))


@csrf_exempt
@require_http_methods(["POST"])
def comment(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = _load(request, token)
    except Http404:
        return _invalid(request)
    text = request.POST.get("text", "")
    with translation.override(invitation.language):
        try:
            saved = loop.comment_on_invitation(invitation, text) if text.strip() else False
        except ValidationError as exc:
            return render(request, "surveys/public/thanks.html", _context(
                invitation, decision="comment_error", error=" ".join(exc.messages),
                comment_url=request.path, may_comment=True), status=422)
        return render(request, "surveys/public/thanks.html", _context(
            invitation, decision="commented" if saved else "too_late", may_comment=False))


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks; POST (a person, or a mail client's RFC 8058 one-click) unsubscribes."""
    try:
        invitation = _load(request, token)
    except Http404:
        return _invalid(request)
    with translation.override(invitation.language):
        done = request.method == "POST"
        if done:
            services.unsubscribe(invitation=invitation)
        return render(request, "surveys/public/unsubscribe.html", _context(
            invitation, done=done, post_url=request.path))


def _public_survey(public_key: str) -> Survey:
    survey = (Survey.objects.select_related("workspace")
              .filter(public_key=public_key, is_active=True).first())
    if survey is None:
        raise Http404
    return survey


def _visitor_language(request: HttpRequest) -> str:
    wanted = request.GET.get("lang", "").lower()
    if wanted in LANGUAGES:
        return wanted
    detected = get_language_from_request(request)
    return detected if detected in LANGUAGES else "en"


@csrf_exempt
@require_http_methods(["GET", "POST"])
def open_link(request: HttpRequest, public_key: str, score: int) -> HttpResponse:
    """A rating link pasted into a reply: `?ref=<ticket>&email=<customer>`; unverified."""
    try:
        survey = _public_survey(public_key)
    except Http404:
        return _invalid(request)
    params = request.GET if request.method == "GET" else request.POST
    reference = params.get("ref", "")[:200]
    email = params.get("email", "")
    language = _visitor_language(request)
    with translation.override(language):
        context = {"survey": survey, "language": language, "score": score,
                   "texts": services.texts_for(survey, language, survey.workspace.name),
                   "hidden": {"ref": reference, "email": email}, "post_url": request.path}
        if request.method == "GET":
            return render(request, "surveys/public/answer.html", context)
        limit, per = OPEN_LINK_LIMIT
        if not hit(f"open:{client_ip(request)}", limit=limit, per_seconds=per):
            return render(request, "surveys/public/slow_down.html", context, status=429)
        try:
            decision, invitation = loop.answer_open_link(survey=survey, score=score,
                                                         email=email, reference=reference)
        except ValidationError:
            return _invalid(request, 400)
        token = services.token_for(invitation)
        return _after_answer(request, token, invitation, decision, score)


@require_http_methods(["GET", "POST"])
def survey_page(request: HttpRequest, public_key: str) -> HttpResponse:
    """The public web page of a survey: score, comment and, optionally, an e-mail."""
    try:
        survey = _public_survey(public_key)
    except Http404:
        return _invalid(request)
    language = _visitor_language(request)
    with translation.override(language):
        context: dict[str, Any] = {
            "survey": survey, "language": language,
            "texts": services.texts_for(survey, language, survey.workspace.name),
            "scores": survey.scores, "thumbs": survey.kind == SurveyKind.THUMBS,
        }
        if request.method == "POST":
            limit, per = WEB_LIMIT
            if not hit(f"web:{client_ip(request)}", limit=limit, per_seconds=per):
                return render(request, "surveys/public/slow_down.html", context, status=429)
            try:
                loop.hear_web_answer(
                    survey=survey, score=int(request.POST.get("score", "x")),
                    text=request.POST.get("text", ""), email=request.POST.get("email", ""),
                    visitor=request.COOKIES.get("kliento_visitor") or uuid.uuid4().hex,
                    language=language, channel=Channel.WEB)
            except (ValueError, ValidationError) as exc:
                context["error"] = (" ".join(exc.messages) if isinstance(exc, ValidationError)
                                    else translation.gettext("Choose a score."))
                return render(request, "surveys/public/survey.html", context, status=422)
            return render(request, "surveys/public/survey.html", {**context, "done": True})
        return render(request, "surveys/public/survey.html", context)


def _cors(response: HttpResponse, request: HttpRequest, survey: Survey) -> HttpResponse:
    origin = request.headers.get("Origin", "").rstrip("/")
    if origin and origin in survey.origins():
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Methods"] = "POST, OPTIONS"
        response["Access-Control-Allow-Headers"] = "Content-Type"
        response["Access-Control-Max-Age"] = "600"
        response["Vary"] = "Origin"
    return response


@xframe_options_exempt
def widget_script(request: HttpRequest, public_key: str) -> HttpResponse:
    try:
        survey = _public_survey(public_key)
    except Http404:
        return HttpResponse("/* Kliento: unknown survey */", status=404,
                            content_type="text/javascript")
    texts = {lang: services.texts_for(survey, lang, survey.workspace.name)
             for lang in LANGUAGES}
    chrome = {}
    for lang in LANGUAGES:
        with translation.override(lang):
            chrome[lang] = {
                "send": translation.gettext("Send"),
                "comment": translation.gettext("Your comment (optional)"),
                "email": translation.gettext("Your e-mail (optional)"),
                "error": translation.gettext("Sorry, your answer could not be sent."),
            }
    config = {
        "endpoint": settings.BASE_URL + reverse("survey_widget_answer", args=[public_key]),
        "scores": survey.scores, "kind": survey.kind, "colour": survey.brand_color,
        "texts": texts, "chrome": chrome, "languages": LANGUAGES,
    }
    body = render(request, "surveys/public/widget.js",
                  {"config": json.dumps(config, ensure_ascii=True)},
                  content_type="text/javascript; charset=utf-8")
    body["Cache-Control"] = "public, max-age=300"
    return body


@csrf_exempt
@require_http_methods(["POST", "OPTIONS"])
def widget_answer(request: HttpRequest, public_key: str) -> HttpResponse:
    """The widget's endpoint: JSON in, JSON out; CORS only for the survey's origins."""
    try:
        survey = _public_survey(public_key)
    except Http404:
        return JsonResponse({"error": "unknown survey"}, status=404)
    origin = request.headers.get("Origin", "").rstrip("/")
    if origin and origin not in survey.origins():
        return JsonResponse({"error": "origin not allowed"}, status=403)
    if request.method == "OPTIONS":
        return _cors(HttpResponse(status=204), request, survey)
    limit, per = WEB_LIMIT
    if not hit(f"widget:{client_ip(request)}", limit=limit, per_seconds=per):
        return _cors(JsonResponse({"error": "too many answers, try later"}, status=429),
                     request, survey)
    try:
        body = json.loads(request.body or b"{}")
        if not isinstance(body, dict):
            raise ValueError
        score = body.get("score")
        if not isinstance(score, int) or isinstance(score, bool):
            raise ValidationError({"score": "score must be a whole number"})
        language = str(body.get("language", "")).lower()
        feedback = loop.hear_web_answer(
            survey=survey, score=score, text=str(body.get("text", ""))[:10_001],
            email=str(body.get("email", ""))[:254],
            visitor=str(body.get("visitor", ""))[:64] or uuid.uuid4().hex,
            language=language if language in LANGUAGES else "", channel=Channel.WIDGET,
            page=str(body.get("page", "")))
    except ValueError:
        return _cors(JsonResponse({"error": "body must be a JSON object"}, status=400),
                     request, survey)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        return _cors(JsonResponse({"errors": errors}, status=422), request, survey)
    return _cors(JsonResponse({"id": feedback.pk, "polarity": feedback.polarity}, status=201),
                 request, survey)
