from localdigital.core.pagination import govuk_pagination, paginate


def test_one_page_needs_no_pagination(rf):
    request = rf.get("/things/")
    assert govuk_pagination(paginate(range(10), request, per_page=50), request) is None


def test_links_keep_filters_and_mark_the_current_page(rf):
    request = rf.get("/things/", {"q": "borough", "nation": ["England", "Wales"], "page": "2"})
    page = paginate(range(200), request, per_page=50)
    params = govuk_pagination(page, request)
    assert params is not None
    current = [item for item in params["items"] if item.get("current")]
    assert [item["number"] for item in current] == [2]
    assert "q=borough" in params["next"]["href"]
    assert "nation=England&nation=Wales" in params["next"]["href"]
    assert params["next"]["href"].endswith("page=3")
    assert params["previous"]["href"].endswith("page=1")


def test_long_lists_are_elided_and_bad_page_numbers_show_the_first_page(rf):
    request = rf.get("/things/", {"page": "not-a-number"})
    page = paginate(range(1000), request, per_page=10)
    assert page.number == 1
    params = govuk_pagination(page, request)
    assert {"ellipsis": True} in params["items"]
    assert "previous" not in params
