"""Commands that write the source: release a version, stamp a translation, start a new notice project."""
