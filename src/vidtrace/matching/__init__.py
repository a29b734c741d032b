"""Known material: import banks, keep their PDQ index in step, match media against them."""
