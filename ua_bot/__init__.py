"""ua-bot core: the platform-neutral heart of the Urgent Action bot."""

__version__ = "0.1.0"
