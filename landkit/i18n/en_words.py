"""English words of landkit's library (words), code for code with zh_words.py."""

MESSAGES: dict[str, str] = {}
