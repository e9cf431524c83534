"""The plan texts and their metadata, loaded as typed records."""

from corpus.loader import Plan, Problem, corpus_dir, load_plans, plan_by_id, plan_problems, scan

__all__ = ["Plan", "Problem", "corpus_dir", "load_plans", "plan_by_id", "plan_problems", "scan"]
