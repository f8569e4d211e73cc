"""The one user-facing error type, translated at the edges (CLI exit code, gr.Error in the UI)."""


class ZhibiError(Exception):
    """A problem the user caused and can fix; the message names the file or setting and the fix."""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if not self.hint:
            return self.message
        # The hint goes in brackets unless it has brackets of its own: one line, never （…（…）…）.
        if any(mark in self.hint for mark in "（）()"):
            return f"{self.message}；{self.hint}"
        return f"{self.message}（{self.hint}）"


def book_title(title: str) -> str:
    """《title》 for a message: a title already in 《》 is not wrapped twice, and 《》 inside it become 〈〉
    (关于印发〈某某办法〉的通知), as Chinese typesetting nests title marks."""
    inner = title.strip()
    if inner.startswith("《") and inner.endswith("》"):
        inner = inner[1:-1]
    return "《" + inner.replace("《", "〈").replace("》", "〉") + "》"


class ReplaceNeeded(ZhibiError):
    """An ingest would replace documents already indexed under the same titles with different content."""

    def __init__(self, titles: list[str], message: str, *, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.titles = titles


class LLMUnavailable(ZhibiError):
    """The configured LLM endpoint could not produce a reply (down, timed out, refused)."""
