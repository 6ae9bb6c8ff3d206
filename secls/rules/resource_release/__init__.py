"""Category 3: everything acquired is released, even when setUp fails."""
