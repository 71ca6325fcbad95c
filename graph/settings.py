"""One settings object for everything that talks to Neo4j, read from the environment.

There is no default password: it comes from `NEO4J_PASSWORD` or from the file that
`serialwatch db start` writes on first start (readable only by its owner).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.errors import ConfigError

# The Neo4j release the local server runs: pinned, because Maven resolves a version range by
# walking the dependency tree of every release in it (see graph/server/distribution.py).
NEO4J_PINNED = "5.26.30"  # the newest 5.26 LTS patch on Central when this line was last changed


def xdg(var: str, fallback: str) -> Path:
    return Path(os.environ.get(var) or Path.home() / fallback)


class Settings(BaseSettings):
    """Connection and local-server settings; every field is an environment variable."""

    model_config = SettingsConfigDict(extra="ignore")

    bolt_port: int = Field(7687, alias="NEO4J_BOLT_PORT", ge=1, le=65535)
    uri: str = Field("", alias="NEO4J_URI")
    user: str = Field("neo4j", alias="NEO4J_USER")
    password_env: SecretStr | None = Field(None, alias="NEO4J_PASSWORD")
    database: str = Field("neo4j", alias="NEO4J_DATABASE")
    query_timeout_s: float = Field(30.0, alias="SERIALWATCH_QUERY_TIMEOUT", gt=0)
    # A saved query's answer is a page: its first rows in its own order (`truncated` says more
    # exist; the CLI's --limit and the API's `limit` ask for more, an export for every row). A
    # national list holds tens of thousands of rows, and a page a person reads holds far fewer.
    query_row_cap: int = Field(1_000, alias="SERIALWATCH_QUERY_ROW_CAP", ge=1)
    query_dirs: str = Field("", alias="SERIALWATCH_QUERY_DIRS")
    # A folder the Spark engine's driver and every executor reach (an NFS mount, say): where the
    # feature table and Splink's checkpoints go. Needed for a Spark cluster; locally, a temp dir.
    spark_dir: Path | None = Field(None, alias="SERIALWATCH_SPARK_DIR")

    home: Path = Field(
        default_factory=lambda: xdg("XDG_DATA_HOME", ".local/share") / "serialwatch",
        alias="SERIALWATCH_HOME",
    )
    cache: Path = Field(
        default_factory=lambda: xdg("XDG_CACHE_HOME", ".cache") / "serialwatch",
        alias="SERIALWATCH_CACHE",
    )
    neo4j_version: str = Field(NEO4J_PINNED, alias="SERIALWATCH_NEO4J_VERSION")
    heap: str = Field("4g", alias="NEO4J_HEAP", pattern=r"^\d+[kmgKMG]$")
    pagecache: str = Field("6g", alias="NEO4J_PAGECACHE", pattern=r"^\d+[kmgKMG]$")

    @model_validator(mode="after")
    def _derive_uri(self) -> Settings:
        if not self.uri:
            self.uri = f"neo4j://127.0.0.1:{self.bolt_port}"
        return self

    @property
    def server_home(self) -> Path:
        """Where the local server keeps its config, data and logs."""
        return self.home / "neo4j"

    @property
    def password_file(self) -> Path:
        return self.home / "neo4j-password"

    def password(self) -> str:
        """The Neo4j password: `NEO4J_PASSWORD`, else the file written on first start."""
        if self.password_env is not None:
            return self.password_env.get_secret_value()
        try:
            return self.password_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            raise ConfigError(
                f"no Neo4j password: set NEO4J_PASSWORD or run `serialwatch db start` "
                f"(which writes {self.password_file})"
            ) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
