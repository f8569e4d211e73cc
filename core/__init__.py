"""The ground every layer stands on: shared dataclasses, configuration, the user-facing error, ports, file and offline helpers."""
