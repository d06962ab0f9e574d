"""The rows the listings return, each declared once: a TypedDict per kind of row (a row stays a
plain dict, so json/csv/yaml output is the dict as it is), and next to it the columns a listing
writes, in every format, in that order.

The columns are what `peernet … list` writes as a table and as json, csv or yaml; the row holds
more (filters and `--sort` use them). tests/test_rows.py checks every column is a key of its row
and a listing's rows have exactly their type's keys.

Values copied from a record are `Stored`: as written in its file (a listing does not need
validate to have passed, so a status is not always a string); the ones peernet derives are typed.
"""

from __future__ import annotations

from typing import Any, TypedDict

Stored = Any  # a record's value as stored in its YAML file


def columns_of(row_type: type) -> tuple[str, ...]:
    """Every key of a row type, in declaration order (for listings that show all of them)."""
    return tuple(row_type.__annotations__)


class BrigadeRow(TypedDict):
    """`brigades list`."""

    id: str
    name: str
    classification: Stored
    status: Stored
    city: Stored
    state: Stored
    country: Stored  # ISO 3166-1 alpha-2: tells SC in BR from SC in the US
    partners: int  # partnerships the brigade has with partners
    networks: list[Stored]  # ids of the networks it belongs to
    topics: list[Stored]


BRIGADE_COLUMNS: tuple[str, ...] = ("id", "name", "status", "city", "state", "country", "partners", "networks")


class PartnershipRow(TypedDict):
    """`partnerships list`; also what show and the reports read a partnership through."""

    id: str
    brigade: Stored
    brigade_name: str
    partner: str
    partner_name: str
    classification: str | None  # the partner's ("brigade" for a brigade partner)
    kind: Stored
    status: Stored
    start_date: Stored
    end_date: Stored
    last_contact: Stored
    priorities: list[Stored]
    topics: list[Stored]


PARTNERSHIP_COLUMNS: tuple[str, ...] = ("id", "brigade", "partner_name", "classification", "kind", "status",
                                        "last_contact")


class PartnerRow(TypedDict):
    """`partners list`: a partner with what its partnerships (those passing the filters) say."""

    id: str
    name: str
    classification: Stored
    brigades: list[Stored]  # ids, sorted
    status: list[str]  # of its partnerships, sorted, each once
    kind: list[str]  # of its partnerships, sorted, each once
    priorities: list[Stored]


PARTNER_COLUMNS: tuple[str, ...] = ("id", "name", "classification", "brigades", "status", "kind")


class EventRow(TypedDict):
    """`events list` and `report events`."""

    id: str
    name: str
    type: Stored
    start_date: Stored
    end_date: Stored
    date_note: Stored
    where: str | None  # "online", or "City, ST"
    organizers: list[Stored]
    participants: list[Stored]


EVENT_COLUMNS: tuple[str, ...] = ("id", "name", "type", "start_date", "where", "organizers")
EVENT_REPORT_COLUMNS: tuple[str, ...] = ("id", "name", "type", "start_date", "date_note", "where")


class SearchHit(TypedDict):
    """`search`: one record that matched, best first."""

    kind: str
    id: str
    name: str
    score: int
    matched: list[str]  # the fields the terms were found in


SEARCH_COLUMNS = columns_of(SearchHit)


class RelatedBrigade(TypedDict):
    """`brigades related`: another brigade worth talking to, and why."""

    id: str
    name: str
    score: float
    reasons: list[str]


RELATED_COLUMNS = columns_of(RelatedBrigade)


class FollowupRow(TypedDict):
    """`report followups`: an open partnership with no recent contact."""

    state: str  # "stale" (last contact older than --days) or "never-recorded" (no last contact)
    brigade: Stored
    brigade_name: str
    partner: str
    partner_name: str
    status: Stored
    start_date: Stored
    last_contact: Stored
    days_since_contact: int | None  # None: no contact recorded
    # With --history: the day the last commit touched the partnership's file. Not a contact date:
    # it says only that someone last edited the record then.
    last_changed_in_git: str | None


FOLLOWUP_COLUMNS: tuple[str, ...] = ("state", "brigade", "partner", "partner_name", "status", "start_date",
                                     "last_contact", "days_since_contact", "last_changed_in_git")

# Each row type with the columns its listings write (tests/test_rows.py reads this).
TABLES: tuple[tuple[type, tuple[str, ...]], ...] = (
    (BrigadeRow, BRIGADE_COLUMNS), (PartnershipRow, PARTNERSHIP_COLUMNS), (PartnerRow, PARTNER_COLUMNS),
    (EventRow, EVENT_COLUMNS), (EventRow, EVENT_REPORT_COLUMNS), (SearchHit, SEARCH_COLUMNS),
    (RelatedBrigade, RELATED_COLUMNS), (FollowupRow, FOLLOWUP_COLUMNS),
)


class NetworkRow(TypedDict):
    """`networks list`: a network with how many members it has and in which roles."""

    id: str
    name: str
    classification: Stored
    status: Stored
    parent: Stored  # id of the network it is part of
    operator: Stored  # id of the organization that runs it
    members: int  # brigades and partners that list it in their `networks`
    roles: list[str]  # "steering-committee: 7", special roles first
    children: list[str]  # ids of the networks whose parent it is
    events: int  # events it organised or took part in
    topics: list[Stored]


NETWORK_COLUMNS: tuple[str, ...] = ("id", "name", "classification", "parent", "members", "roles")

TABLES += ((NetworkRow, NETWORK_COLUMNS),)
