"""The optional model writer: any OpenAI-compatible chat endpoint, behind the faithfulness gate."""
