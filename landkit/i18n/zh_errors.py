"""Chinese words of landkit's library (errors): see zh.py for the terms and en_errors.py for the English."""

MESSAGES: dict[str, str] = {}
