"""The whole journey as a person does it, in a real JupyterLab and a real browser.

Register an application on the sandbox's form (a second tab), type the Client ID
and secret into the credentials widget of notebook 02, follow the authorize link
of notebook 03, press Allow, paste where the browser ended, watch the local
capture do the same by itself, see who is signed in, upload in notebook 04 and
see the picture; a denial and a forged state each answer with their sentence.

The notebooks' own "sandbox stand-in" cells run too (Run All), so each widget is
also checked to react to the person after the stand-in has used it.
"""

from __future__ import annotations

from lab_driver import (
    AUTHORIZE_LINK,
    cell,
    consent_and_land,
    expect,
    free_port,
    index_of_cell,
    named,
    open_in_new_tab,
    open_notebook,
    register_in_browser,
    run_all,
    scroll_to,
    shutdown_kernel,
    with_state,
)

from imgur_kit.tokens import mask


def test_register_authorize_and_upload_like_a_person(lab, context, page, shot):
    callback = f"http://localhost:{free_port()}/callback"

    # -- 02: register on the sandbox's form, then the credentials widget --------------------
    nb = open_notebook(page, lab, "02-register-an-application.ipynb")
    run_all(page)
    client_id, secret = register_in_browser(context, nb, callback, shot)
    page.bring_to_front()
    id_box = nb.get_by_label("Client ID:", exact=True)
    secret_box = nb.get_by_label("Client Secret:", exact=True)
    form = nb.locator(".jupyter-widgets.widget-vbox:has(input[type=password])").first
    id_box.fill(client_id)
    secret_box.fill(secret)
    nb.get_by_role("button", name=named("Verify")).click()
    message = form.locator(".widget-html-content").last
    expect(message).to_contain_text(f"The sandbox knows practice app {mask(client_id)}")
    expect(secret_box).to_have_value("")  # emptied as soon as it was read
    nb.get_by_role("button", name=named("Save")).click()
    expect(message).to_contain_text(
        f"Saved practice app Client ID {mask(client_id)} and Client Secret {mask(secret)} to "
    )
    expect(message).to_contain_text("a file only your user account can read")
    assert secret not in page.content()
    scroll_to(cell(nb, index_of_cell(nb, "credentials_form(kit)")))
    shot(page, "02-credentials.png")
    shutdown_kernel(page)  # one sandbox writer at a time on the shared state folder

    # -- 03: authorize, paste flow ----------------------------------------------------------
    nb = open_notebook(page, lab, "03-authorize-with-oauth.ipynb")
    run_all(page)
    panel = nb.locator(f'.jupyter-widgets.widget-vbox:has(a:text-is("{AUTHORIZE_LINK}"))').first
    panel_message = panel.locator(":scope > .widget-html .widget-html-content").first
    # The notebook uses the app saved from the widget: the link carries its Client ID.
    href = nb.get_by_role("link", name=AUTHORIZE_LINK).get_attribute("href")
    assert f"client_id={client_id}" in href

    landing = consent_and_land(context, nb, "Allow", shot=shot, shot_name="03-consent.png")
    assert landing.startswith(callback) and "#access_token=" in landing, landing
    paste_box = nb.get_by_label("Paste where your browser ended:", exact=True)
    paste_box.fill(landing)
    nb.get_by_role("button", name=named("Use it")).click()
    expect(panel_message).to_contain_text("Found an access token for sandbox-user")
    expect(paste_box).to_have_value("")  # the address carried the token
    scroll_to(cell(nb, index_of_cell(nb, "authorize_panel(kit)")))
    shot(page, "03-authorized.png")

    # -- a denial, then a forged state --------------------------------------------------------
    denied = consent_and_land(context, nb, "Deny")
    assert "error=access_denied" in denied, denied
    paste_box.fill(denied)
    nb.get_by_role("button", name=named("Use it")).click()
    expect(panel_message).to_contain_text("Access was denied")

    allowed = consent_and_land(context, nb, "Allow")
    paste_box.fill(with_state(allowed, "forged-by-someone-else"))
    nb.get_by_role("button", name=named("Use it")).click()
    expect(panel_message).to_contain_text("The state in the pasted address does not match")

    # -- the local capture: the panel hears the redirect by itself -------------------------------
    nb.get_by_label("Callback URL registered for your app:", exact=True).fill(callback)
    nb.get_by_role("button", name=named("Capture automatically")).click()
    expect(panel).to_contain_text(f"Listening on {callback}")
    tab = open_in_new_tab(context, nb.get_by_role("link", name=AUTHORIZE_LINK))
    with tab.expect_navigation():
        tab.get_by_role("button", name=named("Allow")).click()
    expect(tab.locator("#status")).to_have_text("Received. You can close this tab and go back to your notebook.")
    assert "access_token" not in tab.url  # the hand-back page cleaned the address bar
    tab.close()
    expect(panel_message).to_contain_text("Found an access token for sandbox-user")
    expect(panel).to_contain_text("Imgur's redirect arrived; the listener has stopped.")

    # -- the token panel --------------------------------------------------------------------------
    nb.get_by_role("button", name=named("Check again")).click()
    token_status = nb.locator(".jupyter-widgets.widget-vbox:has(button:has-text('Check again'))").first
    expect(token_status).to_contain_text("Signed in as sandbox-user")
    shutdown_kernel(page)

    # -- 04: upload and see the picture ----------------------------------------------------------
    nb = open_notebook(page, lab, "04-first-api-calls.ipynb")
    run_all(page)
    uploader = nb.locator(".jupyter-widgets.widget-vbox:has(button:has-text('Upload'))").first
    before = uploader.inner_text()
    nb.get_by_role("button", name=named("Upload")).click()
    expect(uploader).not_to_have_text(before)
    expect(uploader).to_contain_text("Uploaded: http://127.0.0.1:")
    picture = uploader.locator("img")
    expect(picture).to_be_visible()
    picture.evaluate("img => img.decode()")
    assert picture.evaluate("img => img.naturalWidth") > 0
    scroll_to(cell(nb, index_of_cell(nb, "upload_panel(kit)")))
    shot(page, "04-upload.png")
