"""The home page and the network page at the scale of a network of cities: grouped by country,
searchable without accents, paginated, sorted; the same number of queries for 1 city as for 100.
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from actionplan.models import ActionPlan, ActionStep, Jurisdiction
from actionplan.statistics import step_statistics

pytestmark = pytest.mark.django_db


def generate(cities, plans=3, steps=2, updates=1):
    call_command(
        "generate_sample_data",
        cities=cities,
        plans=plans,
        steps=steps,
        updates=updates,
        seed=11,
        stdout=StringIO(),
    )


def url(name, language="en", query=""):
    with translation.override(language):
        return reverse(f"actionplan:{name}") + query


def html_of(client, name, language="en", query=""):
    response = client.get(url(name, language, query))
    assert response.status_code == 200
    return response.content.decode()


def city_headings(html):
    return re.findall(r'<h3 class="govuk-heading-m" id="city-([\w-]+)">', html)


# Each count lists its queries; the same at 1 and at 100 cities with 3 plans each.
PAGES = {
    # 1 count of the cities with a public plan (matching the search), 2 the page of those cities,
    # 3 their public plans with step count and mean progress
    "home": ("home", "", 3),
    "home-search": ("home", "?q=sample", 3),
    "home-page-2": ("home", "?page=2", 3),
    # 1 public plans + jurisdiction (each city's current one is picked from them),
    # 2 the steps of the current plans, only the columns the comparison reads
    "network": ("network", "", 2),
    "network-sorted": ("network", "?sort=-progress&page=2", 2),
}


@pytest.mark.parametrize("cities", [1, 100], ids=lambda n: f"{n}-cities")
def test_query_counts_do_not_grow_with_the_number_of_cities(
    client, cities, django_assert_num_queries
):
    generate(cities)
    assert ActionPlan.objects.count() == 3 * cities

    for page, (name, query, expected) in PAGES.items():
        with django_assert_num_queries(expected):
            response = client.get(url(name, query=query))
        assert response.status_code == 200, page


def test_home_groups_cities_by_country_and_pages_them_ten_at_a_time(client):
    generate(25, plans=1, steps=1, updates=0)

    first, third = html_of(client, "home"), html_of(client, "home", query="?page=3")

    assert len(city_headings(first)) == 10 and len(city_headings(third)) == 5
    assert not set(city_headings(first)) & set(city_headings(third))
    countries = re.findall(r'<h2 class="govuk-heading-l" id="country-\d+">([^<]+)</h2>', first)
    assert countries == sorted(countries) and "Slovakia" in countries + re.findall(
        r'id="country-\d+">([^<]+)<', third
    )
    assert "Cities 1 to 10 of 25" in first
    assert '<nav class="govuk-pagination" aria-label="Pages of cities">' in first
    assert 'href="/en/?page=2" rel="next"' in first
    assert 'aria-current="page">1</a>' in first
    assert 'href="/en/?page=2" rel="prev"' in third
    second = html_of(client, "home", query="?page=2")
    assert 'href="/en/" rel="prev"' in second  # the first page has the list's own URL


def test_home_search_ignores_accents_and_keeps_the_search_in_the_page_links(client):
    generate(30, plans=1, steps=1, updates=0)

    # Plzeň is city 3, 15 and 27 (every twelfth town).
    html = html_of(client, "home", query="?q=plzen")
    assert city_headings(html) == ["sample-city-11-15", "sample-city-11-27", "sample-city-11-3"]
    assert "3 cities match “plzen”" in html
    # In Slovak, by the Slovak name and the country; the plan's code finds its city too.
    assert len(city_headings(html_of(client, "home", "sk", "?q=vzorka+kosice"))) == 3
    assert (
        len(city_headings(html_of(client, "home", query="?q=czechia"))) == 5
    )  # Plzeň, České Budějovice
    assert city_headings(html_of(client, "home", query="?q=sample+city")) == ["sample-city-11"]

    nothing = html_of(client, "home", query="?q=atlantis")
    assert "No city or plan matches this search." in nothing
    assert "Clear the search and show every city" in nothing

    everything = html_of(client, "home", query="?q=sample")
    assert 'href="/en/?q=sample&amp;page=2" rel="next"' in everything


def test_home_leaves_out_cities_without_a_public_plan(client, plan):
    Jurisdiction.objects.create(name_en="Nowhere", slug="nowhere", country="Slovakia")
    plan.status = ActionPlan.Status.DRAFT
    plan.save()

    html = html_of(client, "home")

    assert city_headings(html) == []
    assert "No action plan has been published yet." in html


def network_rows(html):
    """(city, mean progress, overdue) of each row, in page order."""
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", html, flags=re.S)[1:]
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S) for row in rows]
    plain = [[re.sub(r"<[^>]+>", "", cell).strip() for cell in row] for row in cells]
    return [(row[0], row[4], row[5]) for row in plain]


def test_network_compares_each_citys_current_plan_with_the_plan_statistics(client):
    generate(4, plans=2, steps=6, updates=2)
    today = timezone.localdate()

    html = html_of(client, "network")

    rows = network_rows(html)
    assert len(rows) == 4
    for city, progress, overdue in rows:
        plan = ActionPlan.objects.filter(jurisdiction__name_en=city).current_first().first()
        stats = step_statistics(ActionStep.objects.filter(plan=plan), today)
        assert progress == (
            "not measured" if stats.mean_progress is None else f"{stats.mean_progress}%"
        )
        assert overdue == str(stats.overdue)
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)  # by city, by default
    assert 'aria-sort="ascending"' in html
    assert 'href="?sort=-city"' in html  # the sorted column's link turns the order round


def test_network_sorts_by_a_column_both_ways(client):
    generate(6, plans=1, steps=4, updates=2)

    def percents(query):
        rows = network_rows(html_of(client, "network", query=query))
        return [int(progress.rstrip("%")) for _city, progress, _overdue in rows]

    descending = percents("?sort=-progress")
    assert descending == sorted(descending, reverse=True)
    assert percents("?sort=progress") == sorted(descending)
    html = html_of(client, "network", query="?sort=-progress")
    assert 'aria-sort="descending"' in html and 'href="?sort=progress"' in html


def test_network_page_is_cached_for_the_public_with_an_etag(client, settings):
    settings.PAGE_CACHE_SECONDS = 3600
    generate(2, plans=1, steps=2, updates=0)
    address = url("network")

    first = client.get(address)
    assert first["X-Page-Cache"] == "miss" and first["ETag"]
    assert client.get(address)["X-Page-Cache"] == "hit"
    assert client.get(address, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    ActionStep.objects.filter(plan__slug="sample-11-1").update(progress=77)
    assert client.get(address)["X-Page-Cache"] == "miss"  # a write shows on the next request


def test_network_and_home_are_in_slovak(client):
    generate(1, plans=1, steps=1, updates=0)

    assert "Porovnanie plánov miest" in html_of(client, "network", "sk")
    assert "Porovnajte plány miest" in html_of(client, "home", "sk")
