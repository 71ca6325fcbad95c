"""The serialwatch service layer: the CLI, the API and the access rules around personal data."""
