"""newsdesk: an automated news desk that writes neutral, sourced articles from news reports."""

__version__ = "0.1.0"
