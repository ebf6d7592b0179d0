from bs4 import BeautifulSoup


def test_start_page_uses_the_govuk_layout_with_skip_link_and_footer(client, db):
    response = client.get("/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("a.govuk-skip-link")["href"] == "#main-content"
    assert soup.select_one("main#main-content h1").text.strip() == "Local Digital Hub"
    assert soup.select_one(".govuk-service-navigation") is not None
    footer_links = {a.text.strip() for a in soup.select(".govuk-footer__meta a")}
    assert "Accessibility statement" in footer_links
    assert "Cookies" in footer_links


def test_pages_carry_no_inline_script_and_a_nonce_based_policy(client, db):
    response = client.get("/")
    soup = BeautifulSoup(response.content, "html.parser")
    for script in soup.find_all("script"):
        assert script.get("src"), "every script is a file; inline script would break the CSP"
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy


def test_health_check_reports_database_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
