"""Stage 4, render: pages, redlines and feeds as pure functions of the model."""
