"""The two faces: the Gradio workspace and the command line; both call zhibi.api and never draft themselves."""

from core.offline import prepare_offline

prepare_offline()  # before anything imports gradio: GRADIO_ANALYTICS_ENABLED=False, no telemetry
