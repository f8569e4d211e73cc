"""The Gradio workspace: formats and wires; drafting happens in zhibi.api."""
