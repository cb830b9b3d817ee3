"""Released versions' notices, checked once and kept in the build cache: a released version never changes, so
the next build (or `mkdocs serve` session) takes its checked notice from there instead of checking it again.

The key is what a released notice is made from (model.site.snapshot_inputs: its snapshot's files and the
site strings) and the generator's code (core.build_cache.cache_key), so a change of either checks it anew.
Only a notice whose check found no error is ever kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from noticegen.core.build_cache import BuildCache, cache_key
from noticegen.model.notice_codec import UncodableError, notice_from_text, notice_text
from noticegen.model.site import checked_for_inputs, remember_released


class StoredNotices:
    """The checked notices of a project's released versions in `cache`."""

    def __init__(self, cache: BuildCache, root: Path) -> None:
        self.cache = cache
        self.root = root
        # The versions `recall` did not find, until they are kept (or were kept by another process).
        self.missed: set[str] = set()

    @staticmethod
    def key(version_id: str, inputs: str) -> str:
        return cache_key("released-notice", version_id, inputs)

    def recall(self, version_ids: Sequence[str]) -> None:
        """Each of these versions this process has not checked, taken from the cache where it holds it; the
        others are noted, for `keep` once they are checked."""
        for version_id in version_ids:
            inputs, notice = checked_for_inputs(self.root, version_id)
            if notice is not None:
                continue
            text = self.cache.get(self.key(version_id, inputs))
            try:
                if text is None:
                    raise UncodableError("no entry")
                remember_released(self.root, version_id, notice_from_text(text))
            except UncodableError:
                self.missed.add(version_id)

    def kept_elsewhere(self, version_ids: Iterable[str]) -> None:
        """These versions were checked and written to the cache by another process (a forked check)."""
        self.missed.difference_update(version_ids)

    def keep(self, version_ids: Iterable[str] | None = None) -> None:
        """The versions `recall` missed (of `version_ids`, when given) that this process checked since, written
        to the cache under what they were checked from."""
        for version_id in sorted(self.missed if version_ids is None else self.missed & set(version_ids)):
            self.missed.discard(version_id)
            inputs, notice = checked_for_inputs(self.root, version_id)
            if notice is None:
                continue
            try:
                self.cache.put(self.key(version_id, inputs), notice_text(notice))
            except UncodableError:  # a value the codec does not know: checked again by the next build, as before
                continue
