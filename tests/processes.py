"""Running the `newsdesk` command as a user would: its own process, its own NEWSDESK_HOME."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def newsdesk_command() -> list[str]:
    script = shutil.which("newsdesk", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "newsdesk.cli"]


def start_newsdesk(
    home: Path, *args: str, stdout: int | None = None, stderr: int | None = None
) -> subprocess.Popen[str]:
    # The SQLite default, whatever database the suite itself runs on.
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["NEWSDESK_HOME"] = str(home)
    env["NEWSDESK_FETCH_ALLOWED_ADDRESSES"] = "127.0.0.1"
    env["NEWSDESK_FETCH_HOST_DELAY"] = "0"
    return subprocess.Popen(
        [*newsdesk_command(), *args], env=env, stdout=stdout, stderr=stderr, text=True
    )
