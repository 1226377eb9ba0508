"""The `damrong` command line."""
