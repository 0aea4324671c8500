"""socialcare: social listening and social customer care over a Kafka-style event log."""

__version__ = "0.1.0"
