"""Stage 2, validate: every rule a notice must follow, each concern in a module of its own."""
