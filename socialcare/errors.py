"""The one exception tree of socialcare.

Every error raised on purpose by socialcare derives from :class:`SocialcareError`, so a caller can catch
the whole family in one place and a message always says what to do next::

    SocialcareError
    ├── ConfigError            settings or a configuration file is invalid
    │   └── QuerySyntaxError   a listening query does not parse (collectors.query; carries ``column``)
    ├── MissingExtraError      an optional dependency is not installed (says which ``pip install``)
    ├── EventError             bytes or a dict are not a valid event (goes to the dead-letter topic)
    ├── TransportError         the broker or the local log cannot be reached or refused a write
    │   └── BrokerError        the local Tansu broker cannot be found or started
    ├── StoreError             the SQL database is unreachable or not migrated
    ├── ImportFileError        an import file cannot be opened or has no usable columns
    ├── XApiError              the X API refused a request for good (collectors.x; carries ``status``)
    ├── NotAllowedError        a user may not do this to a reply (responders; the refusal is audited)
    │   └── ConcurrentChangeError  someone else changed the reply first; reload and try again
    ├── PlatformUnavailableError  X or Reddit cannot take posts now (credentials, outage); the worker stops
    └── RateLimitError         a platform said "slow down"; carries ``retry_after`` seconds
"""

from __future__ import annotations


class SocialcareError(Exception):
    """Root of every error socialcare raises on purpose."""


class ConfigError(SocialcareError):
    """Settings or a configuration file is invalid."""


class MissingExtraError(SocialcareError):
    """An optional dependency is missing; the message names the exact install command."""

    def __init__(self, module: str, extra: str) -> None:
        super().__init__(f"the optional dependency {module!r} is not installed: run  pip install 'socialcare[{extra}]'")
        self.module = module
        self.extra = extra


class EventError(SocialcareError):
    """A message is not a valid event; the message is a readable reason for the dead-letter topic."""


class TransportError(SocialcareError):
    """The event transport (Kafka or the embedded log) failed."""


class BrokerError(TransportError):
    """The local Kafka-protocol broker cannot be found or started."""


class StoreError(SocialcareError):
    """The SQL store is unreachable or its schema is not at the expected revision."""


class ImportFileError(SocialcareError):
    """An import file cannot be read as a whole (a single bad row is reported, not raised)."""


class RateLimitError(SocialcareError):
    """A platform asked us to slow down; wait ``retry_after`` seconds before the next call."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(f"{message} (retry after {retry_after:.0f} s)")
        self.retry_after = retry_after


class NotAllowedError(SocialcareError):
    """A user tried a reply transition their role or the reply's state does not allow; says why."""


class PlatformUnavailableError(SocialcareError):
    """A platform cannot take posts now (wrong credentials, a long outage): no reply's fault, so the
    responder stops without committing and the replies are posted once it is restarted."""


class ConcurrentChangeError(NotAllowedError):
    """The reply changed between reading and writing it (another person or responder got there first)."""
