"""The plans assistant: understand the question, find the evidence, answer with citations."""

from assistant.core import Assistant
from assistant.session import Session
from assistant.types import Answer, Citation

__all__ = ["Answer", "Assistant", "Citation", "Session"]
