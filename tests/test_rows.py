"""Each listing's row type (peernet_cli/query/rows.py) is the one declaration of its keys: the
columns a listing writes are keys of its row, a listing's rows have exactly its keys (in its
order, which is the order a report's json keeps), and the CLI writes the declared columns."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from factories import SOURCE, RegistryBuilder

from peernet_cli.query import listings, related, reports, rows
from peernet_cli.query.search import search
from peernet_cli.registry.loader import load


def keys_of(row_type: type) -> list[str]:
    return list(row_type.__annotations__)


@pytest.mark.parametrize(("row_type", "columns"), rows.TABLES,
                         ids=[f"{t.__name__}-to-{c[-1]}" for t, c in rows.TABLES])
def test_every_column_is_a_key_of_its_row(row_type: type, columns: tuple[str, ...]) -> None:
    assert columns, "a listing writes at least one column"
    assert len(set(columns)) == len(columns), f"a column twice in {columns}"
    assert set(columns) <= set(keys_of(row_type)), f"not keys of {row_type.__name__}: {set(columns) - set(keys_of(row_type))}"


@pytest.fixture
def linked(registry: RegistryBuilder) -> listings.LinkedRegistry:
    # A second brigade sharing the small registry's partner, so `related` has a row.
    registry.add("brigade", {"id": "code-for-cambridge", "name": "Code for Cambridge", "classification": "brigade",
                             "status": "active", "location": {"city": "Cambridge", "state": "MA", "country": "US"},
                             "sources": SOURCE})
    registry.add("partnership", {"id": "code-for-cambridge--greater-mattapan-neighborhood-council",
                                 "brigade": "code-for-cambridge", "partner": "greater-mattapan-neighborhood-council",
                                 "kind": "informal", "status": "prospective", "sources": SOURCE})
    return listings.LinkedRegistry(load(registry.root))


def every_listing(linked: listings.LinkedRegistry) -> list[tuple[type, list[Any]]]:
    boston = linked.reg.of("brigade")["code-for-boston"]
    as_of = date(2026, 1, 1)
    return [
        (rows.BrigadeRow, listings.list_brigades(linked, listings.BrigadeFilter())),
        (rows.PartnershipRow, listings.list_partnerships(linked, listings.PartnershipFilter())),
        (rows.PartnerRow, listings.list_partners(linked, listings.PartnershipFilter())),
        (rows.EventRow, listings.list_events(linked, listings.EventFilter())),
        (rows.EventRow, reports.events_report(linked, as_of)),
        (rows.SearchHit, search(linked.reg, "code")),
        (rows.RelatedBrigade, related.related_brigades(linked, boston)),
        (rows.FollowupRow, reports.followups(linked, as_of)),
    ]


def test_a_listings_rows_have_exactly_its_row_types_keys(linked: listings.LinkedRegistry) -> None:
    for row_type, found in every_listing(linked):
        assert found, f"no {row_type.__name__} rows to check"
        for row in found:
            assert list(row) == keys_of(row_type), row_type.__name__


@pytest.mark.parametrize(("args", "columns"), [
    (["brigades", "list"], rows.BRIGADE_COLUMNS),
    (["partners", "list"], rows.PARTNER_COLUMNS),
    (["partnerships", "list"], rows.PARTNERSHIP_COLUMNS),
    (["events", "list"], rows.EVENT_COLUMNS),
    (["search", "code"], rows.SEARCH_COLUMNS),
    (["brigades", "related", "boston"], rows.RELATED_COLUMNS),
    (["report", "events"], rows.EVENT_REPORT_COLUMNS),
])
def test_the_cli_writes_the_declared_columns(cli: Any, linked: listings.LinkedRegistry, args: list[str],
                                             columns: tuple[str, ...]) -> None:
    result = cli(*args, "--format", "csv", root=linked.reg.root)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == ",".join(columns)
    if args[0] != "report":
        listed = json.loads(cli(*args, "--format", "json", root=linked.reg.root).stdout)
        assert listed and all(list(r) == list(columns) for r in listed)
