"""Reply templates: one text per language, placeholders filled by plain substitution.

No template engine ever sees a template or a value: `{first_name}` and its kin are replaced
with str.replace, so `{{ ... }}`, `{% ... %}` or `<script>` in a template or a customer's name
stay inert text. The HTML version escapes every value and the template text itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape, linebreaks

PLACEHOLDERS = ("first_name", "agent_name", "case_number", "promise_due", "company",
                "rating_snippet")


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def render(subject: str, body: str, values: dict[str, str], rating_html: str = "") -> Rendered:
    """Fill the placeholders; `rating_html` replaces {rating_snippet} in the HTML version."""
    def fill(template: str, *, html: bool) -> str:
        out = escape(template) if html else template
        for key in PLACEHOLDERS:
            token = "{" + key + "}"
            if key == "rating_snippet" and html:
                value = "\n\n" + rating_html.replace("\n", "") + "\n\n"
            else:
                value = escape(values.get(key, "")) if html else values.get(key, "")
            out = out.replace(token, value)
        return out

    subject_text = fill(subject, html=False).replace("\n", " ").strip()
    return Rendered(subject_text[:300], fill(body, html=False),
                    linebreaks(fill(body, html=True)))
