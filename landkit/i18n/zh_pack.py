"""Chinese words of landkit's library (pack): see zh.py for the terms and en_pack.py for the English."""

MESSAGES: dict[str, str] = {}
