"""Chinese words of landkit's library (records): see zh.py for the terms and en_records.py for the English."""

MESSAGES: dict[str, str] = {}
