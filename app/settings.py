"""The API's settings, read once from the environment (pydantic-settings).

The token-signing secret comes from `SERIALWATCH_SECRET_KEY`, else from a file generated on
first use under SERIALWATCH_HOME (readable only by its owner), the same way the local Neo4j
password is kept. A short or well-known secret is refused unless `SERIALWATCH_TESTING` is set.
The audit trail's key and anchor live apart from the trail (app/security/anchor.py): by default
under the user's config and state folders, not SERIALWATCH_HOME.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.errors import ConfigError
from graph.settings import get_settings as get_graph_settings
from graph.settings import xdg

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
    audit_key_env: SecretStr | None = Field(None, alias="SERIALWATCH_AUDIT_KEY")
    audit_key_file_env: Path | None = Field(None, alias="SERIALWATCH_AUDIT_KEY_FILE")
    audit_anchor_env: Path | None = Field(None, alias="SERIALWATCH_AUDIT_ANCHOR")
    login_max_failures: int = Field(5, alias="SERIALWATCH_LOGIN_MAX_FAILURES", ge=1)
    login_window_minutes: float = Field(15, alias="SERIALWATCH_LOGIN_WINDOW_MINUTES", gt=0)

    @property
    def home(self) -> Path:
        return get_graph_settings().home

    @property
    def db_path(self) -> Path:
        """The SQLite file holding users and the audit trail."""
        return self.db_path_env or self.home / "serialwatch.db"

    @property
    def audit_key_file(self) -> Path:
        """The audit trail's own key (when `SERIALWATCH_AUDIT_KEY` is not set)."""
        default = xdg("XDG_CONFIG_HOME", ".config") / "serialwatch/audit-key"
        return self.audit_key_file_env or default

    @property
    def audit_anchor(self) -> Path:
        """The append-only log of the trail's checkpoints; one per trail by default."""
        if self.audit_anchor_env is not None:
            return self.audit_anchor_env
        trail = hashlib.sha256(str(self.db_path.resolve()).encode()).hexdigest()[:16]
        return xdg("XDG_STATE_HOME", ".local/state") / f"serialwatch/audit-anchors/{trail}.log"

    @property
    def secret_file(self) -> Path:
        return self.home / "api-secret-key"

    def secret(self) -> str:
        """The signing secret: the environment's, else the generated file's (made if absent)."""
        if self.secret_env is not None:
            value = self.secret_env.get_secret_value()
        else:
            value = read_or_create(self.secret_file)
        if not self.testing and (value.lower() in _WEAK or len(value) < MIN_SECRET_LEN):
            raise ConfigError(
                f"SERIALWATCH_SECRET_KEY is a default or shorter than {MIN_SECRET_LEN} "
                "characters; unset it to use a generated one, or set a long random value"
            )
        return value


def read_or_create(path: Path) -> str:
    """A secret kept in `path` (mode 0600), generated on first use."""
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
