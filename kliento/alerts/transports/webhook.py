from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from kliento.alerts.message import AlertMessage
from kliento.alerts.transports.base import Outcome, Transport


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """`t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, as receivers verify it."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


class WebhookTransport(Transport):
    """A generic receiver: a thin JSON body (ids, type, time, links), signed."""

    def payload(self, m: AlertMessage) -> dict[str, Any]:
        if m.is_case_notice:
            return {
                "type": m.event, "delivery_id": m.delivery_id, "time": m.created_at.isoformat(),
                "workspace": m.workspace, "case_id": m.case_id, "case_number": m.case_number,
                "due_at": m.due_at.isoformat() if m.due_at else None,
                "links": {"case": m.acknowledge_url, "customer": m.customer_url},
            }
        return {
            "type": m.event, "delivery_id": m.delivery_id, "time": m.created_at.isoformat(),
            "workspace": m.workspace, "alert_id": m.alert_id, "level": m.level,
            "polarity": m.polarity, "score": m.score,
            "links": {"feedback": m.feedback_url, "customer": m.customer_url,
                      "acknowledge": m.acknowledge_url},
        }

    def send(self, message: AlertMessage) -> Outcome:
        body = json.dumps(self.payload(message), ensure_ascii=False).encode()
        headers = {
            "X-Kliento-Signature": signature(self.channel.secret, int(time.time()), body),
            "X-Kliento-Delivery": message.delivery_id,
            "X-Kliento-Event": message.event,
        }
        return self.post_json(self.channel.target, None, headers=headers, body=body)
