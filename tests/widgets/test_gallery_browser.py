"""The gallery browser over the sandbox: browse, search, vote, favorite, open, comment; never acting by itself."""

from __future__ import annotations

import pytest


@pytest.fixture
def browser(signed_in):
    from imgur_kit.widgets import gallery_browser

    calls = []
    widget = gallery_browser(signed_in, on_call=lambda: calls.append(1))
    widget.calls = calls
    return widget


def posts(sandbox):
    return [(m, p) for m, p, _ in sandbox.request_log if m != "GET"]


def test_showing_a_section_draws_cards_with_pictures_and_acts_on_nothing(browser, sandbox):
    sandbox.clear_request_log()
    browser.section.value = "user"
    browser.sort.value = "top"
    browser.show_button.click()
    assert len(browser.grid.children) == 8
    card = browser.grid.children[0]
    assert card.item.id == browser.items[0].id
    picture = card.children[0].value
    assert picture.startswith("<img") and 'alt="Picture of the gallery post: ' in picture
    assert "Showing 8 items" in browser.message.value
    assert posts(sandbox) == []  # browsing posts, votes and favorites nothing
    assert browser.calls  # the meter was told


def test_search_and_an_empty_search(browser):
    browser.search_button.click()
    assert "Type something to search for" in browser.message.value
    browser.query.value = "tag:space"
    browser.search_button.click()
    assert browser.items and all("space" in [t.name for t in item.tags] for item in browser.items)
    browser.query.value = "nothing-matches-this-word"
    browser.search_button.click()
    assert "Nothing found" in browser.message.value and browser.grid.children == ()


def test_votes_and_favorites_happen_on_a_press_only(browser, sandbox):
    browser.show_button.click()
    card = browser.grid.children[0]
    before = sandbox.request_log[:]
    card.up_button.click()
    assert "You voted up" in browser.message.value
    assert browser.session.client.api.gallery.item(card.item.id, album=bool(card.item.is_album)).vote == "up"
    card.favorite_button.click()
    assert "now one of your favorites" in browser.message.value
    card.favorite_button.click()
    assert "no longer one of your favorites" in browser.message.value
    assert len([e for e in sandbox.request_log[len(before) :] if e[0] == "POST"]) == 3


def test_opening_an_item_shows_tags_and_comments_and_a_comment_can_be_posted(browser):
    browser.show_button.click()
    card = browser.grid.children[0]
    assert browser.comment_button.disabled
    card.open_button.click()
    assert "Tags:" in browser.detail.value and "aria-label='Comments'" in browser.detail.value
    browser.comment_box.value = "What a picture!"
    browser.comment_button.click()
    assert "Your comment is posted" in browser.message.value or "What a picture!" in browser.detail.value
    assert "What a picture!" in browser.detail.value
    assert browser.comment_box.value == ""


def test_without_a_sign_in_a_vote_is_a_sentence(session):
    from imgur_kit.widgets import gallery_browser

    widget = gallery_browser(session)
    widget.show_button.click()
    widget.grid.children[0].up_button.click()
    assert "Problem:" in widget.message.value and "Traceback" not in widget.message.value


def test_its_text_says_what_it_is_and_the_plain_way(browser):
    assert "gallery browser" in repr(browser) and "api.gallery.section" in repr(browser)
