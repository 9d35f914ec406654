from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from kliento.alerts.message import AlertMessage
from kliento.alerts.transports.base import Outcome, Transport


def _escape(text: str) -> str:
    # Slack's mrkdwn treats these three as markup; customer text must stay text.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class SlackTransport(Transport):
    """Slack incoming webhook, Block Kit message."""

    def payload(self, m: AlertMessage) -> dict[str, Any]:
        with translation.override(m.language):
            title = self.title(m)
            fields = [f"*{_escape(label)}:* {_escape(value)}" for label, value in self.facts(m)]
            blocks: list[dict[str, Any]] = [
                {"type": "header", "text": {"type": "plain_text", "text": title[:150]}},
                {"type": "section", "fields": [{"type": "mrkdwn", "text": f} for f in fields]},
            ]
            if m.text:
                blocks.append({"type": "section", "text": {
                    "type": "mrkdwn", "text": "> " + _escape(m.short_text).replace("\n", "\n> ")}})
            blocks.append({"type": "actions", "elements": [
                {"type": "button", "text": {"type": "plain_text", "text": self.action_label(m)},
                 "url": m.acknowledge_url, "style": "primary"},
                {"type": "button", "text": {"type": "plain_text", "text": _("Open customer")},
                 "url": m.customer_url},
            ]})
            return {"text": title, "blocks": blocks}

    def send(self, message: AlertMessage) -> Outcome:
        return self.post_json(self.channel.target, self.payload(message))
