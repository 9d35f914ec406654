"""Rating in every reply: a block of open rating links to paste into replies or signatures."""

from __future__ import annotations

from kliento.core.urls_util import absolute_url
from kliento.surveys.emails import rating_block, score_links
from kliento.surveys.models import Survey
from kliento.surveys.services import texts_for


def rating_snippet(survey: Survey, *, language: str, company: str, ticket: str,
                   email: str) -> tuple[str, str]:
    """(HTML, plain text) with the helpdesk's placeholders for ticket id and e-mail.

    The placeholders are left unescaped in the query string so the helpdesk can fill them in;
    everything else in the links is URL-quoted.
    """
    base = absolute_url("survey_open_link", survey.public_key, 0)[: -len("0/")]
    query = ""
    if ticket or email:
        query = "?" + "&".join(part for part in (
            f"ref={ticket}" if ticket else "", f"email={email}" if email else "") if part)
    links = score_links(survey, base)
    for link in links:
        link.url = f"{link.url}{query}"
    return rating_block(links, texts_for(survey, language, company), language)


