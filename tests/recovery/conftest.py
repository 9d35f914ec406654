# The loopback webhook receiver of the alert tests, for deadline notices.
from tests.alerts.conftest import private_ok, receiver  # noqa: F401
