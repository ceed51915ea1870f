"""Where newsdesk keeps its state (database, images) when no DATABASE_URL is given."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def default_home() -> Path:
    """The per-user data directory, following each platform's convention."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "newsdesk"


def newsdesk_home() -> Path:
    home = os.environ.get("NEWSDESK_HOME")
    path = Path(home).expanduser() if home else default_home()
    return path.resolve()
