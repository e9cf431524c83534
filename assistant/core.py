"""The assistant: one entry point, `Assistant.ask(question, session=None) -> Answer`."""

from __future__ import annotations

import threading
import time

from assistant.answers.parts import numbered_focus
from assistant.compose import Composer, t
from assistant.guard import MAX_CHARS, check_question
from assistant.retrieval import HybridRetriever
from assistant.sentences import StoredSentences
from assistant.session import Session
from assistant.shapes import vocabulary
from assistant.text import DiacriticRestorer, fold
from assistant.types import Answer, RetrievedPassage
from assistant.understand import detect_lang, plan_holdings, understand
from corpus import Plan
from index.planmodel import PlanModels
from index.settings import Settings, display_path, get_settings
from index.snapshot import origin
from index.store import PlanIndex

RETRIEVE_K = 8


class Assistant:
    """Answers questions over the plans. Cheap to construct; `warm_up()` loads model and index."""

    def __init__(self, settings: Settings | None = None, index: PlanIndex | None = None, phraser=None):
        self.settings = settings or get_settings()
        self.index = index or PlanIndex(self.settings)
        self.phraser = phraser  # optional LLM phrasing (assistant.llm.LLMPhraser)
        self._ready = False
        self._lock = threading.Lock()
        self._rows: list[dict] | None = None

    def warm_up(self) -> None:
        """Load the embedding model, the index's lexical side and the facts (once; concurrent
        first calls wait for the one that loads)."""
        if self._ready:
            return
        with self._lock:
            if not self._ready:
                self._load()

    def _load(self) -> None:
        self.index.check_model()
        lexical = self.index.lexical()
        plans = self.index.plans()
        self._plan_list = list(plans)
        self._plans = {p.id: p for p in plans}
        self._order = {p: i for i, p in enumerate(self._plans)}
        # outline, facts and sentences were extracted at index time (index.planmodel): each
        # plan's are read when a question needs it, the corpus-wide counts at once
        self.models = PlanModels(plans, self.index.settings.index_dir, self.settings.plan_cache)
        self._facts = self.models.facts_view()
        self._holdings = plan_holdings(self._plans.values())
        self._sentences = StoredSentences(self.models)
        embedder = self.index.embedder
        if hasattr(embedder, "warm_up"):
            embedder.warm_up()
        restorer = self.index.restorer() or DiacriticRestorer(p.text for p in self._plans.values())
        self.retriever = HybridRetriever(lexical, self.index, embedder, restorer=restorer)
        self.composer = Composer(self._plans, self._facts, self._sentences, lexical.by_plan)
        self._ready = True

    def _in_order(self, plan_ids) -> list[str]:
        """The known ones of these plan ids, in the corpus's order."""
        return sorted((p for p in set(plan_ids) if p in self._plans), key=self._order.__getitem__)

    def _names(self, plan_ids: list[str], shown: int = 10) -> str:
        names = ", ".join(self._plans[p].province for p in plan_ids[:shown])
        return names + ("…" if len(plan_ids) > shown else "")

    # -- what the UI shows beside the chat -----------------------------------------------------
    def plans(self) -> list[Plan]:
        """The plans answered from: those loaded by `warm_up` (the same list every call, not a
        fresh scan of the corpus folder per call); before it, the folder's."""
        if self._ready:
            return list(self._plan_list)
        return self.index.plans()

    def responsibility_rows(self) -> list[dict]:
        """Every plan's Responsibilities rows (stored by the build; read once, then kept)."""
        self.warm_up()
        if self._rows is None:
            with self._lock:
                if self._rows is None:
                    self._rows = self.models.responsibility_rows()
        return self._rows

    def info(self) -> dict:
        return {
            "index_dir": display_path(origin(self.settings.index_dir)),
            "model": self.index.active_model(),
            "collection": self.index.active_name(),
            "chunks": self.index.count() if self.index.exists() else 0,
        }

    def _issued_by(self, text: str) -> list[str]:
        """The plans issued by the decision the question names by its number ("Quyết định 1247")."""
        named = vocabulary().decision_named.search(fold(text))
        if named is None:
            return []
        number = named.group("n")
        return [p for p, plan in self._plans.items() if plan.decision_number.split("/")[0] == number]

    def _scope_note(self, asked, q, scope, named, provinces, fresh, in_session) -> str:
        """One line when the plans answered are not simply the ones the question names: the
        filter overridden by a named province, provinces carried over from the last turn, or a
        follow-up with no earlier turn to follow."""
        lang = q.lang

        def names(ids) -> str:
            return ", ".join(self._plans[p].province for p in ids)

        if provinces and named and any(p not in provinces for p in named):
            return t(lang, "scope_override", filter=names(provinces), named=names(named))
        if not named and not asked.unknown_provinces and q.provinces and scope and not fresh:
            return t(lang, "scope_followup", named=names(scope))
        if in_session and fresh and asked.followup and not (asked.intent or asked.topics or asked.agencies):
            return t(lang, "scope_no_previous")
        return ""

    # -- the question ----------------------------------------------------------------------
    def ask(self, question, session: Session | None = None, provinces: list[str] | None = None) -> Answer:
        """Answer one question (in the session's context, within the given plan ids if any)."""
        started = time.perf_counter()
        checked = check_question(question)
        lang = detect_lang(checked.text) if checked.text else "vi"
        if not checked.text:
            key = "binary" if checked.problem == "binary" else "empty"
            total = {"total_ms": (time.perf_counter() - started) * 1000}
            return Answer(
                str(question or "")[:200],
                t(lang, key),
                lang,
                True,
                "invalid",
                notice=t(lang, key),
                timings_ms=total,
                support="not_found",
            )
        notice = ""
        if checked.problem == "too_long":
            notice = t(lang, "too_long", n=checked.length, limit=MAX_CHARS)
        elif checked.problem == "injection":
            notice = t(lang, "injection")
        self.warm_up()
        timings: dict[str, float] = {}
        asked = understand(checked.text, self._holdings)
        if not asked.provinces:  # "Quyết định 1247 …": the plan that decision issues
            asked.provinces = self._issued_by(asked.text)
        fresh = session is None or session.state is None
        q = session.resolve(asked) if session is not None else asked
        q = numbered_focus(q, self._plans)
        timings["understand_ms"] = (time.perf_counter() - started) * 1000
        if provinces:
            bad = [p for p in provinces if p not in self._plans]
            if bad:
                raise ValueError(f"unknown plan ids {bad}; known: {sorted(self._plans)}")
        resolved = self._in_order(q.provinces)
        scope = resolved or ([] if q.unknown_provinces and not q.provinces else list(self._plans))
        named = self._in_order(asked.provinces)
        wanted = set(provinces or ())
        if provinces and any(p not in wanted for p in named):
            scope = named  # the question names a plan the filter leaves out: answer what it names
        elif provinces:
            scope = [p for p in scope if p in wanted] or self._in_order(provinces)
        scope_note = self._scope_note(asked, q, scope, named, provinces, fresh, session is not None)
        mark = time.perf_counter()
        search_text = " ".join([checked.text, *q.terms, *q.expansions])
        search = dict(k=RETRIEVE_K, intent=q.effective_intent, dense_query=checked.text, lang=q.lang)
        whole = len(scope) == len(self._plans)
        hits = self.retriever.search(search_text, plans=None if whole else scope, **search)
        more: list[str] = []
        best = self.settings.answer_plans
        if whole and not resolved and len(scope) > best:
            # no province named, more plans than an answer can cover: the best few, and a count
            ranked = self.retriever.rank_plans(search_text, hits)
            scope, more = (ranked or scope)[:best], ranked[best:]
            hits = [h for h in hits if h.chunk.plan in set(scope)]
        timings["retrieve_ms"] = (time.perf_counter() - mark) * 1000
        mark = time.perf_counter()
        tail = t(q.lang, "more_plans", n=len(more), names=self._names(more)) if more else ""
        budget = self.settings.answer_chars
        composed = self.composer.compose(
            q, scope, hits, q.lang, budget, len(tail) + 1 if tail else 0, self.settings.answer_quotes
        )
        text = composed.text
        if tail and not composed.abstained:
            text += "\n" + tail
        if self.phraser is not None and not composed.abstained:
            text = self.phraser.rephrase(checked.text, q.lang, composed) or text
        timings["compose_ms"] = (time.perf_counter() - mark) * 1000
        timings["total_ms"] = (time.perf_counter() - started) * 1000
        answer = Answer(
            question=checked.text,
            text=text,
            lang=composed.lang or q.lang,
            abstained=composed.abstained,
            intent=("compare:" if q.compare else "")
            + (f"{q.shape}:" if q.shape else "")
            + q.effective_intent,
            provinces=scope,
            citations=composed.citations,
            retrieved=[
                RetrievedPassage(
                    h.chunk.id,
                    h.chunk.plan,
                    h.chunk.province,
                    h.chunk.section,
                    h.chunk.text,
                    h.chunk.start,
                    h.chunk.end,
                    h.score,
                )
                for h in hits
            ],
            timings_ms=timings,
            notice=" ".join(x for x in (notice, scope_note) if x),
            more_plans=more,
            support=composed.support,
            coverage=composed.coverage,
            gate=composed.gate,
            hidden=composed.hidden,
        )
        if session is not None:
            session.record(
                q, text, listed=composed.listed, subject=composed.subject, of_activity=composed.of_activity
            )
        return answer
