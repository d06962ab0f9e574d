"""Helpers for tests/test_contribute_safety.py: real `peernet` processes started at the same
moment or killed at a random one, and a check that text GitHub renders acts on nothing.

PEERNET_STRESS=1 turns the repetition counts up (20 races per case, 80 kills per case); CI runs
the default counts."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

STRESS = os.environ.get("PEERNET_STRESS", "") not in ("", "0")
RACE_TRIALS = 20 if STRESS else 3
KILL_TRIALS = 80 if STRESS else 5

# A peernet process that imports everything first, says it is ready, then waits for the start
# line: processes that start together then reach the change at the same moment, whatever
# their start-up times.
_RACER = r"""
import os, sys, time
from peernet_cli.cli import app, brigades_cmd, partners_cmd, partnerships_cmd
from peernet_cli.change import propose
from peernet_cli.check import validate
from peernet_cli.registry import git as vcs
ready, go = sys.argv[1], sys.argv[2]
open(ready, "w").close()
while not os.path.exists(go):
    time.sleep(0.0005)
sys.argv = ["peernet", *sys.argv[3:]]
app.main()
"""


def race(commands: Sequence[Sequence[str]], cwd: Path, env: dict[str, str], scratch: Path,
         timeout: float = 90) -> list[subprocess.CompletedProcess[str]]:
    """Run each command as its own `peernet` process, all released at the same instant."""
    scratch.mkdir(parents=True, exist_ok=True)
    go = scratch / "go"
    procs = []
    for n, args in enumerate(commands):
        ready = scratch / f"ready-{n}"
        procs.append((ready, list(args), subprocess.Popen(
            [sys.executable, "-c", _RACER, str(ready), str(go), *args], cwd=cwd, env=env,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
    deadline = time.monotonic() + timeout
    while not all(ready.exists() for ready, _, _ in procs):
        if time.monotonic() > deadline or any(p.poll() is not None for _, _, p in procs):
            for _, _, p in procs:
                p.kill()
            raise AssertionError("a racer failed to start: "
                                 + " | ".join(p.communicate()[1] for _, _, p in procs))
        time.sleep(0.005)
    go.touch()
    results = []
    for _, command, p in procs:
        out, err = p.communicate(timeout=timeout)
        results.append(subprocess.CompletedProcess(command, p.returncode, out, err))
    return results


def run_and_kill(args: Sequence[str], cwd: Path, env: dict[str, str], delay: float,
                 whole_group: bool) -> int | None:
    """Start `peernet ARGS`, SIGKILL it after `delay` seconds (with its git children when
    `whole_group`, else only peernet itself, whose git children run on). Returns its exit code
    when it finished before the kill, else None."""
    proc = subprocess.Popen([sys.executable, "-m", "peernet_cli.cli.app", *args], cwd=cwd, env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        return proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        pass
    if whole_group:
        os.killpg(proc.pid, signal.SIGKILL)
    else:
        proc.kill()
    proc.wait(timeout=30)
    return None


# --- what GitHub would act on -------------------------------------------------------------------

# A mention, an issue reference (#1, owner/repo#1, GH-1), or a closing keyword before an issue URL:
# in a PR body or title, or in a commit message on the default branch (where a squash merge
# copies the PR body), each makes GitHub notify, link or close something.
ACTIVE = re.compile(r"[@#]\w|(?i:\bgh-\d)"
                    r"|(?i:\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s*:?\s*https?://)")


def active_text(text: str) -> list[str]:
    """The pieces of `text` that GitHub acts on wherever it appears (see ACTIVE)."""
    return [m.group() for m in ACTIVE.finditer(text)]


def markdown_problems(body: str, quoted: Sequence[str]) -> list[str]:
    """What in a PR body GitHub would render as more than text, parsed as CommonMark
    (markdown-it-py, which rich brings): every token outside one fenced code block must be a
    plain paragraph (no list, task, heading, quote, HTML, link or emphasis), the fenced block
    must hold exactly `quoted` (so nothing broke out of it), and no line anywhere may hold
    something ACTIVE. Returns the problems ([] when none)."""
    from markdown_it import MarkdownIt

    problems = [f"active: {piece!r}" for piece in active_text(body)]
    tokens: list[Any] = MarkdownIt("commonmark").parse(body)
    fences = [t for t in tokens if t.type in ("fence", "code_block")]
    if len(fences) != (1 if quoted else 0):
        problems.append(f"{len(fences)} code blocks")
    elif quoted and fences[0].content.rstrip("\n").split("\n") != list(quoted):
        problems.append(f"the code block holds {fences[0].content!r}, not the quoted lines")
    plain = {"paragraph_open", "paragraph_close", "inline", "fence", "code_block"}
    for token in tokens:
        if token.type not in plain:
            problems.append(f"markdown: {token.type}")
        for child in token.children or []:
            if child.type not in ("text", "softbreak"):
                problems.append(f"markdown: {child.type}")
    return problems
