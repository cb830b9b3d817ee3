"""Stage 1, load: read the YAML files with positions, validate each against its schema."""
