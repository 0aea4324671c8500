"""Assignment: each new case goes to the least-loaded qualified agent who is working now.

Rules, as a care team lead would set them in Zendesk or Chatwoot:

- *qualified*: the agent handles the case's department and speaks its language (an agent with no
  languages listed takes any);
- *present*: inside the agent's working hours, in the agent's time zone, on a working day;
- *capacity*: an agent never holds more open cases than their capacity;
- *fair*: the least-loaded qualified agent wins; among equals, the one who got a case longest ago
  (round-robin), so equal agents stay within one case of each other;
- *accept or lose it*: a case not accepted within :data:`ACCEPT_TIMEOUT` goes to someone else (the agent
  who let it lapse is skipped for that case), or back to the queue;
- *queue*: a case nobody can take waits, most urgent first then oldest, and is handed out as soon as a
  qualified agent has room (:meth:`Assigner.drain`); a case every qualified agent let lapse is offered
  round again when the queue is drained.

Pure and in memory; the caller persists the outcome (``cases.assignee``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from socialcare.models import PRIORITY_RANK

ACCEPT_TIMEOUT = timedelta(minutes=10)


@dataclass(frozen=True)
class Agent:
    id: str
    departments: frozenset[str]
    languages: frozenset[str] = frozenset()
    capacity: int = 5
    timezone: str = "UTC"
    start: time = time(0, 0)
    end: time = time(23, 59, 59)
    weekdays: frozenset[int] = frozenset(range(7))

    def qualified(self, department: str, language: str | None) -> bool:
        speaks = not self.languages or language is None or language in self.languages
        return department in self.departments and speaks

    def present(self, now: datetime) -> bool:
        local = now.astimezone(ZoneInfo(self.timezone))
        clock = local.time()
        inside = self.start <= clock <= self.end if self.start <= self.end else clock >= self.start or clock <= self.end
        return local.weekday() in self.weekdays and inside


@dataclass
class Offer:
    case_id: str
    agent_id: str
    at: datetime
    accepted: bool = False


@dataclass(frozen=True)
class WaitingCase:
    case_id: str
    department: str
    language: str | None
    priority: str
    since: datetime


@dataclass
class Assigner:
    agents: list[Agent]
    accept_timeout: timedelta = ACCEPT_TIMEOUT
    offers: dict[str, Offer] = field(default_factory=dict)
    queue: list[WaitingCase] = field(default_factory=list)
    _last_given: dict[str, int] = field(default_factory=dict)
    _skip: dict[str, set[str]] = field(default_factory=dict)
    _cases: dict[str, WaitingCase] = field(default_factory=dict)
    _counter: int = 0

    def restore(self, offers: list[Offer], waiting: list[WaitingCase], cases: list[WaitingCase]) -> None:
        """Start from saved state: current offers (accepted or not), the queue, and every open case."""
        self.offers = {offer.case_id: offer for offer in offers}
        self.queue = list(waiting)
        self._cases = {case.case_id: case for case in cases}
        for offer in sorted(offers, key=lambda o: (o.at, o.case_id)):  # round-robin resumes where it was
            self._counter += 1
            self._last_given[offer.agent_id] = self._counter

    def load(self, agent_id: str) -> int:
        return sum(1 for offer in self.offers.values() if offer.agent_id == agent_id)

    def assign(self, case_id: str, department: str, language: str | None, priority: str, now: datetime) -> str | None:
        """Offer a new case to an agent; returns the agent id, or None when the case was queued."""
        case = WaitingCase(case_id, department, language, priority, now)
        self._cases[case_id] = case
        if case_id in self.offers:
            return self.offers[case_id].agent_id
        chosen = self._pick(case, now)
        if chosen is None:
            self._enqueue(case)
            return None
        self._give(case_id, chosen, now)
        return chosen

    def accept(self, case_id: str, agent_id: str) -> bool:
        offer = self.offers.get(case_id)
        if offer is None or offer.agent_id != agent_id:
            return False
        offer.accepted = True
        return True

    def release(self, case_id: str, now: datetime) -> list[tuple[str, str]]:
        """The case is closed (or handed back): free the agent's slot and hand out waiting cases."""
        self.offers.pop(case_id, None)
        self.queue = [c for c in self.queue if c.case_id != case_id]
        self._cases.pop(case_id, None)
        self._skip.pop(case_id, None)
        return self.drain(now)

    def expire(self, now: datetime) -> list[tuple[str, str | None]]:
        """Take back offers not accepted within the timeout; give them to someone else or queue them."""
        moved: list[tuple[str, str | None]] = []
        for case_id, offer in list(self.offers.items()):
            if offer.accepted or now - offer.at < self.accept_timeout:
                continue
            self._skip.setdefault(case_id, set()).add(offer.agent_id)
            del self.offers[case_id]
            case = self._cases[case_id]
            chosen = self._pick(case, now)
            if chosen is None:
                self._enqueue(case)
            else:
                self._give(case_id, chosen, now)
            moved.append((case_id, chosen))
        return moved

    def drain(self, now: datetime) -> list[tuple[str, str]]:
        """Hand out queued cases, most urgent and oldest first, while someone qualified has room."""
        given: list[tuple[str, str]] = []
        for case in sorted(self.queue, key=lambda c: (PRIORITY_RANK.get(c.priority, 9), c.since, c.case_id)):
            chosen = self._pick(case, now)
            if chosen is None and case.case_id in self._skip:
                del self._skip[case.case_id]  # everyone qualified let it lapse once: offer it round again
                chosen = self._pick(case, now)
            if chosen is not None:
                self.queue.remove(case)
                self._give(case.case_id, chosen, now)
                given.append((case.case_id, chosen))
        return given

    def _pick(self, case: WaitingCase, now: datetime) -> str | None:
        skipped = self._skip.get(case.case_id, set())
        candidates = [
            agent
            for agent in self.agents
            if agent.id not in skipped
            and agent.qualified(case.department, case.language)
            and agent.present(now)
            and self.load(agent.id) < agent.capacity
        ]
        if not candidates:
            return None
        best = min(candidates, key=lambda a: (self.load(a.id), self._last_given.get(a.id, -1), a.id))
        return best.id

    def _give(self, case_id: str, agent_id: str, now: datetime) -> None:
        self._counter += 1
        self._last_given[agent_id] = self._counter
        self.offers[case_id] = Offer(case_id, agent_id, now)

    def _enqueue(self, case: WaitingCase) -> None:
        if all(c.case_id != case.case_id for c in self.queue):
            self.queue.append(case)
