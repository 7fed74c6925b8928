"""From rehearsal to the real Imgur, in a real JupyterLab and a real browser.

No machine here can reach Imgur, so a second sandbox *process* stands in for it:
the Lab's kernels get ``IMGUR_KIT_BASE_URL`` pointing at its port, and it knows an
app that the kit's own sandbox does not. With nothing listening on that port, the
same Lab is a computer that is offline. Each test starts from a fresh home.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from contextlib import contextmanager

import nbformat
import pytest
from conftest import browser_context, running_lab
from lab_driver import (
    AUTHORIZE_LINK,
    cell,
    expect,
    free_port,
    index_of_cell,
    named,
    open_in_new_tab,
    open_notebook,
    run_all,
    shutdown_kernel,
)

from imgur_kit.steps.sandboxes import AttachedSandbox, SandboxAddress, answers
from imgur_kit.tokens import mask

STANDIN_PORT = free_port()
STANDIN = f"http://127.0.0.1:{STANDIN_PORT}"
SIGN_IN_LINK = "Sign in to Imgur and press Allow (a new tab)"


@contextmanager
def real_imgur_standin(tmp_path):
    """``python -m imgur_kit sandbox`` on STANDIN_PORT, with a config folder of its own (not the user's sandbox)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMGUR_")}
    env["IMGUR_KIT_CONFIG_DIR"] = str(tmp_path / "standin-config")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "imgur_kit",
            "sandbox",
            "--port",
            str(STANDIN_PORT),
            "--state-dir",
            str(tmp_path / "standin-state"),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not answers(STANDIN, timeout=1):
            assert proc.poll() is None and time.monotonic() < deadline, "the stand-in did not start"
            time.sleep(0.1)
        yield AttachedSandbox(SandboxAddress(STANDIN, proc.pid, tmp_path / "standin-state"))
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def live_lab(browser_available, tmp_path_factory):
    """A Lab whose kernels treat STANDIN as the real Imgur (IMGUR_KIT_BASE_URL), and nothing else configured."""
    with running_lab(tmp_path_factory, {"IMGUR_KIT_BASE_URL": STANDIN}) as lab:
        yield lab


@pytest.fixture
def context(browser, live_lab):
    """A browser context per test, on a fresh home: no keys, no sandbox state, no kernels left."""
    with browser_context(browser, live_lab, fresh_home=True) as ctx:
        yield ctx


def stored(lab, kind: str) -> str:
    path = lab.config_dir / ("credentials.json" if kind == "live" else "sandbox-credentials.json")
    return path.read_text(encoding="utf-8") if path.exists() else ""


def type_keys_into_the_02_form(page, lab, client_id, secret):
    nb = open_notebook(page, lab, "02-register-an-application.ipynb")
    run_all(page)  # a fresh home: the sandbox, and the notebook's own practice app in the form
    form = nb.locator(".jupyter-widgets.widget-vbox:has(input[type=password])").first
    nb.get_by_label("Client ID:", exact=True).fill(client_id)
    nb.get_by_label("Client Secret:", exact=True).fill(secret)
    return nb, form, form.locator(".widget-html-content").last


def test_own_keys_typed_in_02_are_verified_by_imgur_then_03_and_04_run_live(live_lab, context, tmp_path):
    page = context.new_page()
    callback = f"http://localhost:{free_port()}/callback"
    with real_imgur_standin(tmp_path) as imgur:
        app = imgur.register_app(name="my real app", callback_url=callback)

        # -- 02: the sandbox does not know these keys; Save checks them with "Imgur" and keeps them live.
        nb, form, message = type_keys_into_the_02_form(page, live_lab, app.client_id, app.client_secret)
        nb.get_by_role("button", name=named("Verify")).click()
        expect(message).to_contain_text("The sandbox only knows its own practice apps")
        expect(message).not_to_contain_text("does not recognise")
        nb.get_by_role("button", name=named("Save")).click()
        expect(message).to_contain_text(f"Imgur accepted Client ID {mask(app.client_id)}")
        expect(message).to_contain_text("From now on the kit uses the real Imgur (live mode)")
        assert app.client_secret in stored(live_lab, "live")
        assert app.client_id not in stored(live_lab, "sandbox")
        shutdown_kernel(page)

        # -- 03: connect() chooses live by itself, and the local capture signs in.
        nb = open_notebook(page, live_lab, "03-authorize-with-oauth.ipynb")
        run_all(page)
        expect(cell(nb, index_of_cell(nb, "kit = connect()"))).to_contain_text(
            f"Live mode, because your Client ID {mask(app.client_id)} was found in"
        )
        expect(cell(nb, index_of_cell(nb, "kit = connect()"))).to_contain_text(f"calls go to {STANDIN}")
        nb.get_by_label("Callback URL registered for your app:", exact=True).fill(callback)
        nb.get_by_role("button", name=named("Capture automatically")).click()
        panel = nb.locator(f'.jupyter-widgets.widget-vbox:has(a:text-is("{AUTHORIZE_LINK}"))').first
        expect(panel).to_contain_text(f"Listening on {callback}")
        tab = open_in_new_tab(context, nb.get_by_role("link", name=AUTHORIZE_LINK))
        assert tab.url.startswith(STANDIN + "/oauth2/authorize?")
        tab.get_by_role("button", name=named("Allow")).click()
        expect(panel).to_contain_text("Found an access token for sandbox-user", timeout=60_000)
        tab.close()
        assert '"token"' in stored(live_lab, "live")
        shutdown_kernel(page)

        # -- 04: the first authorized upload goes to "Imgur".
        nb = open_notebook(page, live_lab, "04-first-api-calls.ipynb")
        run_all(page)
        expect(cell(nb, index_of_cell(nb, 'rehearsal.sentence(kit, "authorize"'))).to_contain_text(
            "When this cell ran, a user token was saved already (signed in as sandbox-user), so it did nothing."
        )
        uploader = nb.locator(".jupyter-widgets.widget-vbox:has(button:has-text('Upload'))").first
        nb.get_by_role("button", name=named("Upload")).click()
        expect(uploader).to_contain_text(f"Uploaded: {STANDIN}/", timeout=60_000)


def test_own_keys_with_imgur_unreachable_are_saved_unverified(live_lab, context):
    page = context.new_page()
    assert not answers(STANDIN, timeout=1)  # nothing listens: this computer is "offline"
    client_id, secret = "0123456789abcde", "0123456789abcdef0123456789abcdef01234567"
    nb, form, message = type_keys_into_the_02_form(page, live_lab, client_id, secret)
    nb.get_by_role("button", name=named("Save")).click()
    expect(message).to_contain_text(f"127.0.0.1:{STANDIN_PORT} could not be reached from this computer")
    expect(message).to_contain_text("unverified")
    expect(message).to_contain_text("python -m imgur_kit status")
    assert client_id in stored(live_lab, "live") and secret in stored(live_lab, "live")
    assert secret not in page.content()
    shutdown_kernel(page)
    nb = open_notebook(page, live_lab, "03-authorize-with-oauth.ipynb")
    run_all(page)
    expect(cell(nb, index_of_cell(nb, "kit = connect()"))).to_contain_text("Live mode, because your Client ID")
    expect(cell(nb, index_of_cell(nb, "kit = connect()"))).to_contain_text("could not be reached")


# -- the quick login: count the clicks ------------------------------------------------------------


def login_notebook(lab, name: str, setup: str = "") -> str:
    cells = ([nbformat.v4.new_code_cell(setup)] if setup else []) + [
        nbformat.v4.new_code_cell("import imgur_kit\nimgur_kit.login()")
    ]
    # With a kernelspec, so Lab starts the kernel instead of asking which one.
    metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata=metadata), str(lab.root / name))
    return name


class Clicks:
    """Every click the person makes goes through here, so the test can count them."""

    def __init__(self):
        self.count = 0

    def __call__(self, locator, **kwargs):
        self.count += 1
        locator.click(**kwargs)


def type_into(nb, label: str, text: str) -> None:
    box = nb.get_by_label(label, exact=True)
    box.fill(text)
    box.press("Enter")  # typing: the field hands its value over on Enter


def test_quick_login_to_a_first_upload_takes_three_clicks_locally(live_lab, context, tmp_path):
    page, clicks = context.new_page(), Clicks()
    callback = f"http://localhost:{free_port()}/callback"
    with real_imgur_standin(tmp_path) as imgur:
        app = imgur.register_app(name="my real app", callback_url=callback)
        nb = open_notebook(page, live_lab, login_notebook(live_lab, "quick-login.ipynb"))
        run_all(page)
        type_into(nb, "Callback URL of your app:", callback)
        type_into(nb, "Client ID:", app.client_id)
        type_into(nb, "Client Secret:", app.client_secret)
        widget = nb.locator(".jupyter-widgets.widget-vbox:has(input[type=password])").first
        expect(widget).to_contain_text(f"Imgur accepted Client ID {mask(app.client_id)} and Client Secret")

        with context.expect_page() as opened:
            clicks(nb.get_by_role("link", name=SIGN_IN_LINK))  # 1
        tab = opened.value
        clicks(tab.get_by_role("button", name=named("Allow")))  # 2
        expect(widget).to_contain_text("Signed in as sandbox-user", timeout=60_000)
        clicks(nb.get_by_role("button", name=named("Upload a first picture")))  # 3
        expect(widget).to_contain_text(f"Uploaded: {STANDIN}/", timeout=60_000)
    assert clicks.count <= 3, clicks.count
    print(f"quick login, local capture: {clicks.count} clicks to a first authorized upload")


def test_quick_login_on_binder_takes_at_most_five_clicks(live_lab, context, tmp_path):
    page, clicks = context.new_page(), Clicks()
    with real_imgur_standin(tmp_path) as imgur:
        app = imgur.register_app(name="binder app", auth_type="no-callback")
        # As on Binder: the kernel runs on another machine than the browser, so the address is pasted.
        name = login_notebook(
            live_lab,
            "quick-login-binder.ipynb",
            setup='import os\nos.environ["BINDER_LAUNCH_HOST"] = "https://mybinder.org/"',
        )
        nb = open_notebook(page, live_lab, name)
        run_all(page)
        type_into(nb, "Client ID:", app.client_id)
        type_into(nb, "Client Secret:", app.client_secret)
        widget = nb.locator(".jupyter-widgets.widget-vbox:has(input[type=password])").first
        expect(widget).to_contain_text("Imgur accepted Client ID")

        with context.expect_page() as opened:
            clicks(nb.get_by_role("link", name=SIGN_IN_LINK))  # 1
        tab = opened.value
        clicks(tab.get_by_role("button", name=named("Allow")))  # 2
        tab.wait_for_url(re.compile(r".*#access_token=.*"))
        landing = tab.url  # copied from the address bar
        type_into(nb, "Paste where your browser ended:", landing)
        clicks(nb.get_by_role("button", name=named("Use it")))  # 3
        expect(widget).to_contain_text("Signed in as sandbox-user", timeout=60_000)
        clicks(nb.get_by_role("button", name=named("Upload a first picture")))  # 4
        expect(widget).to_contain_text(f"Uploaded: {STANDIN}/", timeout=60_000)
    assert clicks.count <= 5, clicks.count
    assert app.client_secret not in page.content() and "access_token=" not in json.dumps(page.content())
    print(f"quick login, paste flow: {clicks.count} clicks to a first authorized upload")
