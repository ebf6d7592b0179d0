"""Domain errors raised by services. Views turn them into form errors or 4xx responses."""


class ApplicationError(Exception):
    """A rule of the Hub was broken; `message` is plain English fit to show a person."""

    def __init__(self, message: str, *, field: str | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra or {}
