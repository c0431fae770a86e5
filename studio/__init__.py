"""Composition root: settings, graph wiring, the CLI, the Gradio app and persistence."""
