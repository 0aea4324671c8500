"""The event transport port (:mod:`.base`), its Kafka and embedded adapters, and the stage worker."""
