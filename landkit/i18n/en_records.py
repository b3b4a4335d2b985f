"""English words of landkit's library (records), code for code with zh_records.py."""

MESSAGES: dict[str, str] = {}
