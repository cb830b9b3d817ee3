"""noticegen: check and publish a privacy notice kept as structured, multilingual YAML."""

__version__ = "0.1.0"
