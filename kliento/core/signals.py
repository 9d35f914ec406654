"""Signals other domains listen to, so core need not know them."""

from django.dispatch import Signal

# Sent with `workspace` and `team` (None: the whole workspace) after business hours, a time
# zone or closed days changed; deadlines computed on the old calendar are out of date.
calendar_changed = Signal()
