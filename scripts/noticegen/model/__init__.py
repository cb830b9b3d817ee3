"""Stage 3, model: the checked notice and its released versions as plain, immutable data."""
