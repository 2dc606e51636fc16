"""Domain errors for accreditation. Each message is written for the person who caused it, and
views show it to them as it is."""


class TransitionError(Exception):
    """A change the rules do not allow now: the wrong state, the wrong person or missing input."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
