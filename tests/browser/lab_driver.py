"""What a person does in JupyterLab, as functions over a Playwright page.

Open a notebook, wait for its kernel, Run All, wait until every cell ran, read
what the page shows. Reaching into ``window.jupyterapp`` (exposed with
``--LabApp.expose_app_in_browser``) is only for *waiting* and *reading state*;
everything a person would click or type goes through the page itself.
"""

from __future__ import annotations

import os
import re
import time
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import committed
import pytest
from loopback import free_port  # noqa: F401 - the browser tests take it from here

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the same rule as conftest.browser_available: skip here, fail in CI
    if os.environ.get("IMGUR_KIT_REQUIRE_BROWSER", "").strip() == "1":
        raise
    pytest.skip("the Python package playwright is not installed (pip install -e '.[test]')", allow_module_level=True)

# expect()'s own default is 5 s; a button's answer passes through the kernel and a sandbox,
# which a busy two-core CI machine can take longer than that to bring back.
expect.set_options(timeout=20_000)

# The current notebook panel and its kernel, as JavaScript expressions.
_PANEL = "window.jupyterapp && window.jupyterapp.shell.currentWidget"
_KERNEL = (
    f"(() => {{ const w = {_PANEL}; const s = w && w.sessionContext && w.sessionContext.session;"
    " return s && s.kernel; })()"
)

# A cell whose output shows a widget's text/plain repr instead of the widget: every kit widget's
# repr starts "A widget: " (and names its "No widgets?" way), plain ipywidgets print as "HBox(children=...".
WIDGET_REPR = re.compile(
    r"No widgets\?|^A widget: |\b[HV]Box\(children=|\bchildren=\(|"
    r"Error displaying widget|Loading widget"
)

NOTEBOOKS = committed.names()

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
STDERR_MIME = "application/vnd.jupyter.stderr"


def committed_widget_outputs(name: str) -> int:
    """How many widget outputs the committed notebook ``name`` shows (each must render as a widget)."""
    notebook = committed.load(name)
    return sum(
        1
        for c in notebook["cells"]
        if c["cell_type"] == "code"
        for output in c.get("outputs", [])
        if WIDGET_MIME in output.get("data", {})
    )


def open_notebook(page: Page, lab, name: str, *, timeout: float = 90_000):
    """Open *name* in a fresh Lab layout and wait for an idle kernel; return the notebook panel locator."""
    page.goto(lab.tree_url(name))
    page.wait_for_function(
        f"() => {{ const w = {_PANEL}; const k = {_KERNEL};"
        f" return !!w && w.context && w.context.path.endsWith({name!r}) && !!k && k.status === 'idle'; }}",
        timeout=timeout,
    )
    # Fold the file browser away: the notebook is what a person looks at (and what screenshots show).
    page.evaluate("() => window.jupyterapp.shell.collapseLeft()")
    return page.locator(".jp-NotebookPanel:visible")


def run_all(page: Page, *, timeout: float = 240_000) -> None:
    """Clear the saved outputs (so an execution count proves *this* run), Run All, and wait.

    Done means: the kernel is idle, no cell is queued or running, and every code cell
    has an execution count (a cell left without one means Run All stopped early).
    """
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    page.wait_for_function(
        f"() => {{ const w = {_PANEL}; return w.content.widgets.every("
        " c => c.model.type !== 'code' || c.model.executionCount === null); }"
    )
    # Through the Run menu, as a person does; the command promise ends when the cells are sent.
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    wait_until_finished(page, timeout=timeout)


def wait_until_finished(page: Page, *, timeout: float = 240_000) -> None:
    """Wait until the kernel is idle, no cell shows the busy prompt ``[*]``, and either every code
    cell has an execution count or an error stopped the run; twice in a row, 0.4 s apart."""
    deadline = time.monotonic() + timeout / 1000
    quiet = 0
    while quiet < 2:
        remaining = max(1, int((deadline - time.monotonic()) * 1000))
        page.wait_for_function(
            f"() => {{ const k = {_KERNEL}; const w = {_PANEL};"
            " if (!k || k.status !== 'idle') return false;"
            " const code = w.content.widgets.filter(c => c.model.type === 'code');"
            " if (code.some(c => c.promptNode && c.promptNode.textContent.includes('*'))) return false;"
            " const failed = code.some(c => c.model.outputs.toJSON().some(o => o.output_type === 'error'));"
            " return failed || code.every(c => c.model.executionCount !== null); }",
            timeout=remaining,
        )
        quiet += 1
        page.wait_for_timeout(400)


def cells_without_count(page: Page) -> list[int]:
    """Indexes of code cells that have no execution count (never ran)."""
    return page.evaluate(
        f"() => {{ const w = {_PANEL}; const out = [];"
        " w.content.widgets.forEach((c, i) => {"
        "   if (c.model.type === 'code' && c.model.executionCount === null) out.push(i); });"
        " return out; }"
    )


def model_outputs(page: Page) -> list[dict]:
    """Every output in the notebook model as ``{cell, output_type, mimes, text}`` (what would be saved)."""
    return page.evaluate(
        f"() => {{ const w = {_PANEL}; const out = [];"
        " w.content.widgets.forEach((c, i) => { if (c.model.type !== 'code') return;"
        "   for (const o of c.model.outputs.toJSON()) {"
        "     const data = o.data || {};"
        "     const text = o.text || (data['text/plain'] || '') || ((o.traceback || []).join('\\n'));"
        "     out.push({cell: i, output_type: o.output_type, mimes: Object.keys(data),"
        "               text: Array.isArray(text) ? text.join('') : String(text),"
        "               ename: o.ename || null, name: o.name || null}); } });"
        " return out; }"
    )


# Top-level outputs of the visible notebook that rendered as a live widget (the widget
# renderer sets no data-mime-type; a widget that failed falls back to its text/plain repr).
_WIDGET_OUTPUTS = (
    "Array.from(document.querySelectorAll("
    "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output'))"
    ".filter(e => !e.parentElement.closest('.jupyter-widgets') && e.querySelector('.jupyter-widgets'))"
)


def wait_for_widgets(page: Page, expected: int, *, timeout: float = 60_000) -> None:
    """Wait until *expected* outputs have rendered into real widget DOM."""
    page.wait_for_function(f"() => {_WIDGET_OUTPUTS}.length >= {expected}", timeout=timeout)


def widget_output_texts(page: Page) -> list[str]:
    """The visible text of each output that rendered as a widget."""
    return page.evaluate(f"() => {_WIDGET_OUTPUTS}.map(e => e.innerText)")


def output_areas(nb, mime: str):
    """Output elements of the visible notebook rendered with *mime*."""
    return nb.locator(f'.jp-OutputArea-output[data-mime-type="{mime}"]')


def cell(nb, index: int):
    """The *index*-th cell of the notebook (markdown cells count too)."""
    return nb.locator(".jp-Notebook .jp-Cell").nth(index)


def scroll_to(locator) -> None:
    """Scroll *locator* into view, near the top, for a screenshot that reads naturally."""
    locator.evaluate("e => e.scrollIntoView({block: 'start'})")


def save_notebook(page: Page) -> None:
    """File > Save (docmanager:save): saves the file, then creates its checkpoint."""
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    page.wait_for_function(f"() => {{ const w = {_PANEL}; return !w.context.model.dirty; }}")


def shutdown_kernel(page: Page) -> None:
    """Kernel > Shut Down Kernel, without the dialog."""
    page.evaluate(f"() => {{ const w = {_PANEL}; return w.sessionContext.shutdown(); }}")


def keep_kernel_busy(page: Page, seconds: float) -> None:
    """Have the kernel run ``time.sleep(seconds)``, as a cell still running would, without adding a cell.

    Widget messages sent meanwhile queue behind it, as they do for a person who types
    into a form while the cells below it are still running.
    """
    page.evaluate(f"() => {{ {_KERNEL}.requestExecute({{code: 'import time; time.sleep({seconds})'}}); }}")
    page.wait_for_function(f"() => {_KERNEL}.status === 'busy'")


def expect_text(locator, pattern, *, timeout: float = 30_000) -> None:
    """The locator's text eventually matches *pattern* (a string to contain, or a regex)."""
    expect(locator).to_contain_text(pattern, timeout=timeout)


# -- what a person does in the other tabs ----------------------------------------------------

AUTHORIZE_LINK = "Open Imgur's authorize page (a new tab)"


def named(label: str):
    """A button's accessible name: ipywidgets buttons with an icon start with the icon's glyph
    (Font Awesome's CSS content), so match the label at the end, whole."""
    return re.compile(rf"(^|\W){re.escape(label)}$")


def with_state(url: str, state: str) -> str:
    """*url* with its ``state`` query parameter replaced (what a forger would send back)."""
    parts = urlsplit(url)
    query = [(k, state if k == "state" else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def open_in_new_tab(context, link):
    """Click a link that opens a new tab; return that tab once it has loaded."""
    with context.expect_page() as opened:
        link.click()
    tab = opened.value
    tab.wait_for_load_state()
    return tab


def consent_and_land(context, nb, button: str, *, shot=None, shot_name=None) -> str:
    """Follow the panel's authorize link, press *button* on the consent page, return the landing URL.

    Nothing listens on the callback port during the paste flow, so the tab ends on the
    browser's own "cannot be reached" page. A person copies the address bar there; Playwright
    cannot read an error page's address (it reports chrome-error://), so the address is read
    from the redirect the browser was told to follow, which is what the address bar shows.
    """
    tab = open_in_new_tab(context, nb.get_by_role("link", name=AUTHORIZE_LINK))
    expect(tab.get_by_role("button", name=named("Allow"))).to_be_visible()
    if shot is not None:
        shot(tab, shot_name)
    consent_url = tab.url
    with tab.expect_response(lambda r: r.request.method == "POST" and "/oauth2/authorize" in r.url) as answer:
        tab.get_by_role("button", name=named(button)).click()
    assert answer.value.status == 302, f"the consent page answered {answer.value.status}"
    landing = urljoin(consent_url, answer.value.headers["location"])
    tab.close()
    return landing


def register_in_browser(context, nb, callback_url: str, shot=None) -> tuple[str, str]:
    """Open the form from the notebook's link, fill it in by label, tick the captcha, submit."""
    form = open_in_new_tab(context, nb.locator("a[href$='/oauth2/addclient']").first)
    form.get_by_label("Application name:").fill("My notebook app")
    form.get_by_label("OAuth 2 authorization with a callback URL").check()
    form.get_by_label("Authorization callback URL:").fill(callback_url)
    form.get_by_label("Email:").fill("me@example.com")
    form.get_by_label("Description:").fill("Trying imgur-kit in JupyterLab")
    form.get_by_label("I'm not a robot").check()
    if shot is not None:
        shot(form, "02-register-form.png")
    with form.expect_navigation():
        form.get_by_role("button", name=named("Submit")).click()
    client_id = form.locator("#client-id").inner_text().strip()
    secret = form.locator("#client-secret").inner_text().strip()
    form.close()
    assert re.fullmatch(r"[0-9a-f]{15}", client_id), client_id
    assert re.fullmatch(r"[0-9a-f]{40}", secret), "the secret is not 40 hex characters"
    return client_id, secret


def index_of_cell(nb, text: str) -> int:
    """Index of the first code cell whose source contains *text* (read from the model:
    cells scrolled out of view are not laid out, so their DOM text is empty)."""
    sources = nb.evaluate(
        f"() => {{ const w = {_PANEL}; return w.content.widgets.map("
        " c => c.model.type === 'code' ? c.model.sharedModel.getSource() : ''); }"
    )
    return next(i for i, source in enumerate(sources) if text in source)
