"""One settings object, read from the environment (prefix ``SOCIALCARE_``) and an optional ``.env`` file.

Secrets are :class:`~pydantic.SecretStr` so they print as ``**********``; :meth:`Settings.public_view` is
what ``socialcare config show`` prints, with every secret and any password inside a URL masked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

MASK = "**********"

DEFAULT_PII_ORDER_PATTERN = (
    r"(?i)(?:\b(?:order|account|acct|booking|reservation|conf(?:irmation)?|ref(?:erence)?|ticket|case)"
    r"|注文番号|予約番号|会員番号|お問い合わせ番号|受付番号)"
    r"\s*(?:no\.?|number|num|id|code|#)?\s*[:#：]?\s*([A-Z0-9][A-Z0-9-]{4,18}[A-Z0-9])(?![A-Za-z0-9])"
)
"""Order/account/booking numbers redacted as ``[order]``: the first group (the number) is replaced."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SOCIALCARE_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # storage
    var_dir: Path = Field(Path("var"), description="where the embedded defaults keep their files")
    database_url: SecretStr | None = Field(
        None,
        description="SQLAlchemy URL of the system of record (secret: it may hold a password); "
        "default: SQLite file under var_dir",
    )

    # transport
    kafka_bootstrap: str | None = Field(
        None, description="Kafka bootstrap servers; unset = embedded log in the SQL database"
    )
    kafka_client_id: str = "socialcare"
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    kafka_sasl_mechanism: str | None = None
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    kafka_bootstrap_timeout_ms: int = Field(
        30_000, ge=100, description="how long a client tries to reach the brokers before giving up"
    )
    kafka_session_timeout_ms: int = Field(10_000, ge=1_000)
    kafka_max_poll_interval_ms: int = Field(300_000, ge=1_000)
    topic_partitions: int = Field(3, ge=1)
    topic_replication: int = Field(1, ge=1)
    topic_prefix: str = Field("", description="prefix for every topic name, to share a cluster")

    # stage workers
    batch_size: int = Field(500, ge=1, le=100_000)
    poll_timeout_ms: int = Field(500, ge=10)

    # search index (optional scale-out adapter)
    es_url: str | None = None
    es_api_key: SecretStr | None = None

    # platforms (used by the collectors and posters)
    x_bearer_token: SecretStr | None = None
    x_api_base_url: str = Field(
        "https://api.twitter.com",
        description="base URL of the X API for the filtered stream and its rules (tests use a local server)",
    )
    x_monthly_post_cap: int | None = Field(
        None,
        ge=1,
        description="posts the X plan may read per month; the collector warns at 80 % and 95 % and stops "
        "at the cap; unset = no budget",
    )
    x_post_cap_reset_day: int = Field(
        1, ge=1, le=28, description="day of the month on which the X plan's post cap resets"
    )
    x_rule_tag_prefix: str = Field(
        "socialcare:",
        min_length=1,
        description="filtered-stream rules whose tag starts with this are socialcare's; rule sync leaves "
        "every other rule alone",
    )
    x_rule_max_length: int = Field(
        512, ge=1, description="longest filtered-stream rule value the X plan accepts, in characters"
    )
    reddit_client_id: str | None = None
    reddit_client_secret: SecretStr | None = None
    reddit_user_agent: str = "socialcare/0.1 (social customer care)"
    reddit_username: str | None = Field(
        None, description="the brand's Reddit account (script app login), needed to read its inbox"
    )
    reddit_password: SecretStr | None = None

    # web app
    web_host: str = Field("127.0.0.1", description="address `socialcare serve` listens on (0.0.0.0 in a container)")
    web_port: int = Field(8000, ge=1, le=65535)
    web_secure_cookies: bool = Field(
        False, description="send the session cookie over HTTPS only: set it when the app is served behind TLS"
    )
    secret_key: SecretStr | None = Field(
        None,
        description="signs the web app's session cookies; unset = a random key kept in var_dir/secret_key "
        "(set it when several web processes share the sessions)",
    )

    # replies: posting as the brand (responders)
    x_consumer_key: str | None = Field(None, description="the X app's API key, for posting replies (OAuth 1.0a)")
    x_consumer_secret: SecretStr | None = None
    x_access_token: SecretStr | None = Field(
        None, description="the brand account's access token for the X app; with the secret, replies are posted"
    )
    x_access_token_secret: SecretStr | None = None
    reply_dry_run: bool = Field(
        False,
        description="record replies in dry_run_posts instead of posting them, even where credentials are set; "
        "a platform without posting credentials is always dry-run",
    )
    reply_budget_x: str = Field(
        "100/15m",
        pattern=r"^[1-9][0-9]*/[1-9][0-9]*[smhd]$",
        description="replies the X account may post per window (count/window: 100/15m, 2400/24h)",
    )
    reply_budget_reddit: str = Field(
        "30/10m",
        pattern=r"^[1-9][0-9]*/[1-9][0-9]*[smhd]$",
        description="replies the Reddit account may post per window",
    )
    reply_attempt_lease_s: float = Field(
        45.0,
        ge=0,
        description="a reply whose last platform call began less than this many seconds ago may still be in "
        "flight in another responder: wait this long before reconciling it",
    )
    reply_post_attempts: int = Field(
        5, ge=1, description="platform calls per reply before the responder stops and leaves it for a restart"
    )

    # enrichment: privacy
    pii_order_pattern: str = Field(
        DEFAULT_PII_ORDER_PATTERN,
        description="regular expression for order/account/booking numbers to redact as [order]; only its "
        "first group (the number itself) is replaced, and a match without any digit is left alone",
    )
    retain_original_text_days: int = Field(
        30,
        ge=0,
        description="days the original (unredacted) text is kept beside redacted_text; 0 = never stored",
    )

    # enrichment models (offline)
    encoder: Literal["fast", "int8", "fp32", "plain"] = Field(
        "fast",
        description="sentence encoder: int8 = ONNX Runtime all-int8 with undecided rows re-encoded exactly "
        "(labels agree with plain on at least 98 %), fp32 = ONNX Runtime float32, fast = int8 where the CPU "
        "has int8 dot-product instructions (VNNI, AMX, Arm dot product) and fp32 elsewhere, plain = PyTorch "
        "float32; the ONNX graphs are exported once into the model cache",
    )
    model_cache_dir: Path | None = Field(
        None,
        description="where the ONNX exports of the encoder are kept (default var_dir/models); share it between "
        "workers or containers so the export runs once",
    )
    model_path: Path | None = Field(
        None,
        description="a local transformers model folder replacing the packaged all-MiniLM-L6-v2 "
        "(never downloaded; the heads must be retrained for it)",
    )

    # triage
    triage_policy: Path | None = Field(
        None,
        description="routing policy YAML (check it with `socialcare rules check`); default: the one that ships",
    )

    agents_file: Path | None = Field(
        None, description="agents YAML (skills, languages, hours, capacity); unset = cases stay unassigned"
    )

    # notifications (alerts to PR and team leads)
    slack_webhook_url: SecretStr | None = Field(None, description="Slack incoming-webhook URL for alerts")
    smtp_host: str | None = Field(None, description="SMTP server for alert e-mails; unset = no e-mail")
    smtp_port: int = 587
    smtp_starttls: bool = True
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    alert_email_from: str = "socialcare@localhost"
    alert_email_to: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="comma-separated alert recipients"
    )
    digest_email_to: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="comma-separated recipients of the daily marketing digest; empty = not mailed"
    )
    digest_dir: Path | None = Field(None, description="where daily digests are written (default var_dir/digests)")
    alert_repeat_minutes: int = Field(
        60, ge=1, description="an incident alerts again (as a follow-up in its thread) at most this often"
    )

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator("alert_email_to", "digest_email_to", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        return [part.strip() for part in value.split(",") if part.strip()] if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _database_url_is_sqlalchemy(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and "://" not in value.get_secret_value():
            raise ValueError("must be a SQLAlchemy URL such as postgresql+psycopg://user@host/db")
        return value

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url.get_secret_value()
        return f"sqlite:///{self.var_dir / 'socialcare.db'}"

    @property
    def uses_kafka(self) -> bool:
        return bool(self.kafka_bootstrap)

    def public_view(self) -> dict[str, Any]:
        """Every effective setting with secrets masked; safe to print or log."""
        view: dict[str, Any] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                view[name] = MASK
            elif isinstance(value, Path):
                view[name] = str(value)
            else:
                view[name] = value
        view["database_url"] = mask_url_password(self.effective_database_url)
        view["transport"] = "kafka" if self.uses_kafka else "embedded"
        if self.es_url:
            view["es_url"] = mask_url_password(self.es_url)
        return view


def mask_url_password(url: str) -> str:
    """``scheme://user:secret@host`` -> ``scheme://user:**********@host``; other URLs unchanged."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    credentials, at, host = rest.rpartition("@")
    user, colon, _password = credentials.partition(":")
    return f"{scheme}://{user}{':' + MASK if colon else ''}{at}{host}"
