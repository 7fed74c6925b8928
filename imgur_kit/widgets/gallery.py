"""The gallery browser: pick a section and a sort or search, see a grid of pictures, vote, favorite, open one.

Everything goes through ``client.api`` (so the rate-limit meter beside it moves with each
call), and nothing is posted, voted or favorited except when the person presses the button:
the widget never acts on its own, in the sandbox or on the real Imgur. Pictures are drawn as
``<img>`` with alt text (ipywidgets' Image widget has none, so a screen reader could not name it).
"""

from __future__ import annotations

import html
from typing import Callable, Optional

import ipywidgets as widgets

from imgur_kit.api import Comment, GalleryItem
from imgur_kit.steps import Session
from imgur_kit.steps.explaining import explain
from imgur_kit.widgets.phrasing import LABEL_STYLE, PlainRepr, note_html, ok_html, problem_html
from imgur_kit.widgets.upload import picture_html

SECTIONS = [("Most viral (hot)", "hot"), ("Top", "top"), ("Newest from users", "user")]
SORTS = [("Viral", "viral"), ("Top", "top"), ("Newest", "time"), ("Rising", "rising")]
#: Cards shown at once: enough to browse, few enough to fetch quickly.
CARDS = 8


class Card(widgets.VBox):
    """One gallery item: its picture, title and score, and the buttons that act on it."""

    def __init__(self, item: GalleryItem, picture: str, act: Callable[[str, GalleryItem], None]) -> None:
        self.item = item
        title = item.title or "(no title)"
        self.heading = widgets.HTML(f"<b>{html.escape(title)}</b>")
        self.score = widgets.HTML(note_html(_score(item)))
        # Not "open": every widget has an open() method of its own.
        self.up_button = widgets.Button(description="Vote up", icon="thumbs-up", tooltip=f"Vote up: {title}")
        self.down_button = widgets.Button(description="Vote down", icon="thumbs-down", tooltip=f"Vote down: {title}")
        self.favorite_button = widgets.Button(description="Favorite", icon="star", tooltip=f"Favorite: {title}")
        self.open_button = widgets.Button(description="Open", icon="comments", tooltip=f"Comments and tags: {title}")
        buttons = (
            (self.up_button, "up"),
            (self.down_button, "down"),
            (self.favorite_button, "favorite"),
            (self.open_button, "open"),
        )
        for button, action in buttons:
            button.layout = widgets.Layout(width="auto")
            button.on_click(lambda _b, action=action: act(action, self.item))
        super().__init__(
            children=[
                widgets.HTML(picture),
                self.heading,
                self.score,
                widgets.HBox([self.up_button, self.down_button]),
                widgets.HBox([self.favorite_button, self.open_button]),
            ],
            layout=widgets.Layout(border="1px solid #ccc", padding="6px", width="220px"),
        )


def _score(item: GalleryItem) -> str:
    return f"{item.points or 0} points · {item.comment_count or 0} comments"


def _comment_lines(comments: list[Comment], depth: int = 0, limit: int = 6) -> list[str]:
    lines: list[str] = []
    for comment in comments[:limit]:
        who = html.escape(comment.author or "?")
        said = html.escape(comment.comment or "")
        lines.append(f"<li style='margin-left:{depth * 1.5}em'><b>{who}</b>: {said} ({comment.points or 0})</li>")
        lines += _comment_lines(comment.children or [], depth + 1, limit=3)
    return lines


class GalleryBrowser(PlainRepr, widgets.VBox):
    """Browse and search the gallery; vote, favorite, open an item and comment.

    Parts: ``section``, ``sort`` (Dropdowns), ``query`` (Text), ``show_button``,
    ``search_button``, ``grid`` (the cards, each a :class:`Card`), ``detail`` (the opened
    item with its tags and comments), ``comment_box`` and ``comment_button``, ``message``.
    ``items`` holds the items shown; ``acted`` the votes and favorites pressed; ``opened`` the one
    opened; ``on_call`` is called after every call (the notebook hands it the meter's ``update``).
    """

    _title = "the gallery browser: sections, search, pictures, votes and comments"
    _alternative = 'kit.client.api.gallery.section("hot") and kit.client.api.gallery.search("cats")'

    def __init__(self, session: Session, *, on_call: Optional[Callable[[], None]] = None) -> None:
        self.session = session
        self.on_call = on_call
        self.items: list[GalleryItem] = []
        #: (action, item id) of each vote or favorite the person made with a button.
        self.acted: list[tuple[str, str]] = []
        self.opened: Optional[GalleryItem] = None
        self.section = widgets.Dropdown(options=SECTIONS, value="hot", description="Section:", style=LABEL_STYLE)
        self.sort = widgets.Dropdown(options=SORTS, value="viral", description="Sort:", style=LABEL_STYLE)
        self.show_button = widgets.Button(description="Show", icon="images", tooltip="Show this part of the gallery")
        self.query = widgets.Text(
            description="Search:", placeholder="cats, user:name, tag:space", style=LABEL_STYLE, continuous_update=False
        )
        self.search_button = widgets.Button(description="Search", icon="search", tooltip="Search the gallery")
        self.message = widgets.HTML()
        self.grid = widgets.GridBox(layout=widgets.Layout(grid_template_columns="repeat(auto-fill, 230px)"))
        self.detail = widgets.HTML()
        self.comment_box = widgets.Text(
            description="Your comment:",
            placeholder="at most 140 characters",
            style=LABEL_STYLE,
            continuous_update=False,
        )
        self.comment_button = widgets.Button(description="Post comment", icon="paper-plane", disabled=True)
        self.show_button.on_click(lambda _b: self.show())
        self.search_button.on_click(lambda _b: self.search())
        self.comment_button.on_click(lambda _b: self.post_comment())
        super().__init__(
            children=[
                widgets.HBox([self.section, self.sort, self.show_button]),
                widgets.HBox([self.query, self.search_button]),
                self.message,
                self.grid,
                self.detail,
                widgets.HBox([self.comment_box, self.comment_button]),
            ]
        )

    # -- what the buttons do --------------------------------------------------------------

    def show(self) -> None:
        """Show the first cards of the chosen section and sort."""
        self._fill(lambda api: api.gallery.section(self.section.value, self.sort.value), f"{self.section.label}")

    def search(self) -> None:
        """Show the first cards that match the search words."""
        words = self.query.value.strip()
        if not words:
            self.message.value = problem_html("Type something to search for first, such as cats or tag:space.")
            return
        self._fill(lambda api: api.gallery.search(words), f"results for “{words}”")

    def act(self, action: str, item: GalleryItem) -> None:
        """What a card's button asks for: "up", "down", "favorite" or "open"."""
        api = self.session.client.api
        try:
            if action in ("up", "down"):
                api.gallery.vote(item.id or "", action)
                sentence = f"You voted {action} “{item.title}”."
            elif action == "favorite":
                favorite = api.album.favorite if item.is_album else api.image.favorite
                now = favorite(item.id or "")
                sentence = f"“{item.title}” is {'now one of' if now else 'no longer one of'} your favorites."
            else:
                self.open_item(item)
                return
        except Exception as exc:  # noqa: BLE001 - a sentence, never a traceback
            self.message.value = problem_html(explain(exc))
        else:
            self.acted.append((action, item.id or ""))
            self.message.value = ok_html(sentence)
        self._called()

    def open_item(self, item: GalleryItem) -> None:
        """Show an item's tags and comments below the grid, and let the person comment on it."""
        api = self.session.client.api
        try:
            comments = api.gallery.comments(item.id or "")
            tags = api.gallery.item_tags(item.id or "")
        except Exception as exc:  # noqa: BLE001
            self.message.value = problem_html(explain(exc))
            self._called()
            return
        self.opened = item
        names = ", ".join(html.escape(t.name or "") for t in tags) or "none"
        lines = _comment_lines(comments) or ["<li>No comments yet.</li>"]
        self.detail.value = (
            f"<h3>{html.escape(item.title or '(no title)')}</h3><p>Tags: {names}</p>"
            f"<p>{html.escape(_score(item))}</p><ul aria-label='Comments'>{''.join(lines)}</ul>"
        )
        self.comment_button.disabled = False
        self.message.value = note_html(f"Opened “{item.title}”: its tags and comments are below the pictures.")
        self._called()

    def post_comment(self) -> None:
        """Post the typed comment on the opened item (only when the button is pressed)."""
        text = self.comment_box.value.strip()
        if self.opened is None or not text:
            self.message.value = problem_html("Open an item and type a comment first.")
            return
        try:
            number = self.session.client.api.gallery.comment(self.opened.id or "", text)
        except Exception as exc:  # noqa: BLE001
            self.message.value = problem_html(explain(exc))
            self._called()
            return
        self.comment_box.value = ""
        self.message.value = ok_html(f"Your comment is posted (comment number {number}).")
        self.open_item(self.opened)

    # -- drawing ------------------------------------------------------------------------------

    def _fill(self, fetch: Callable, what: str) -> None:
        client = self.session.client
        try:
            items = fetch(client.api)[:CARDS]
            cards = [Card(item, self._picture(item), self.act) for item in items]
        except Exception as exc:  # noqa: BLE001
            self.message.value = problem_html(explain(exc))
            self._called()
            return
        self.items = items
        self.grid.children = cards
        self.message.value = note_html(f"Showing {len(items)} items: {what}." if items else f"Nothing found: {what}.")
        self._called()

    def _picture(self, item: GalleryItem) -> str:
        link = item.picture_link
        alt = f"Picture of the gallery post: {item.title or 'no title'}"
        if not link:
            return note_html("(no picture)")
        try:
            data = self.session.client.fetch(link)
        except Exception:  # noqa: BLE001 - a card without its picture is still a card
            return note_html("(the picture could not be loaded)")
        kind = "gif" if data[:4] == b"GIF8" else "jpeg" if data[:2] == b"\xff\xd8" else "png"
        return picture_html(data, kind, alt).replace("max-width: 320px", "max-width: 200px; max-height: 150px")

    def _called(self) -> None:
        if self.on_call is not None:
            self.on_call()


def gallery_browser(session: Session, *, on_call: Optional[Callable[[], None]] = None) -> GalleryBrowser:
    """Browse, search, vote, favorite and comment in the gallery (never acting without a button press).

    No widgets? ``kit.client.api.gallery.section("hot")``, ``.search("cats")``, ``.vote(id, "up")``.
    """
    return GalleryBrowser(session, on_call=on_call)
