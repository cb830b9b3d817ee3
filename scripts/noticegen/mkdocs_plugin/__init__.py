"""The MkDocs adapter: the only part of noticegen that imports mkdocs, material or mkdocs_static_i18n."""

from noticegen.mkdocs_plugin.plugin import NoticePlugin

__all__ = ["NoticePlugin"]
