from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from kliento.alerts.message import AlertMessage
from kliento.alerts.transports.base import Outcome, Transport


class TeamsTransport(Transport):
    """Microsoft Teams incoming webhook or Workflows URL, Adaptive Card."""

    def payload(self, m: AlertMessage) -> dict[str, Any]:
        with translation.override(m.language):
            facts = [{"title": label, "value": value} for label, value in self.facts(m)]
            body: list[dict[str, Any]] = [
                {"type": "TextBlock", "text": self.title(m), "weight": "Bolder", "size": "Medium",
                 "wrap": True},
                {"type": "FactSet", "facts": facts},
            ]
            if m.text:
                # Adaptive Cards render Markdown in TextBlocks; plain RichTextBlock runs do not.
                body.append({"type": "RichTextBlock", "inlines": [
                    {"type": "TextRun", "text": m.short_text, "italic": True}]})
            card = {
                "type": "AdaptiveCard", "version": "1.4",
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "body": body,
                "actions": [
                    {"type": "Action.OpenUrl", "title": self.action_label(m),
                     "url": m.acknowledge_url},
                    {"type": "Action.OpenUrl", "title": _("Open customer"),
                     "url": m.customer_url},
                ],
            }
            return {"type": "message", "attachments": [{
                "contentType": "application/vnd.microsoft.card.adaptive", "content": card}]}

    def send(self, message: AlertMessage) -> Outcome:
        return self.post_json(self.channel.target, self.payload(message))
