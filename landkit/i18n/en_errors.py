"""English words of landkit's library (errors), code for code with zh_errors.py."""

MESSAGES: dict[str, str] = {}
