"""The one user-facing error type, translated at the edges (CLI exit code, gr.Error in the UI)."""


class ZhibiError(Exception):
    """A problem the user caused and can fix; the message names the file or setting and the fix."""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}（{self.hint}）" if self.hint else self.message


class ReplaceNeeded(ZhibiError):
    """An ingest would replace documents already indexed under the same titles with different content."""

    def __init__(self, titles: list[str], message: str, *, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.titles = titles


class LLMUnavailable(ZhibiError):
    """The configured LLM endpoint could not produce a reply (down, timed out, refused)."""
