"""Chinese words of the survey-exchange text (报部格式): reading, checking and writing it."""

MESSAGES: dict[str, str] = {}
