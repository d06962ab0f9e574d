"""Browser tests of the dashboard: Playwright (pytest-playwright) driving chromium (Debian's, or Playwright's own).

Nothing here is skipped: without chromium or Playwright the tests fail and say what to install.
Every page runs with all non-local requests blocked and recorded, and its console watched.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

try:
    import playwright.sync_api  # noqa: F401
except ImportError:  # pragma: no cover - depends on the environment
    raise pytest.UsageError(
        "the browser tests need Playwright: pip install 'playwright==1.65.2' pytest-playwright "
        "(both are in the `test` extra: pip install -e '.[test]')") from None

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2026-01-01"
CHROMIUM = "/usr/bin/chromium"


def pytest_configure(config: pytest.Config) -> None:
    # pytest-base-url (a pytest-playwright dependency) trips a pytest 9 deprecation; not ours to fix.
    config.addinivalue_line("filterwarnings",
                            "ignore:Session-scoped fixtures defined as instance methods:pytest.PytestRemovedIn10Warning")


def chromium_path() -> str | None:
    """$PEERNET_CHROMIUM, else Debian's chromium, else a Chrome on PATH (GitHub's runners), else
    None: Playwright's own chromium (what scripts/test installs where apt cannot)."""
    import os

    return (os.environ.get("PEERNET_CHROMIUM") or shutil.which("chromium")
            or (CHROMIUM if Path(CHROMIUM).is_file() else None)
            or shutil.which("chromium-browser") or shutil.which("google-chrome"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    found = chromium_path()
    return {**browser_type_launch_args, **({"executable_path": found} if found else {})}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1600, "height": 1000}, "device_scale_factor": 2}


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled registry's dashboard, written by the real CLI once per session."""
    from typer.testing import CliRunner

    from peernet_cli.cli.app import app

    out = tmp_path_factory.mktemp("dashboard") / "site"
    result = CliRunner().invoke(app, ["--registry", str(ROOT), "report", "html", "--output", str(out),
                                      "--as-of", AS_OF], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


@dataclass
class Watch:
    """What the page tried to fetch from elsewhere, and what went wrong in it."""

    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert not self.blocked, f"requests to the outside: {self.blocked}"
        assert not self.errors, f"console errors: {self.errors}"


def _local(url: str) -> bool:
    return url.startswith(("file://", "data:", "about:", "http://127.0.0.1", "http://localhost"))


@pytest.fixture
def watch(context: Any) -> Iterator[Watch]:
    w = Watch()

    def route(r: Any) -> None:
        if _local(r.request.url):
            r.continue_()
        else:
            w.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    context.on("request", lambda req: None if _local(req.url) else w.blocked.append(req.url))
    context.on("weberror", lambda err: w.errors.append(f"pageerror: {err.error}"))
    context.on("console", lambda msg: w.errors.append(f"{msg.type}: {msg.text}") if msg.type == "error" else None)
    yield w
    w.assert_clean()


@pytest.fixture
def open_page(page: Any, site: Path, watch: Watch) -> Any:
    """open_page('map.html') -> the page, loaded from disk with the guards on."""

    def go(rel: str) -> Any:
        path, _, fragment = rel.partition("#")
        page.goto((site / path).as_uri() + (f"#{fragment}" if fragment else ""))
        if path == "map.html":
            page.wait_for_selector("body[data-map-ready=true]")
        return page

    return go


# --- a small registry built for the Where page and the phone tests (small_registry.py) -------

@pytest.fixture(scope="session")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small registry's dashboard, written by the real CLI once per session."""
    from factories import RegistryBuilder
    from small_registry import small_records
    from typer.testing import CliRunner

    from peernet_cli.cli.app import app

    reg = RegistryBuilder(tmp_path_factory.mktemp("small") / "reg")
    for kind, data in small_records():
        reg.add(kind, data)
    out = reg.root.parent / "site"
    result = CliRunner().invoke(app, ["--registry", str(reg.root), "report", "html", "--output", str(out),
                                      "--as-of", AS_OF], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out
