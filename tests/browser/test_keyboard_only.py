"""The journey's two key widgets without a mouse: Tab, Shift+Tab, Enter, Space and typing only.

A keyboard user moves between cells in JupyterLab's command mode with the arrow
keys; from a selected cell, Tab enters its output (the code editor is not in the
tab order), so that is how each widget is reached here. On the sandbox's pages
(registration form, consent page) Tab walks the fields in order. Every step
checks where the focus is by the control's accessible name, so a control that
cannot be reached, or is reached in a confusing order, fails the test.

``window.jupyterapp`` is read only to wait and to know which cell is selected;
the one scripted focus is the notebook itself at the start (a person looking at it).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lab_driver import _PANEL, expect, index_of_cell, keep_kernel_busy, open_notebook, run_all, shutdown_kernel

from imgur_kit.tokens import mask

# What a screen reader would announce for the focused element: its label, aria-label or text.
FOCUSED = """() => { const e = document.activeElement; if (!e || e === document.body) return '';
  const label = e.labels && e.labels.length ? e.labels[0].innerText : '';
  return (e.getAttribute('aria-label') || label || e.innerText || e.value || '').trim(); }"""


def focused(page) -> str:
    return page.evaluate(FOCUSED)


def tab_to(page, name: str, *, backwards: bool = False, limit: int = 12) -> None:
    """Press Tab (or Shift+Tab) until the control named *name* has the focus; at most *limit* times."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        now = focused(page)
        seen.append(now)
        if re.search(rf"(^|\W){re.escape(name)}$", now):
            return
    raise AssertionError(f"{name!r} was not reached with the keyboard; the focus went: {seen}")


def select_cell(page, nb, source_text: str) -> None:
    """In command mode, move the selection with the arrow keys to the cell whose source holds *source_text*."""
    target = index_of_cell(nb, source_text)
    page.evaluate(f"() => {{ const w = {_PANEL}; w.content.activeCell.node.focus(); }}")
    page.keyboard.press("Escape")  # command mode
    for _ in range(200):
        active = page.evaluate(f"() => {_PANEL}.content.activeCellIndex")
        if active == target:
            return
        page.keyboard.press("ArrowDown" if active < target else "ArrowUp")
    raise AssertionError(f"the arrow keys did not reach cell {target}")


def enter_opens_a_tab(context, page):
    """Press Enter on the focused link and return the tab it opens, loaded and in front."""
    with context.expect_page() as opened:
        page.keyboard.press("Enter")
    tab = opened.value
    tab.wait_for_load_state()
    tab.bring_to_front()
    return tab


def register_with_the_keyboard(context, page, nb) -> tuple[str, str]:
    """Open the sandbox's registration form from the notebook's link and fill it in by keyboard."""
    select_cell(page, nb, "registration_link(kit)")
    tab_to(page, "(a new tab)")
    form = enter_opens_a_tab(context, page)
    tab_to(form, "Application name:")
    form.keyboard.type("Keyboard app")
    tab_to(form, "OAuth 2 authorization with a callback URL")  # the group's chosen radio button
    tab_to(form, "Authorization callback URL:")
    form.keyboard.type("http://localhost:9/callback")
    tab_to(form, "Email:")
    form.keyboard.type("keys@example.com")
    tab_to(form, "Description:")
    form.keyboard.type("Registered without a mouse")
    tab_to(form, "I'm not a robot")
    form.keyboard.press("Space")
    tab_to(form, "Submit")
    with form.expect_navigation():
        form.keyboard.press("Enter")
    client_id = form.locator("#client-id").inner_text().strip()
    secret = form.locator("#client-secret").inner_text().strip()
    form.close()
    page.bring_to_front()
    return client_id, secret


def test_credentials_form_and_authorize_panel_with_the_keyboard_alone(lab, context, page):
    # -- 02: register, then the credentials form -----------------------------------------------
    nb = open_notebook(page, lab, "02-register-an-application.ipynb")
    run_all(page)
    client_id, secret = register_with_the_keyboard(context, page, nb)

    select_cell(page, nb, "credentials_form(kit)")
    tab_to(page, "Client ID:")
    # Typed while the kernel is still busy (as with cells still running below the form), then
    # Verify at once: the kernel must read the whole Client ID, not its first keystroke.
    keep_kernel_busy(page, 3)
    page.keyboard.type(client_id)
    tab_to(page, "Client Secret:")
    page.keyboard.type(secret)
    tab_to(page, "Verify")  # leaving the field hands the secret to the kernel
    page.keyboard.press("Enter")
    form = nb.locator(".jupyter-widgets.widget-vbox:has(input[type=password])").first
    message = form.locator(".widget-html-content").last
    expect(message).to_contain_text(mask(client_id))
    expect(message).not_to_contain_text("Problem")
    expect(nb.get_by_label("Client Secret:", exact=True)).to_have_value("")
    tab_to(page, "Save")
    page.keyboard.press("Enter")
    expect(message).to_contain_text(f"Client Secret {mask(secret)}")
    assert secret not in page.content()
    shutdown_kernel(page)  # one sandbox writer at a time

    # -- 03: the authorize panel ----------------------------------------------------------------
    nb = open_notebook(page, lab, "03-authorize-with-oauth.ipynb")
    run_all(page)
    select_cell(page, nb, "authorize_panel(kit)")
    tab_to(page, "Open Imgur's authorize page (a new tab)")
    assert f"client_id={client_id}" in page.evaluate("() => document.activeElement.href")
    consent = enter_opens_a_tab(context, page)
    tab_to(consent, "Allow")
    consent_url = consent.url
    with consent.expect_response(lambda r: r.request.method == "POST" and "/oauth2/authorize" in r.url) as answer:
        consent.keyboard.press("Enter")
    assert answer.value.status == 302
    # Nothing listens on the callback, so the tab ends on the browser's error page; a person
    # copies its address bar, which is where the redirect pointed.
    landing = urljoin(consent_url, answer.value.headers["location"])
    assert "#access_token=" in landing
    consent.close()
    page.bring_to_front()

    # The focus is still on the link in the notebook: Tab on to the paste box.
    tab_to(page, "Paste where your browser ended:")
    page.keyboard.type(landing)
    tab_to(page, "Use it")
    page.keyboard.press("Enter")
    panel = nb.locator('.jupyter-widgets.widget-vbox:has(a:text-is("Open Imgur\'s authorize page (a new tab)"))').first
    expect(panel.locator(":scope > .widget-html .widget-html-content").first).to_contain_text(
        "Found an access token for sandbox-user"
    )
    expect(nb.get_by_label("Paste where your browser ended:", exact=True)).to_have_value("")
