"""Chinese words of landkit's library (words): see zh.py for the terms and en_words.py for the English."""

MESSAGES: dict[str, str] = {}
