"""Assignment: capacity, fairness among equal agents, every case assigned or queued (hypothesis), timeouts."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from triage.assignment import ACCEPT_TIMEOUT, Agent, Assigner

NOW = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # a Monday, 10:00 UTC
DEPARTMENTS = ("customer_service", "engineering", "it")
LANGUAGES = ("en", "ja", None)

agents = st.lists(
    st.builds(
        Agent,
        id=st.uuids().map(lambda u: u.hex[:6]),
        departments=st.frozensets(st.sampled_from(DEPARTMENTS), min_size=1),
        languages=st.frozensets(st.sampled_from(("en", "ja")), max_size=2),
        capacity=st.integers(min_value=0, max_value=4),
    ),
    min_size=1,
    max_size=5,
    unique_by=lambda a: a.id,
)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("new"), st.sampled_from(DEPARTMENTS), st.sampled_from(LANGUAGES), st.sampled_from("1234")),
        st.tuples(st.just("close"), st.integers(min_value=0, max_value=40)),
        st.tuples(st.just("accept"), st.integers(min_value=0, max_value=40)),
        st.tuples(st.just("wait"), st.integers(min_value=1, max_value=20)),
    ),
    max_size=60,
)


def check_invariants(assigner: Assigner, open_cases: set[str]) -> None:
    for agent in assigner.agents:
        assert assigner.load(agent.id) <= agent.capacity, "an agent is over capacity"
    offered, queued = set(assigner.offers), {c.case_id for c in assigner.queue}
    assert not offered & queued, "a case is both assigned and queued"
    assert offered | queued == open_cases, "a case was lost (or a closed one kept)"


@settings(max_examples=200, deadline=None)
@given(team=agents, steps=operations)
def test_no_agent_over_capacity_and_every_case_assigned_or_queued(team: list[Agent], steps: list[tuple]) -> None:  # type: ignore[type-arg]
    assigner = Assigner(team)
    now, created, open_cases = NOW, [], set()
    for step in steps:
        if step[0] == "new":
            case_id = f"case:{len(created)}"
            created.append(case_id)
            open_cases.add(case_id)
            assigner.assign(case_id, step[1], step[2], f"P{step[3]}", now)
        elif step[0] == "close" and created:
            case_id = created[step[1] % len(created)]
            if case_id in open_cases:
                open_cases.discard(case_id)
                assigner.release(case_id, now)
        elif step[0] == "accept" and created:
            case_id = created[step[1] % len(created)]
            offer = assigner.offers.get(case_id)
            if offer is not None:
                assigner.accept(case_id, offer.agent_id)
        elif step[0] == "wait":
            now += timedelta(minutes=step[1])
            assigner.expire(now)
        check_invariants(assigner, open_cases)


@settings(max_examples=200, deadline=None)
@given(agent_count=st.integers(min_value=2, max_value=6), cases=st.integers(min_value=0, max_value=40))
def test_equal_agents_stay_within_one_case_of_each_other(agent_count: int, cases: int) -> None:
    team = [Agent(f"a{i}", frozenset({"customer_service"}), capacity=100) for i in range(agent_count)]
    assigner = Assigner(team)
    for number in range(cases):
        assert assigner.assign(f"case:{number}", "customer_service", "en", "P3", NOW) is not None
        loads = [assigner.load(agent.id) for agent in team]
        assert max(loads) - min(loads) <= 1


def test_round_robin_among_equals_and_least_loaded_first() -> None:
    team = [Agent(name, frozenset({"customer_service"})) for name in ("ann", "bob", "cy")]
    assigner = Assigner(team)
    given = [assigner.assign(f"case:{i}", "customer_service", "en", "P3", NOW) for i in range(6)]
    assert given == ["ann", "bob", "cy", "ann", "bob", "cy"]
    assigner.release("case:1", NOW)  # bob now has the fewest
    assert assigner.assign("case:6", "customer_service", "en", "P3", NOW) == "bob"


def test_skills_languages_and_hours_decide_who_qualifies() -> None:
    team = [
        Agent("eng", frozenset({"engineering"})),
        Agent("jp", frozenset({"customer_service"}), languages=frozenset({"ja"})),
        Agent("tokyo", frozenset({"customer_service"}), timezone="Asia/Tokyo", start=time(9), end=time(18)),
    ]
    assigner = Assigner(team)
    assert assigner.assign("c1", "engineering", "en", "P3", NOW) == "eng"
    assert assigner.assign("c2", "customer_service", "ja", "P3", NOW) == "jp"
    assert assigner.assign("c3", "customer_service", "en", "P3", NOW) is None  # 19:00 in Tokyo: gone home
    assert [c.case_id for c in assigner.queue] == ["c3"]
    morning = NOW + timedelta(hours=14)  # 09:00 next day in Tokyo
    assert assigner.drain(morning) == [("c3", "tokyo")]


def test_a_case_not_accepted_in_time_goes_to_someone_else_or_back_to_the_queue() -> None:
    team = [Agent("ann", frozenset({"it"})), Agent("bob", frozenset({"it"}))]
    assigner = Assigner(team)
    assert assigner.assign("c1", "it", None, "P2", NOW) == "ann"
    assert assigner.expire(NOW + ACCEPT_TIMEOUT - timedelta(seconds=1)) == []
    assert assigner.expire(NOW + ACCEPT_TIMEOUT) == [("c1", "bob")]
    assert assigner.expire(NOW + 2 * ACCEPT_TIMEOUT) == [("c1", None)]  # both let it lapse
    assert [c.case_id for c in assigner.queue] == ["c1"]
    assert assigner.accept("c1", "ann") is False
    assert assigner.drain(NOW + 2 * ACCEPT_TIMEOUT) == [("c1", "ann")]  # offered round again


def test_queue_hands_out_the_most_urgent_first() -> None:
    solo = Agent("ann", frozenset({"customer_service"}), capacity=1)
    assigner = Assigner([solo])
    assigner.assign("busy", "customer_service", None, "P3", NOW)
    assigner.assign("later-p3", "customer_service", None, "P3", NOW + timedelta(minutes=1))
    assigner.assign("urgent", "customer_service", None, "P1", NOW + timedelta(minutes=2))
    assert assigner.release("busy", NOW + timedelta(minutes=3)) == [("urgent", "ann")]
