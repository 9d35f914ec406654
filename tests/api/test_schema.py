"""Every API operation, fed what schemathesis makes of the OpenAPI document, with a token.

No input may cause a server error, and every answer must be one the document declares: its
status code, its content type and its body's schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kliento.api.base import api
from kliento.recovery.services import ensure_defaults

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


# The document as /api/v1/openapi.json serves it, read without a request at collection time.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = WSGIHandler()


@pytest.fixture
def known(world: Any, api: Any) -> dict[str, int]:
    """Objects of acme's the generated paths may name, so that a case reaches past the 404."""
    ensure_defaults(world.acme)  # the default playbook, so that the case has steps
    fb = api.post("/feedback", {"customer": {"email": "janis@example.lv", "name": "Jānis"},
                                "score": 1, "scale": "csat", "text": "Nekad vairs."}).json()
    case = api.post("/cases", {"feedback_id": fb["id"]}).json()
    promise = api.post(f"/cases/{case['id']}/promises", {
        "description": "Call back", "due_at": "2099-01-01T12:00:00+02:00"}).json()
    survey = api.post("/surveys", {"name": "After support", "kind": "csat"}).json()
    return {"customer_id": fb["customer_id"], "feedback_id": fb["id"], "case_id": case["id"],
            "step_id": case["steps"][0]["id"], "promise_id": promise["id"],
            "survey_id": survey["id"]}


@pytest.fixture
def token(world: Any, known: dict[str, int]) -> Iterator[str]:
    # As Django's test client does: the WSGI handler must not close the test's connection.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield world.acme_token
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


# Derandomised and without an example database: the same inputs on every run, so a failure
# in CI is one anybody can reproduce. Positive and negative cases, `max_examples` per operation.
@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_answers_as_its_schema_says(case: Any, token: str, known: dict[str, int]) -> None:
    for name, value in (case.path_parameters or {}).items():
        if name in known and isinstance(value, int) and value % 2:
            case.path_parameters[name] = known[name]  # half the ids name a real object
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
