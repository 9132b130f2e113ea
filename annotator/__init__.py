"""annotator: keyboard-driven review of news articles for source bias."""

__version__ = "0.1.0"
