"""The LLM engine: the chat-model client, the prompt, and reply hygiene."""
