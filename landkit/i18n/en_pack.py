"""English words of landkit's library (pack), code for code with zh_pack.py."""

MESSAGES: dict[str, str] = {}
