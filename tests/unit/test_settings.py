"""Settings: environment and .env, SecretStr masking, the public view that `config show` prints."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from socialcare.settings import MASK, Settings, mask_url_password


def test_environment_and_dotenv_are_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("SOCIALCARE_BATCH_SIZE=42\nSOCIALCARE_KAFKA_BOOTSTRAP=from-dotenv:9092\n")
    monkeypatch.setenv("SOCIALCARE_KAFKA_BOOTSTRAP", "from-env:9092")
    settings = Settings()
    assert settings.batch_size == 42  # from .env
    assert settings.kafka_bootstrap == "from-env:9092"  # the environment wins over .env
    assert settings.uses_kafka


def test_defaults_are_the_embedded_ones(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("SOCIALCARE_DATABASE_URL", "SOCIALCARE_KAFKA_BOOTSTRAP"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.effective_database_url == "sqlite:///var/socialcare.db"
    assert not settings.uses_kafka
    assert settings.public_view()["transport"] == "embedded"


def test_secrets_never_appear_in_repr_or_public_view(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCIALCARE_X_BEARER_TOKEN", "AAAA-very-secret-token")
    monkeypatch.setenv("SOCIALCARE_REDDIT_CLIENT_SECRET", "reddit-secret-123")
    monkeypatch.setenv("SOCIALCARE_KAFKA_SASL_PASSWORD", "kafka-pw-456")
    monkeypatch.setenv("SOCIALCARE_DATABASE_URL", "postgresql+psycopg://care:db-pw-789@db:5432/socialcare")
    settings = Settings()
    rendered = repr(settings) + str(settings) + str(settings.public_view())
    for secret in ("AAAA-very-secret-token", "reddit-secret-123", "kafka-pw-456", "db-pw-789"):
        assert secret not in rendered
    view = settings.public_view()
    assert view["x_bearer_token"] == MASK
    assert view["database_url"] == f"postgresql+psycopg://care:{MASK}@db:5432/socialcare"
    assert settings.x_bearer_token is not None
    assert settings.x_bearer_token.get_secret_value() == "AAAA-very-secret-token"


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("postgresql://u:p@h/db", f"postgresql://u:{MASK}@h/db"),
        ("postgresql://u@h/db", "postgresql://u@h/db"),
        ("sqlite:///var/x.db", "sqlite:///var/x.db"),
        ("http://elastic:p%40ss@es:9200", f"http://elastic:{MASK}@es:9200"),
    ],
)
def test_mask_url_password(url: str, masked: str) -> None:
    assert mask_url_password(url) == masked


def test_invalid_values_are_refused_with_the_field(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCIALCARE_BATCH_SIZE", "0")
    with pytest.raises(ValidationError, match="batch_size"):
        Settings()
    monkeypatch.setenv("SOCIALCARE_BATCH_SIZE", "10")
    monkeypatch.setenv("SOCIALCARE_DATABASE_URL", "just-a-path.db")
    with pytest.raises(ValidationError, match="SQLAlchemy URL"):
        Settings()
