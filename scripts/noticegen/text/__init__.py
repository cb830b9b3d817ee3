"""Markdown as the site publishes it (Python-Markdown), and the allowlist of what published HTML may hold."""
