"""The one error type the command reports as a one-line cause with exit code 2."""

from __future__ import annotations


class AiwardenError(Exception):
    """A user-facing error: the message names what is wrong and how to fix it."""

    def __init__(self, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class MissingConfig(AiwardenError):
    """The program requires a config value the stack does not set."""

    def __init__(self, message: str, key: str, secret: bool, detail: str | None = None) -> None:
        super().__init__(message, detail)
        self.key = key
        self.secret = secret
