"""The API's settings, read once from the environment (pydantic-settings).

The token-signing secret comes from `SERIALWATCH_SECRET_KEY`, else from a file generated on
first use under SERIALWATCH_HOME (readable only by its owner), the same way the local Neo4j
password is kept. A short or well-known secret is refused unless `SERIALWATCH_TESTING` is set.
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.errors import ConfigError
from graph.settings import get_settings as get_graph_settings

_WEAK = {"", "secret", "changeme", "change-me", "serialwatch", "password", "dev", "test"}
MIN_SECRET_LEN = 32


class ApiSettings(BaseSettings):
    """Listening address, token lifetime, limits, and where users and the audit trail live."""

    model_config = SettingsConfigDict(extra="ignore")

    host: str = Field("127.0.0.1", alias="SERIALWATCH_API_HOST")
    port: int = Field(8000, alias="SERIALWATCH_API_PORT", ge=1, le=65535)
    token_minutes: int = Field(15, alias="SERIALWATCH_TOKEN_MINUTES", ge=1, le=24 * 60)
    secret_env: SecretStr | None = Field(None, alias="SERIALWATCH_SECRET_KEY")
    testing: bool = Field(False, alias="SERIALWATCH_TESTING")
    db_path_env: Path | None = Field(None, alias="SERIALWATCH_DB")
    upload_max_mb: int = Field(512, alias="SERIALWATCH_UPLOAD_MAX_MB", ge=1)
    unzip_max_mb: int = Field(4096, alias="SERIALWATCH_UNZIP_MAX_MB", ge=1)
    adhoc_timeout_s: float = Field(10.0, alias="SERIALWATCH_ADHOC_TIMEOUT", gt=0)
    adhoc_row_cap: int = Field(1000, alias="SERIALWATCH_ADHOC_ROW_CAP", ge=1)
    adhoc_max_mb: float = Field(5.0, alias="SERIALWATCH_ADHOC_MAX_MB", gt=0)
    db_retry_s: float = Field(2.0, alias="SERIALWATCH_DB_RETRY", ge=0)

    @property
    def home(self) -> Path:
        return get_graph_settings().home

    @property
    def db_path(self) -> Path:
        """The SQLite file holding users and the audit trail."""
        return self.db_path_env or self.home / "serialwatch.db"

    @property
    def secret_file(self) -> Path:
        return self.home / "api-secret-key"

    def secret(self) -> str:
        """The signing secret: the environment's, else the generated file's (made if absent)."""
        if self.secret_env is not None:
            value = self.secret_env.get_secret_value()
        else:
            value = _read_or_create(self.secret_file)
        if not self.testing and (value.lower() in _WEAK or len(value) < MIN_SECRET_LEN):
            raise ConfigError(
                f"SERIALWATCH_SECRET_KEY is a default or shorter than {MIN_SECRET_LEN} "
                "characters; unset it to use a generated one, or set a long random value"
            )
        return value


def _read_or_create(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race; use its secret
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(value + "\n")
    return value


@lru_cache(maxsize=1)
def get_api_settings() -> ApiSettings:
    """The process-wide API settings, read once."""
    return ApiSettings()
