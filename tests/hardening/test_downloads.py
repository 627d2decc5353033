"""A booking page can't write files on the bot's host: downloads denied, file: out of reach."""
from __future__ import annotations

import http.server
import os
import shutil
import tempfile
import threading
import uuid
from pathlib import Path
from typing import Iterator

import pytest
from selenium.webdriver.common.by import By

from booking.browser.chrome import ChromeFactory, lock_down
from booking.config.settings import Settings

pytestmark = pytest.mark.browser

PAYLOAD = b"\0" * (1 << 20)  # 1 MB


class DownloadSite:
    """A page that tries every way to save a file: a link with ``download`` (served and data:), a
    navigation to a response with Content-Disposition: attachment, and a jump to a file: URL."""

    def __init__(self) -> None:
        self.name = f"booker-download-{uuid.uuid4().hex[:8]}"
        self.served = threading.Event()  # both attachments' last bytes left the server
        self.asked: set[str] = set()
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                if self.path.startswith("/attachment"):
                    self.send_response(200)
                    self.send_header("Content-Type", "application/octet-stream")
                    self.send_header("Content-Disposition", f'attachment; filename="{site.name}.bin"')
                    self.send_header("Content-Length", str(len(PAYLOAD)))
                    self.end_headers()
                    self.wfile.write(PAYLOAD)
                    self.wfile.flush()
                    site.asked.add(self.path)
                    if len(site.asked) == 2:
                        site.served.set()
                    return
                body = f"""<!doctype html><title>Book a demo</title><h1>Book a demo</h1>
<a id="link" download="{site.name}-link.bin" href="/attachment?link">Brochure</a>
<a id="data" download="{site.name}-data.txt" href="data:text/plain;base64,{'QUJD' * 1000}">Terms</a>
<button id="file" onclick="location.href='file:///etc/hostname'">Local</button>
<button id="go" onclick="location.href='/attachment?nav'">Download</button>""".encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(body)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/"

    def __enter__(self) -> "DownloadSite":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site() -> Iterator[DownloadSite]:
    with DownloadSite() as running:
        yield running


def named(roots: list[Path], name: str, deep: bool) -> set[Path]:
    """Paths under ``roots`` with ``name`` in them (the download, its ``.crdownload`` partial, a
    renamed copy); the top level only of shared folders (a home, the system temp folder)."""
    found: set[Path] = set()
    for root in roots:
        if root.is_dir():
            found.update(p for p in (root.rglob("*") if deep else root.iterdir()) if name in p.name)
    return found


def leaked(site: DownloadSite, ours: list[Path]) -> set[Path]:
    shared = [Path.home() / "Downloads", Path.home(), Path(tempfile.gettempdir()), Path(os.getcwd())]
    return named(ours, site.name, deep=True) | named(shared, site.name, deep=False)


def wait_for_leak(site: DownloadSite, ours: list[Path], seconds: float = 3.0) -> set[Path]:
    """Give a download that was let through the time to land (it lands in well under a second)."""
    pause = threading.Event()
    for _ in range(int(seconds / 0.1)):
        found = leaked(site, ours)
        if found:
            return found
        pause.wait(0.1)
    return leaked(site, ours)


@pytest.fixture
def short_root() -> Iterator[Path]:
    """A temp root of the test's own, short enough for Chromium's socket (pytest's tmp_path isn't)."""
    root = Path(tempfile.mkdtemp(prefix="bk-"))
    yield root
    shutil.rmtree(root, ignore_errors=True)


def test_a_page_that_downloads_leaves_no_file_anywhere(site: DownloadSite, settings: Settings, tmp_path: Path,
                                                       short_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Link with ``download``, data: link, attachment response, file: jump: nothing lands on disk."""
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")  # Chromium's working folder: a download may not fall back to it
    root = short_root
    factory = ChromeFactory(settings, temp_root=root)
    before = set(tmp_path.rglob("*"))
    home_before = set((Path.home() / "Downloads").glob("*")) if (Path.home() / "Downloads").is_dir() else set()

    with factory.session("downloads") as page:
        page.goto(site.url)
        session = next(root.iterdir())  # the session's own folder: TMPDIR and the download folder
        for control in ("link", "data", "go"):
            page.click((By.ID, control), control)
        assert site.served.wait(20), f"the page asked for its attachments only as {site.asked}"
        assert lock_down(page.driver) == []  # this Chromium takes the DevTools deny and file-chooser intercept
        page.click((By.ID, "file"), "a jump to a local file")
        assert wait_for_leak(site, [tmp_path, root]) == set()
        assert list((session / "downloads").iterdir()) == []
        assert page.driver.current_url.startswith(site.url), "a page reached a file: URL"
        assert "Book a demo" in page.visible_text()

    assert factory.live_sessions == 0
    assert leaked(site, [tmp_path, root]) == set()
    assert set(tmp_path.rglob("*")) - before == set(), "the session left files behind"
    assert list(root.iterdir()) == []
    home_after = set((Path.home() / "Downloads").glob("*")) if (Path.home() / "Downloads").is_dir() else set()
    assert home_after - home_before == set()


def test_over_a_remote_endpoint_the_profile_alone_denies_downloads(settings: Settings) -> None:
    """Where DevTools may not reach the browser (Selenium Grid), the preferences deny downloads."""
    remote = ChromeFactory(settings.with_overrides(remote_webdriver_url="http://grid.example:4444"))
    prefs = remote.options(None).experimental_options["prefs"]
    assert prefs["download_restrictions"] == 3 and prefs["download.prompt_for_download"] is False
    assert "download.default_directory" not in prefs  # a folder on this host means nothing there
