"""The project's exception hierarchy: one root, so the CLI and the API can map errors to
one readable line or one 4xx/5xx answer without ever leaking a stack trace."""


class SerialwatchError(Exception):
    """Root of every error serialwatch raises on purpose; its message is safe to show a user."""

    exit_code = 1  # what the CLI exits with when this error ends a command


class ConfigError(SerialwatchError):
    """A setting is missing or wrong; the message says which one and how to fix it."""


class ToolMissing(SerialwatchError):
    """A program serialwatch needs (Java, Maven) is missing or too old."""


class FetchFailed(SerialwatchError):
    """Neo4j could not be fetched from the package registry."""


class DatabaseUnavailable(SerialwatchError):
    """Neo4j does not answer (not started, stopped, or unreachable)."""


class AuthFailed(SerialwatchError):
    """Neo4j refused the user name or password."""


class MigrationError(SerialwatchError):
    """A schema migration failed or was edited after it had been applied."""
