"""A class on one server: three learners on a real JupyterHub, at the same time, each alone.

The test is the teacher and the learners. It creates three Unix users (a copy of the
notebooks in each home), starts JupyterHub with configurable-http-proxy on 127.0.0.1 and
the LocalProcessSpawner (each server runs as its learner), starts the three servers, and
drives each learner in a headless Chromium of their own, all three at once:

* 02: Run All; the chooser recommends the learner's own callback (their server, through
  the hub, at their own capture port); register a practice app with it on the sandbox's
  form (opened from the notebook's link, through the learner's own prefix); type the keys
  into the credentials form, Verify, Save.
* 03: Run All; "Capture automatically" listens at that callback. While all three listen,
  each learner aims at the next one's sandbox port and capture port, from their browser
  (through their own server's proxy, the route a shared port used to give) and from a
  program of their own Unix user, and at the next one's files: all refused. Then the
  authorize link (through the learner's own prefix), Allow, and the redirect comes back
  through the hub to the learner's own listener: signed in by capture.
* 04: Run All; the upload panel uploaded the kit's picture, and its link goes through the
  learner's own prefix.

On the kit before this change it fails: a hub was "a remote server" with no capture at
all, every learner's practice callback was http://localhost:8765/callback, and a learner's
program or proxy could use any other learner's sandbox.
"""

from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path

import classroom
import pytest
from lab_driver import (
    AUTHORIZE_LINK,
    expect,
    model_outputs,
    named,
    open_in_new_tab,
    register_in_browser,
    run_all,
    shutdown_kernel,
)
from loopback import free_port

pytestmark = pytest.mark.hub

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
REFUSAL = "belongs to another user of this computer"
#: Every wait in a learner's thread and at a meeting point is bounded by this (seconds).
MEETING_TIMEOUT = 240


_PANEL = "window.jupyterapp && window.jupyterapp.shell.currentWidget"


def open_here(page, notebook: str, *, timeout: float = 120_000):
    """Open ``notebooks/<notebook>`` in the Lab already loaded (File > Open, without reloading the
    page: three Lab loads per learner are most of a busy machine's time), wait for an idle kernel."""
    path = f"notebooks/{notebook}"
    page.evaluate(f"() => {{ window.jupyterapp.commands.execute('docmanager:open', {{path: {path!r}}}); }}")
    page.wait_for_function(
        f"() => {{ const w = {_PANEL}; const s = w && w.sessionContext && w.sessionContext.session;"
        f" const k = s && s.kernel; return !!w && w.context && w.context.path === {path!r}"
        " && !!k && k.status === 'idle'; }",
        timeout=timeout,
    )
    return page.locator(".jp-NotebookPanel:visible")


def close_here(page) -> None:
    """Shut the notebook's kernel down and close its tab without the save dialog (its outputs are not kept)."""
    shutdown_kernel(page)
    page.evaluate(f"() => {{ const w = {_PANEL}; w.context.model.dirty = false; w.dispose(); }}")


def _own_route(learner, href: str) -> bool:
    return href.startswith(f"{learner.prefix}proxy/")


def _journey(hub, me, neighbour, chromium, meeting: threading.Barrier, seen: dict) -> None:
    """What one learner does in their browser, from sign-in to upload; findings go into ``seen``."""
    from playwright.sync_api import sync_playwright

    began = time.monotonic()
    seen["steps"] = steps = []

    def step(name: str) -> None:  # where the time goes, for the report (never asserted)
        steps.append(f"{name} {time.monotonic() - began:.0f}s")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        # The teacher starts the learner's server (the hub's REST API), as before class; the
        # browsers start meanwhile.
        seen["server_start"] = hub.start_server(me)
        step("server")
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        context.set_default_timeout(90_000)
        page = context.new_page()

        # -- sign in to the hub, as on the class's first morning ------------------------------
        page.goto(f"{hub.url}/hub/login")
        page.get_by_label("Username:").fill(me.name)
        page.locator("#password_input").fill("any password will do here")
        page.locator("#login_submit").click()
        page.wait_for_url(re.compile(re.escape(f"{hub.url}{me.prefix}lab")), timeout=90_000)
        page.wait_for_function(
            "() => !!window.jupyterapp && window.jupyterapp.commands.hasCommand('docmanager:open')", timeout=120_000
        )
        page.evaluate("() => window.jupyterapp.restored.then(() => true)")

        step("lab")
        # -- 02: the chooser, the form, the keys ------------------------------------------------
        nb = open_here(page, "02-register-an-application.ipynb")
        run_all(page, timeout=180_000)
        step("02 ran")
        ports = me.ports()
        seen["ports"] = ports
        # Read from the model: cells scrolled out of view have no text in the page.
        seen["banner"] = model_outputs(page)[0]["text"]
        # The chooser's answer (a widget, not the markdown around it) names the callback to register.
        callback = (nb.locator(".widget-html-content code", has_text="/callback").first.text_content() or "").strip()
        seen["callback"] = callback
        seen["form_href"] = nb.locator("a[href$='/oauth2/addclient']").first.get_attribute("href")
        client_id, secret = register_in_browser(context, nb, callback)
        nb.get_by_label("Client ID:", exact=True).fill(client_id)
        nb.get_by_label("Client Secret:", exact=True).fill(secret)
        form = nb.locator(".jupyter-widgets.widget-vbox:has(input[type=password])").first
        nb.get_by_role("button", name=named("Verify")).click()
        nb.get_by_role("button", name=named("Save")).click()
        expect(form.locator(".widget-html-content").last).to_contain_text("Saved practice app", timeout=60_000)
        close_here(page)

        step("02 done")
        # -- 03: sign in by capture, through the hub -------------------------------------------
        nb = open_here(page, "03-authorize-with-oauth.ipynb")
        run_all(page, timeout=180_000)
        panel = nb.locator(f'.jupyter-widgets.widget-vbox:has(a:text-is("{AUTHORIZE_LINK}"))').first
        seen["capture_box"] = nb.get_by_label("Callback URL registered for your app:", exact=True).input_value()
        nb.get_by_role("button", name=named("Capture automatically")).click()
        expect(panel).to_contain_text(f"Listening on {callback}", timeout=60_000)

        step("03 listening")
        meeting.wait()  # all three listen now: each aims at the next one's ports
        theirs = neighbour.ports()
        for what, path in (("sandbox", "oauth2/addclient"), ("capture", "callback?state=x&error=access_denied")):
            # Through my own server's proxy to their port: the route a shared port used to give.
            answer = page.request.get(f"{hub.url}{me.prefix}proxy/{theirs[what]}/{path}", max_redirects=0)
            seen[f"my_proxy_to_their_{what}"] = (answer.status, answer.text()[:300])
            # Through their prefix: the hub itself turns me away.
            answer = page.request.get(f"{hub.url}{neighbour.prefix}proxy/{theirs[what]}/{path}", max_redirects=0)
            seen[f"their_prefix_{what}"] = (answer.status, answer.text()[:300])
        meeting.wait()  # the learners' programs have tried too (the main thread)

        link = nb.get_by_role("link", name=AUTHORIZE_LINK)
        seen["authorize_href"] = link.get_attribute("href")
        tab = open_in_new_tab(context, link)
        with tab.expect_navigation():
            tab.get_by_role("button", name=named("Allow")).click()
        expect(tab.locator("#status")).to_have_text(
            "Received. You can close this tab and go back to your notebook.", timeout=60_000
        )
        seen["landed"] = tab.url
        tab.close()
        expect(panel).to_contain_text("Imgur's redirect arrived; the listener has stopped.", timeout=60_000)
        expect(panel).to_contain_text("Found an access token for sandbox-user", timeout=60_000)
        close_here(page)

        step("03 signed in")
        # -- 04: the upload ---------------------------------------------------------------------
        nb = open_here(page, "04-first-api-calls.ipynb")
        run_all(page, timeout=180_000)
        uploader = nb.locator(".jupyter-widgets.widget-vbox:has(button:has-text('Upload'))").first
        expect(uploader).to_contain_text("Uploaded: http://127.0.0.1:", timeout=60_000)
        seen["upload_href"] = uploader.get_by_role("link", name="Open it in a new tab").get_attribute("href")
        close_here(page)
        step("04 uploaded")
        seen["finished"] = True
        browser.close()


PROBE = """
import json, os, sys, urllib.error, urllib.request
ports, folder = json.loads(sys.argv[1]), sys.argv[2]
found = {}
for what, path in (("sandbox", "oauth2/addclient"), ("capture", "callback?state=x&error=access_denied")):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{ports[what]}/{path}", timeout=20) as answer:
            found[what] = [answer.status, answer.read(300).decode("utf-8", "replace")]
    except urllib.error.HTTPError as error:
        found[what] = [error.code, error.read(300).decode("utf-8", "replace")]
    except OSError as error:
        found[what] = [0, str(error)]
for what in ("", "ports.json", "sandbox-credentials.json", "sandbox/sandbox-state.json"):
    path = os.path.join(folder, what)
    try:
        os.listdir(path) if not what else open(path, "rb").read()
        found[what or "folder"] = "read"
    except PermissionError:
        found[what or "folder"] = "refused"
    except OSError as error:
        found[what or "folder"] = type(error).__name__
print(json.dumps(found))
"""


def _probe_as(hub, learner, target_ports: dict, folder: Path) -> dict:
    """What a program of ``learner``'s own Unix user gets at those ports and in that folder."""
    done = classroom.run_as(learner, hub.python, PROBE, [json.dumps(target_ports), str(folder)], timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_three_learners_at_once_each_alone(hub_available, shared_folder):
    started = time.monotonic()
    with classroom.learners(("a", "b", "c")) as group:
        with classroom.running_hub(group, shared_folder / "hub", shared_folder / "shared", free_port) as hub:
            meeting = threading.Barrier(len(group) + 1, timeout=MEETING_TIMEOUT)
            seen: dict[str, dict] = {x.name: {} for x in group}
            failures: dict[str, BaseException] = {}

            def learner_thread(me, neighbour):
                try:
                    _journey(hub, me, neighbour, hub_available, meeting, seen[me.name])
                except BaseException as error:  # noqa: BLE001 - reported below, with the others'
                    failures[me.name] = error
                    meeting.abort()

            threads = [
                threading.Thread(target=learner_thread, args=(x, group[(i + 1) % len(group)]), daemon=True)
                for i, x in enumerate(group)
            ]
            for thread in threads:
                thread.start()

            # While every learner listens: each learner's own programs aim at the next one.
            probes = {}
            try:
                meeting.wait()
                for i, me in enumerate(group):
                    neighbour = group[(i + 1) % len(group)]
                    probes[me.name] = (
                        _probe_as(hub, me, neighbour.ports(), neighbour.config_dir),
                        _probe_as(hub, me, me.ports(), me.config_dir),
                    )
                meeting.wait()
            except threading.BrokenBarrierError:
                pass
            for thread in threads:
                thread.join(timeout=MEETING_TIMEOUT + 60)
            assert not failures, "\n".join(f"{name}: {error!r}" for name, error in failures.items())
            assert all(not thread.is_alive() for thread in threads)

    # -- all three finished ------------------------------------------------------------------
    assert all(found.get("finished") for found in seen.values()), seen
    ports = [found["ports"] for found in seen.values()]
    used = [p["sandbox"] for p in ports] + [p["capture"] for p in ports]
    assert len(set(used)) == len(used), f"ports shared between learners: {ports}"

    for me in group:
        found = seen[me.name]
        mine = found["ports"]
        # -- the banner says JupyterHub, and why ------------------------------------------------
        assert "This notebook runs on JupyterHub (JUPYTERHUB_USER is set)" in found["banner"], found["banner"]
        # -- links through the learner's own prefix --------------------------------------------
        callback = f"{hub.url}{me.prefix}proxy/{mine['capture']}/callback"
        assert found["callback"] == callback
        assert found["capture_box"] == callback  # the app registered on the form has it
        assert _own_route(me, found["form_href"]), found["form_href"]
        assert _own_route(me, found["authorize_href"]), found["authorize_href"]
        assert _own_route(me, found["upload_href"]), found["upload_href"]
        assert found["landed"].startswith(f"{hub.url}{me.prefix}proxy/{mine['capture']}/callback")
        # -- the neighbour's sandbox and listener, from my browser -----------------------------
        for what in ("sandbox", "capture"):
            status, text = found[f"my_proxy_to_their_{what}"]
            assert status == 403 and REFUSAL in text, (me.name, what, status, text)
            status, text = found[f"their_prefix_{what}"]
            assert status in (302, 403, 404) and REFUSAL not in text and "hand" not in text.lower(), (what, status)
        # -- ... and from a program of my own Unix user --------------------------------------------
        at_theirs, at_mine = probes[me.name]
        for what in ("sandbox", "capture"):
            assert at_theirs[what][0] == 403 and REFUSAL in at_theirs[what][1], (me.name, what, at_theirs[what])
            assert REFUSAL not in at_mine[what][1], (me.name, what, at_mine[what])  # my own answer me
        for what in ("folder", "ports.json", "sandbox-credentials.json", "sandbox/sandbox-state.json"):
            assert at_theirs[what] == "refused", (me.name, what, at_theirs)
            assert at_mine[what] == "read", (me.name, what, at_mine)
    print(
        f"\nthree learners, hub and all: {time.monotonic() - started:.0f} s; servers started in "
        + ", ".join(f"{found.get('server_start', 0):.1f} s" for found in seen.values())
    )
    for name, found in seen.items():
        print(name, ", ".join(found.get("steps", [])))
