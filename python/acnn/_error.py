"""The one exception type the package raises for acnn failures."""


class Error(RuntimeError):
    """A failure reported by acnnc or libacnnrt (the message is theirs)."""


Error.__module__ = "acnn"  # tracebacks say acnn.Error, the name users catch
