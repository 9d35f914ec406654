"""The invitation e-mail: multipart, one link per score, rendered in the customer's language."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation

from kliento.core.urls_util import absolute_url
from kliento.surveys.models import Invitation, Survey, SurveyKind
from kliento.surveys.services import texts_for, token_for

# Colours of score buttons from unhappy to happy, chosen to read well in every mail client.
PALETTE = ["#c62828", "#e65100", "#f9a825", "#7cb342", "#2e7d32"]


@dataclass
class ScoreLink:
    score: int
    label: str
    url: str
    colour: str


def score_links(survey: Survey, base: str) -> list[ScoreLink]:
    """One link per score; `base` is the part before the score (absolute)."""
    scores = survey.scores
    links = []
    for i, score in enumerate(scores):
        colour = PALETTE[round(i * (len(PALETTE) - 1) / max(len(scores) - 1, 1))]
        label = {0: "👎", 1: "👍"}[score] if survey.kind == SurveyKind.THUMBS else str(score)
        links.append(ScoreLink(score, label, f"{base}{score}/", colour))
    return links


def rating_block(links: list[ScoreLink], texts: dict[str, str], language: str
                 ) -> tuple[str, str]:
    """The score buttons (HTML) and the question with one link per score (plain text), for
    pasting into a reply or a signature."""
    with translation.override(language):
        html = render_to_string("surveys/email/_buttons.html", {
            "links": links, "texts": texts, "language": language})
    text = texts["question"] + "\n" + "\n".join(f"{link.label}: {link.url}" for link in links)
    return html.strip(), text


def invitation_links(invitation: Invitation) -> list[ScoreLink]:
    token = token_for(invitation)
    base = absolute_url("survey_answer_page", token)
    return score_links(invitation.survey, base)


def render_invitation(invitation: Invitation) -> tuple[str, str, str, dict[str, str]]:
    """(subject, text, html, headers) of an invitation e-mail."""
    survey = invitation.survey
    company = invitation.workspace.name
    texts = texts_for(survey, invitation.language, company)
    token = token_for(invitation)
    unsubscribe_url = absolute_url("survey_unsubscribe", token)
    context = {
        "survey": survey, "texts": texts, "links": invitation_links(invitation),
        "unsubscribe_url": unsubscribe_url, "company": company, "language": invitation.language,
    }
    with translation.override(invitation.language):
        text = render_to_string("surveys/email/invitation.txt", context)
        html = render_to_string("surveys/email/invitation.html", context)
    headers = {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return texts["email_subject"], text, html, headers
