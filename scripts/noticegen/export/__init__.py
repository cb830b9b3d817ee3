"""Stage 5, export: the notice as JSON documents for machines, with their published schema."""
