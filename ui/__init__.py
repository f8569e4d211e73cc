"""The Gradio workspace: formats and wires; drafting happens in zhibi.api."""

from zhibi.offline import prepare_offline

prepare_offline()  # before anything imports gradio: GRADIO_ANALYTICS_ENABLED=False, no telemetry
