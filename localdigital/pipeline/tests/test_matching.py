import json
from io import StringIO

import pytest
from django.core.management import call_command

from localdigital.notifications.models import Notification
from localdigital.organisations.tests.factories import MembershipFactory
from localdigital.pipeline.matching import analyser
from localdigital.pipeline.matching.engine import rebuild_all_matches, similar_to_text
from localdigital.pipeline.matching.evaluation import evaluate
from localdigital.pipeline.matching.index import current_index, forget_index, wait_for_rebuild
from localdigital.pipeline.matching.selectors import councils_with_same_problem, similar_work
from localdigital.pipeline.models import Match, MatchNotice
from localdigital.pipeline.services import items as services
from localdigital.pipeline.tests.factories import ItemFactory


@pytest.fixture(autouse=True)
def fresh_index():
    forget_index()
    yield
    forget_index()


def concepts(text):
    return {t for t in analyser.analyse_query(text).terms if t.startswith("c:")}


def test_abbreviations_phrases_and_synonyms_become_one_concept():
    assert "c:ehcp" in concepts("EHCP backlog")
    assert "c:ehcp" in concepts("education, health and care plans")
    assert "c:revenues-benefits" in concepts("R&B team")
    assert "c:revenues-benefits" in concepts("council tax and NNDR")
    assert concepts("homecare rotas") & concepts("domiciliary care rotas") == {"c:homecare"}


def test_compounds_written_apart_meet_the_joined_word():
    assert "c:homecare" in concepts("home care visits")


def test_an_abbreviation_that_is_also_a_word_counts_only_in_capitals():
    assert "c:send" in concepts("support for SEND pupils")
    assert "c:send" not in concepts("we send letters to residents")


def test_character_ngrams_tolerate_a_typo_in_a_title_word():
    right = analyser.analyse_query("safeguarding")
    typo = analyser.analyse_query("safegaurding")
    shared = {t for t in right.terms if t.startswith("g:")} & set(typo.terms)
    assert len(shared) >= 3


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Run the background tasks enqueued after commit (the test backend runs them at once)."""

    def capture():
        return django_capture_on_commit_callbacks(execute=True)

    return capture


@pytest.fixture
def owner_and_other(member, council, other_admin, other_council, run_tasks):
    with run_tasks():
        mine = services.item_create(
            actor=member,
            organisation=council,
            data={
                "kind": "problem",
                "title": "EHCP assessments are always late",
                "summary": "Our education, health and care plans miss the 20-week deadline.",
                "visibility": "public",
            },
        )
    with run_tasks():
        theirs = services.item_create(
            actor=other_admin,
            organisation=other_council,
            data={
                "kind": "problem",
                "title": "EHC plan assessments are late",
                "summary": "Our EHCPs for SEND pupils miss the 20-week deadline.",
                "visibility": "public",
            },
        )
    return mine, theirs


def test_a_problem_posted_by_one_council_is_found_by_another(owner_and_other, other_admin):
    mine, theirs = owner_and_other
    similar = similar_work(other_admin, theirs)
    assert [s.item for s in similar] == [mine]
    assert any("EHCP" in reason for reason in similar[0].why)
    same = councils_with_same_problem(other_admin, theirs)
    assert [entry.organisation for entry in same] == [mine.organisation]


def test_both_owners_are_told_once_about_a_close_match(owner_and_other, member, other_admin):
    mine, theirs = owner_and_other
    assert Match.objects.get(item=mine).score >= 0.4
    assert MatchNotice.objects.count() == 1
    told = Notification.objects.filter(kind="pipeline.close_match")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(
        [member.pk, other_admin.pk]
    )
    services.item_update(actor=member, item=mine, data={"phase": "alpha"})
    assert told.count() == 2


def test_drafts_never_appear_in_similar_lists_the_command_or_the_api(
    owner_and_other, member, other_admin, client, run_tasks
):
    mine, theirs = owner_and_other
    with run_tasks():
        services.item_update(actor=member, item=mine, data={"visibility": "draft"})
    assert similar_work(other_admin, theirs) == []
    assert [r["id"] for r in similar_to_text("EHCP deadline")] == [theirs.pk]
    assert mine.pk not in [r["id"] for r in similar_to_text("EHCP deadline", user=other_admin)]
    assert mine.pk in [r["id"] for r in similar_to_text("EHCP deadline", user=member)]
    response = client.get("/api/v1/pipeline/similar/", {"text": "EHCP deadline"})
    assert [r["id"] for r in response.json()] == [theirs.pk]


def test_members_only_items_are_suggested_only_to_sector_members(
    owner_and_other, member, run_tasks
):
    mine, theirs = owner_and_other
    with run_tasks():
        services.item_update(actor=member, item=mine, data={"visibility": "members"})
    stranger = MembershipFactory().user
    assert mine.pk in [r["id"] for r in similar_to_text("EHCP", user=stranger)]
    assert mine.pk not in [r["id"] for r in similar_to_text("EHCP")]


def test_a_stale_index_never_suggests_an_item_that_has_just_become_a_draft(
    owner_and_other, member, settings
):
    mine, theirs = owner_and_other
    settings.PIPELINE_INDEX_BACKGROUND_REFRESH = True
    stale = current_index()
    # Made a draft without the index noticing yet: the database still has the last word.
    type(mine).objects.filter(pk=mine.pk).update(visibility="draft")
    assert stale.public[stale.position[mine.pk]]
    assert mine.pk not in [r["id"] for r in similar_to_text("EHCP deadline")]
    assert mine.pk in [r["id"] for r in similar_to_text("EHCP deadline", user=member)]


@pytest.mark.django_db(transaction=True)
def test_after_a_change_the_old_index_serves_while_a_thread_rebuilds_it(settings):
    settings.PIPELINE_INDEX_BACKGROUND_REFRESH = True
    first = ItemFactory(title="Garden waste subscriptions", visibility="public")
    old = current_index()
    assert list(old.position) == [first.pk]
    second = ItemFactory(title="Bulky waste collections", visibility="public")
    assert current_index() is old
    wait_for_rebuild()
    new = current_index()
    assert new is not old
    assert sorted(new.position) == [first.pk, second.pk]
    # Storing matches needs the change just made, so it never waits for the thread.
    third = ItemFactory(title="Clinical waste", visibility="public")
    assert third.pk in current_index(fresh=True).position


def test_similar_items_command_prints_json_best_first(owner_and_other):
    out = StringIO()
    call_command(
        "similar_items", "--text", "late EHC plans for SEND", "--limit", "5", "--json", stdout=out
    )
    results = json.loads(out.getvalue())
    assert set(results[0]) == {"id", "title", "organisation", "score", "why"}
    assert results[0]["score"] >= results[-1]["score"]


@pytest.mark.parametrize(
    ("params", "field"),
    [({}, "text"), ({"text": "x", "limit": "0"}, "limit"), ({"text": "x", "limit": "a"}, "limit")],
)
def test_the_similar_api_explains_bad_input(client, db, params, field):
    response = client.get("/api/v1/pipeline/similar/", params)
    assert response.status_code == 400
    assert field in response.json()


def test_rebuilding_every_match_gives_the_same_lists_as_saving(owner_and_other):
    before = sorted(Match.objects.values_list("item_id", "other_id"))
    stats = rebuild_all_matches()
    assert stats["items"] == 2
    assert sorted(Match.objects.values_list("item_id", "other_id")) == before


def test_rebuilding_in_worker_processes_stores_the_same_matches_and_features(db, monkeypatch):
    from localdigital.pipeline.matching import rebuild
    from localdigital.pipeline.models import MatchDocument
    from localdigital.pipeline.tests.factories import ItemFactory

    topics = ["EHCP assessments", "missed bin collections", "housing repairs", "council tax"]
    for n in range(24):
        ItemFactory(title=f"{topics[n % 4]} project {n}", summary=f"About {topics[n % 4]}.")
    one = rebuild_all_matches(workers=1)
    single = sorted(Match.objects.values_list("item_id", "other_id", "rank", "why"))
    features = dict(MatchDocument.objects.values_list("item_id", "terms"))
    monkeypatch.setattr(rebuild, "PARALLEL_FROM", 0)
    two = rebuild_all_matches(workers=2)
    assert (one["workers"], two["workers"]) == (1, 2)
    assert sorted(Match.objects.values_list("item_id", "other_id", "rank", "why")) == single
    assert dict(MatchDocument.objects.values_list("item_id", "terms")) == features
    assert two["matches"] == len(single) > 0


def test_matching_finds_the_right_fund_project_in_the_top_three_for_nine_in_ten_queries(db):
    from localdigital.organisations.reference_data import load_councils

    load_councils()
    result = evaluate()
    assert result["queries"] >= 40
    assert result["fund_items"] == 32
    assert result["top3_share"] >= 0.9, result["misses"]
