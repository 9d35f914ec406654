"""Every page carries a strict Content-Security-Policy and nothing on it needs to break it.

The walk goes through the whole URL conf as a manager and as an admin, and through the public
pages customers reach from e-mails, replies and web sites, signed out.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.surveys import conftest as surveys
from tests.surveys.conftest import path_of

survey, invite = surveys.survey, surveys.invite  # the survey tests' fixtures, shared

# Endpoints that only take POST (or answer with JSON or a script): their GET answer is 405 or a
# redirect, and what they render is checked through the pages that post to them.
NOT_PAGES = {"logout", "switch_workspace", "feedback_correct", "survey_preview",
             "alert_acknowledge", "case_action", "case_open", "alert_count", "healthz",
             "feedback_export_download"}


def policy_of(response: Any) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


class InlineCode(HTMLParser):
    """Collects everything in a page that a strict CSP would block."""

    def __init__(self, nonce: str, inline_styles_allowed: bool) -> None:
        super().__init__()
        self.nonce = nonce
        self.inline_styles_allowed = inline_styles_allowed
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on") or name.startswith(("hx-on", "data-hx-on")):
                self.problems.append(f"<{tag} {name}=…>")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower(
            ).startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "style" and not self.inline_styles_allowed:
                self.problems.append(f"<{tag} style={value!r}>")
        if tag == "script" and not values.get("src") and values.get("nonce") != self.nonce:
            self.problems.append("<script> without src or the response's nonce")
        if tag == "style" and not self.inline_styles_allowed and values.get("nonce") != self.nonce:
            self.problems.append("<style> without the response's nonce")


def assert_strict(response: Any, where: str) -> None:
    policy = policy_of(response)
    assert policy, f"{where}: no Content-Security-Policy header"
    script_src = policy.get("script-src") or policy["default-src"]
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src, where
    assert policy["frame-ancestors"] == ["'none'"], where
    assert policy["object-src"] == ["'none'"], where
    if "text/html" not in response.headers.get("Content-Type", ""):
        return
    nonces = [v[len("'nonce-"):-1] for v in script_src + policy.get("style-src", [])
              if v.startswith("'nonce-")]
    parser = InlineCode(nonces[0] if nonces else "\0",
                        "'unsafe-inline'" in policy.get("style-src", []))
    parser.feed(response.content.decode())
    assert not parser.problems, f"{where}: {parser.problems}"


@pytest.fixture
def everything(world: Any, api: Any, invite: Any, survey: dict[str, Any], run_tasks: Any,
               signed_in: Any, settings: Any) -> dict[str, Any]:
    """One of each thing a page can be about, made the way users make them."""
    from kliento.alerts import services as alerts
    from kliento.core.models import EmailLog, Membership
    from kliento.core.services import invite_colleague
    from kliento.feedback.models import Feedback
    from kliento.recovery.services import ensure_defaults

    ensure_defaults(world.acme)  # what a workspace opened in the app starts with
    duty = alerts.create_channel(workspace=world.acme, actor=None, name="Duty", kind="email",
                                 target="duty@acme.test")
    alerts.save_rule(workspace=world.acme, actor=None, data=alerts.RuleInput(
        name="Unhappy", conditions={"polarity": ["negative"]}, channel_ids=[duty.pk]))
    with run_tasks():
        r = api.post("/feedback", {"customer": {"email": "ilze@example.lv", "name": "Ilze"},
                                   "score": 1, "scale": "csat",
                                   "text": "Briesmīgi, <script>alert(1)</script>"})
        assert r.status_code == 201, r.content
        invitation = invite("janis@example.lv")
        feedback = Feedback.objects.get(text__startswith="Briesmīgi")
        signed_in(world.carol).post(f"/feedback/{feedback.pk}/case/")
        anna = Membership.objects.get(workspace=world.acme, user=world.anna)
        invite_colleague(workspace=world.acme, actor=anna, email="new@acme.test", role="agent")
    # A bulk send, so its progress page is walked too.
    from django.core.files.uploadedfile import SimpleUploadedFile

    carol = signed_in(world.carol)
    carol.post(f"/surveys/{survey['id']}/send/", {"file": SimpleUploadedFile(
        "list.csv", b"email,name\nmara@example.lv,Mara\n", content_type="text/csv")})
    assert carol.post(f"/surveys/{survey['id']}/send/", {"action": "send"}).status_code == 302
    # A large export, so its progress page is walked too (its task left queued).
    settings.EXPORT_INLINE_MAX_ROWS = 0
    assert carol.get("/feedback/export.xlsx").status_code == 302
    mail = EmailLog.objects.get(to="new@acme.test")
    return {"feedback": feedback, "survey": survey, "invitation": invitation,
            "invite_path": re.search(r"/invite/[^/\s]+/", mail.body_text)[0]}  # type: ignore[index]


def _patterns(resolvers: list[Any], prefix: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for p in resolvers:
        if isinstance(p, URLResolver):
            if not str(p.pattern).startswith("api/"):  # JSON, with its own tests
                found += _patterns(p.url_patterns, prefix + str(p.pattern))
        elif p.name:
            found.append((prefix + str(p.pattern), p))
    return found


def _staff_paths(world: Any, things: dict[str, Any]) -> dict[str, str]:
    """Every named staff page of the URL conf, with the ids of real things filled in."""
    from django.urls import reverse

    from kliento.alerts.models import Alert, AlertRule, Delivery
    from kliento.core.models import EmailLog
    from kliento.customers.models import Customer
    from kliento.feedback.models import Export
    from kliento.recovery.models import Case, Playbook
    from kliento.surveys.models import SendBatch

    survey_id = things["survey"]["id"]
    in_acme = {"workspace": world.acme}
    first = {
        "customer": Customer.objects.filter(**in_acme).first(),
        "alert": Alert.objects.filter(**in_acme).first(),
        "delivery": Delivery.objects.filter(**in_acme).first(),
        "rule": AlertRule.objects.filter(**in_acme).first(),
        "case": Case.objects.filter(**in_acme).first(),
        "playbook": Playbook.objects.filter(**in_acme).first(),
        "email": EmailLog.objects.filter(**in_acme).first(),
        "export": Export.objects.filter(**in_acme).first(),
    }
    pk_of = {
        "customer_detail": first["customer"], "customer_edit": first["customer"],
        "alert_detail": first["alert"], "alert_test_result": first["delivery"],
        "alert_rule_edit": first["rule"], "case_detail": first["case"],
        "playbook_edit": first["playbook"], "team_settings": world.support,
        "email_detail": first["email"], "feedback_export": first["export"],
    }
    paths = {}
    for route, pattern in _patterns(get_resolver().url_patterns):
        name = pattern.name
        if name in NOT_PAGES or "<str:" in route or "<uidb64>" in route:
            continue  # public and tokened pages are walked signed out, below
        kwargs: dict[str, Any] = {}
        params = re.findall(r"<(?:\w+:)?(\w+)>", route)
        if "pk" in params:
            if name.startswith("survey_"):
                kwargs["pk"] = survey_id
            else:
                assert name in pk_of, f"{name}: teach this test which thing {route} shows"
                assert pk_of[name] is not None, f"{name}: the fixture made nothing to show"
                kwargs["pk"] = pk_of[name].pk
        if "batch_id" in params:
            kwargs["batch_id"] = SendBatch.objects.get(survey_id=survey_id).pk
        assert set(params) <= {"pk", "batch_id"}, f"{name}: teach this test about {route}"
        paths[name] = reverse(name, kwargs=kwargs)
    return paths


@pytest.mark.parametrize("who", ["carol", "anna"])
def test_every_staff_page_has_a_strict_policy_and_no_inline_code(world, signed_in, everything,
                                                                  who):
    client = signed_in(getattr(world, who))
    paths = _staff_paths(world, everything)
    assert len(paths) > 30 and {"survey_batch", "case_detail", "email_detail"} <= set(paths)
    for name, path in paths.items():
        response = client.get(path)
        # Some settings are the admin's alone; the manager's refusal must be strict as well.
        allowed = {200, 302} if who == "anna" else {200, 302, 403}
        assert response.status_code in allowed, (name, path, response.status_code)
        assert_strict(response, f"{who} {name} {path}")
    # What HTMX swaps in must not bring inline code either.
    preview = client.post(f"/surveys/{everything['survey']['id']}/preview/",
                          {"preview_language": "lv"})
    assert preview.status_code == 200
    assert_strict(preview, "survey preview")


def test_public_pages_have_a_strict_policy_and_no_inline_code(world, client, everything):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    survey = everything["survey"]
    links = everything["invitation"]["links"]
    answer = path_of(links["2"])
    token = answer.split("/")[2]
    uid = urlsafe_base64_encode(force_bytes(world.alice.pk))
    reset = f"/accounts/reset/{uid}/{default_token_generator.make_token(world.alice)}/"
    from kliento.alerts.models import Alert

    pages = ["/accounts/login/", "/accounts/password-reset/", "/accounts/password-reset/sent/",
             reset, "/accounts/reset/done/", everything["invite_path"], "/invite/forged/",
             answer, f"/a/{token}/", f"/u/{token}/", "/a/forged/", "/no/such/page/",
             f"/s/{survey['public_key']}/", f"/r/{survey['public_key']}/4/?ref=T-1",
             f"/alerts/ack/{Alert.objects.get().ack_key}/"]
    for path in pages:
        response = client.get(path, follow=True)
        assert response.status_code in {200, 302, 403, 404, 410}, (path, response.status_code)
        assert_strict(response, path)
    # The page after an answer, and after a comment.
    thanks = client.post(answer, follow=True)
    assert thanks.status_code == 200
    assert_strict(thanks, "thanks")
    commented = client.post(f"/a/{token}/comment/", {"text": "<img src=x onerror=alert(1)>"},
                            follow=True)
    assert_strict(commented, "after a comment")
    assert "onerror=alert" not in commented.content.decode().replace("&lt;img", "")


def test_the_one_click_answer_page_confirms_from_a_static_script(client, invite):
    page = client.get(path_of(invite("ilze@example.lv")["links"]["5"]))
    html = page.content.decode()
    assert 'data-auto-submit' in html and "/static/kliento/answer.js" in html
    assert_strict(page, "answer page")


def test_the_survey_editor_relaxes_only_styles_for_its_sandboxed_previews(world, signed_in,
                                                                           survey):
    page = signed_in(world.carol).get(f"/surveys/{survey['id']}/edit/")
    policy = policy_of(page)
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert_strict(page, "survey editor")


def test_htmx_is_told_not_to_inject_styles_or_evaluate_code(world, signed_in):
    html = signed_in(world.alice).get("/feed/").content.decode()
    config = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'>', html)
    assert config is not None
    import json

    assert json.loads(config[1]) == {"includeIndicatorStyles": False, "allowEval": False,
                                     "allowScriptTags": False}
