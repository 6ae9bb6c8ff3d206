"""A small project for the cross-file tests: test bases and modules to patch, in other files."""
