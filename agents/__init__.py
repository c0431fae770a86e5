"""The four agents (brief-writer, copywriter, critic, compliance), their state and the LLM seam."""
