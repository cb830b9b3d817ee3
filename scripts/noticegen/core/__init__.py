"""Shared ground for every stage: problems found in the source, content hashes, atomic file writes."""
