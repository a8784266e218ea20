"""The `handbook` command."""
