"""axe-core over what the kit shows a person: each notebook's widgets and the sandbox's pages.

The check counts violations of impact "serious" or "critical" (axe-core's own
rating), and there must be none. ``axe-playwright-python`` carries axe-core
inside the package: nothing is downloaded while the tests run.

Each notebook's widgets are checked in ``run_all_check.py`` (for both Run All files), right after its
Run All (one Run All per notebook serves both checks), scoped to the rendered widget
views of the visible notebook: JupyterLab's own menus, toolbars and file browser are
not ours to fix and are left out. The sandbox's pages (the
registration form, the page that hands out the keys, the consent page, the PIN
page and the landing page of apps without a callback) are checked whole. Widgets of
the kit that no notebook shows yet are rendered in a scratch notebook and checked too.
"""

from __future__ import annotations

from axe_check import WIDGETS_OF_VISIBLE_NOTEBOOK, report, serious_violations
from lab_driver import expect, named, open_notebook, run_all, wait_for_widgets

from imgur_kit import oauth


def test_the_sandbox_pages_have_no_serious_violations(browser, sandbox):
    # A context of its own: the sandbox's pages need no JupyterLab.
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(30_000)
    tab = context.new_page()
    results = {}
    try:
        # The registration form, then the page that hands out the keys.
        tab.goto(f"{sandbox.base_url}/oauth2/addclient")
        results["registration form"] = serious_violations(tab)
        tab.get_by_label("Application name:").fill("Keyboard app")
        tab.get_by_label("OAuth 2 authorization without a callback URL").check()
        tab.get_by_label("Authorization callback URL:").fill("https://example.org/callback")
        tab.get_by_label("Email:").fill("me@example.com")
        tab.get_by_label("I'm not a robot").check()
        with tab.expect_navigation():
            tab.get_by_role("button", name=named("Submit")).click()
        expect(tab.locator("#client-id")).to_be_visible()
        results["registration done"] = serious_violations(tab)
        client_id = tab.locator("#client-id").inner_text().strip()

        # The consent page, and the PIN page it leads to with response_type=pin.
        tab.goto(oauth.authorize_url(client_id, response_type="pin", base_url=sandbox.base_url))
        expect(tab.get_by_role("button", name="Allow")).to_be_visible()
        results["consent page"] = serious_violations(tab)
        with tab.expect_navigation():
            tab.get_by_role("button", name="Allow").click()
        expect(tab.locator("#pin")).to_be_visible()
        results["PIN page"] = serious_violations(tab)

        # Where an app without a callback lands after Allow (token flow).
        tab.goto(oauth.authorize_url(client_id, base_url=sandbox.base_url))
        with tab.expect_navigation():
            tab.get_by_role("button", name="Allow").click()
        expect(tab.locator("#landed-url")).to_contain_text("access_token=")
        results["landing page"] = serious_violations(tab)
    finally:
        context.close()
    messages = [report(where, found) for where, found in results.items()]
    assert not any(results.values()), "\n".join(m for m, f in zip(messages, results.values()) if f)


# Widgets of the kit that no notebook shows yet: rendered in a scratch notebook of their own.
SCRATCH_CELLS = [
    "from imgur_kit.notebook import connect\nkit = connect()",
    "from imgur_kit.widgets import postman_export_panel\npostman_export_panel()",
    "from imgur_kit.widgets import login_widget\nlogin_widget(kit)",
]


def test_widgets_outside_the_notebooks_have_no_serious_violations(lab, page):
    import nbformat

    scratch = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in SCRATCH_CELLS])
    # A kernel named up front, or Lab would ask which one in a dialog.
    scratch.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = lab.root / "zz-accessibility-scratch.ipynb"
    nbformat.write(scratch, path)
    try:
        open_notebook(page, lab, path.name)
        run_all(page)
        wait_for_widgets(page, len(SCRATCH_CELLS) - 1)
        found = serious_violations(page, {"include": [[WIDGETS_OF_VISIBLE_NOTEBOOK]]})
    finally:
        path.unlink()
    assert not found, report("postman_export_panel and login_widget", found)
    report("postman_export_panel and login_widget", found)
