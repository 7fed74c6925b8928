"""Images and albums of the sandbox: uploads kept on disk, albums of them, and their edits.

A part of :class:`~.state.State` (mixed in, like :class:`~.social_state.SocialState`), kept in
its own file because it is its own subject. The records live in State's dictionaries and the
bytes in its blob folder; every method holds the state's transaction, like the rest of State.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Callable, Optional

from . import ids
from .blobs import BlobFile, Blobs
from .models import Album, Image
from .spool import Value


class MediaState:
    """The images-and-albums part of the sandbox's memory (see the module docstring)."""

    _images: dict[str, Image]
    _albums: dict[str, Album]
    _blobs: Blobs
    _transaction: Callable[[], AbstractContextManager[None]]
    _changed: Callable[[], None]
    now: Callable[[], float]

    # -- images ------------------------------------------------------------

    def upload_folder(self) -> Path:
        """Where a request's large values are written as they arrive (the images' folder, so
        that keeping one as an image is a rename)."""
        return self._blobs.folder()

    def add_image(self, content: Value | bytes, **fields) -> Image:
        """Keep an uploaded image and its bytes (a Value's file is moved into place)."""
        if isinstance(content, (bytes, bytearray)):
            content = Value.of(bytes(content))
        with self._transaction():
            image_id = self._fresh_id()
            image = Image(
                id=image_id, deletehash=ids.deletehash(), datetime=int(self.now()), size=content.size, **fields
            )
            self._blobs.keep(image_id, content)
            self._images[image_id] = image
            self._changed()
            return image

    def find_image(self, id_or_deletehash: str) -> tuple[Optional[Image], bool]:
        """(image, found_by_deletehash) for an id or a deletehash."""
        with self._transaction():
            return _by_id_or_deletehash(self._images, id_or_deletehash)

    def image_file(self, image_id: str, *, count_view: bool = True) -> Optional[BlobFile]:
        """The file of an image, opened for serving (and count a view, as serving it does live);
        None when it is gone or is no longer the file the sandbox wrote. The caller closes it."""
        with self._transaction():
            image = self._images.get(image_id)
            if image is None:
                return None
            found = self._blobs.open(image_id, image.size)
            if found is not None and count_view:
                image.views += 1
            return found

    def image_bytes(self, image_id: str, *, count_view: bool = True) -> Optional[bytes]:
        """The bytes of an image (and count a view); for small pictures, see :meth:`image_file`."""
        found = self.image_file(image_id, count_view=count_view)
        return found.read() if found is not None else None

    def delete_image(self, image_id: str) -> None:
        """Remove an image, its bytes, and its place in albums."""
        with self._transaction():
            self._images.pop(image_id, None)
            self._blobs.delete(image_id)
            for album in self._albums.values():
                if image_id in album.image_ids:
                    album.image_ids.remove(image_id)
                if album.cover == image_id:
                    album.cover = album.image_ids[0] if album.image_ids else None
            self._changed()

    def image(self, image_id: Optional[str]) -> Optional[Image]:
        """The image with this id (not its deletehash), or None."""
        with self._transaction():
            return self._images.get(image_id or "")

    def images_in(self, image_ids: list[str]) -> list[Image]:
        """The images with these ids, in that order; ids of deleted images are skipped."""
        with self._transaction():
            return [self._images[i] for i in image_ids if i in self._images]

    def images_of(self, username: str) -> list[Image]:
        """A user's images, newest first."""
        with self._transaction():
            mine = [i for i in self._images.values() if i.owner == username]
            return sorted(mine, key=lambda i: i.datetime, reverse=True)

    # -- albums ------------------------------------------------------------

    def add_album(self, image_ids: list[str], **fields) -> Album:
        """Make an album of existing images."""
        with self._transaction():
            album = Album(
                id=self._fresh_id(),
                deletehash=ids.deletehash(),
                datetime=int(self.now()),
                image_ids=list(image_ids),
                **fields,
            )
            if album.cover not in album.image_ids:
                album.cover = album.image_ids[0] if album.image_ids else None
            self._albums[album.id] = album
            self._changed()
            return album

    def find_album(self, id_or_deletehash: str) -> tuple[Optional[Album], bool]:
        """(album, found_by_deletehash) for an id or a deletehash."""
        with self._transaction():
            return _by_id_or_deletehash(self._albums, id_or_deletehash)

    def album(self, album_id: str) -> Optional[Album]:
        """The album with this id (not its deletehash), or None."""
        with self._transaction():
            return self._albums.get(album_id)

    def add_to_album(self, album_id: str, image_id: str) -> None:
        """Append an image to an album."""
        with self._transaction():
            album = self._albums.get(album_id)
            if album is None:
                return
            if image_id not in album.image_ids:
                album.image_ids.append(image_id)
            if album.cover is None:
                album.cover = image_id
            self._changed()

    def delete_album(self, album_id: str) -> None:
        """Remove an album (its images stay)."""
        with self._transaction():
            self._albums.pop(album_id, None)
            self._changed()

    def _fresh_id(self) -> str:
        # Images and albums share one id space, as on imgur.com.
        while True:
            candidate = ids.short_id()
            if candidate not in self._images and candidate not in self._albums:
                return candidate

    # -- image and album edits ---------------------------------------------

    def update_image(self, image_id: str, changes: dict[str, Optional[str]]) -> None:
        """Change an image's title and/or description (keys absent from ``changes`` stay)."""
        with self._transaction():
            image = self._images.get(image_id)
            if image is None:
                return
            for name in ("title", "description"):
                if name in changes:
                    setattr(image, name, changes[name])
            self._changed()

    def update_album(self, album_id: str, changes: dict[str, Any]) -> None:
        """Change an album's title, description, privacy, cover, or (``image_ids``) its whole set."""
        with self._transaction():
            album = self._albums.get(album_id)
            if album is None:
                return
            for name in ("title", "description", "privacy", "cover"):
                if name in changes:
                    setattr(album, name, changes[name])
            if "image_ids" in changes:
                album.image_ids = [i for i in dict.fromkeys(changes["image_ids"]) if i in self._images]
            self._fix_cover(album)
            self._changed()

    def add_images_to_album(self, album_id: str, image_ids: list[str]) -> None:
        """Append images to an album (those already in it keep their place)."""
        with self._transaction():
            album = self._albums.get(album_id)
            if album is None:
                return
            for image_id in image_ids:
                if image_id in self._images and image_id not in album.image_ids:
                    album.image_ids.append(image_id)
            self._fix_cover(album)
            self._changed()

    def remove_images_from_album(self, album_id: str, image_ids: list[str]) -> None:
        """Take images out of an album (the images themselves stay)."""
        with self._transaction():
            album = self._albums.get(album_id)
            if album is None:
                return
            album.image_ids = [i for i in album.image_ids if i not in image_ids]
            self._fix_cover(album)
            self._changed()

    @staticmethod
    def _fix_cover(album: Album) -> None:
        # A cover must be one of the album's images; otherwise the first one is.
        if album.cover not in album.image_ids:
            album.cover = album.image_ids[0] if album.image_ids else None

    def albums_of(self, username: str) -> list[Album]:
        """A user's albums, newest first."""
        with self._transaction():
            mine = [a for a in self._albums.values() if a.owner == username]
            return sorted(mine, key=lambda a: a.datetime, reverse=True)


def _by_id_or_deletehash(records: dict[str, Any], key: str) -> tuple[Optional[Any], bool]:
    """(record, found_by_deletehash): images and albums are both named either way."""
    if key in records:
        return records[key], False
    for record in records.values():
        if record.deletehash == key:
            return record, True
    return None, False
