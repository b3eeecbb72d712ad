"""Process metrics in the Prometheus text format (served by the web app at /metrics)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest

REGISTRY = CollectorRegistry(auto_describe=True)

COMMANDS = Counter(
    "ua_bot_commands_handled", "Commands handled, by command", ["command"], registry=REGISTRY
)
ACTIONS = Counter(
    "ua_bot_actions_recorded", "Actions recorded, by platform", ["platform"], registry=REGISTRY
)
SEND_ERRORS = Counter(
    "ua_bot_send_errors",
    "Messages that failed to send, by platform",
    ["platform"],
    registry=REGISTRY,
)
MESSAGES_SENT = Counter(
    "ua_bot_messages_sent",
    "Broadcast messages sent by the worker, by platform",
    ["platform"],
    registry=REGISTRY,
)
OUTBOX_DEPTH = Gauge(
    "ua_bot_outbox_depth", "Broadcast messages waiting to be sent", registry=REGISTRY
)
HANDLING = Gauge(
    "ua_bot_requests_handling",
    "Requests answered already (Slack's acknowledgement) and still being handled",
    registry=REGISTRY,
)


def render() -> bytes:
    return generate_latest(REGISTRY)
