"""slack-sdk logs whole request and response bodies at DEBUG (message texts, so a signature
or a /my_data answer) and Bolt logs request bodies: neither goes below INFO, whatever
UA_BOT_LOG_LEVEL says."""

from __future__ import annotations

import logging

LOGGERS = ("slack_sdk", "slack_bolt")


def quiet_slack_logs() -> None:
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < logging.INFO:
            logger.setLevel(logging.INFO)
