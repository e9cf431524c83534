"""The plan texts and their metadata, loaded as typed records."""

from corpus.loader import Plan, load_plans, plan_by_id

__all__ = ["Plan", "load_plans", "plan_by_id"]
