"""The change feed (Atom, RFC 4287) built from the registry's git history, read back by a real
feed parser (feedparser) and an XML parser."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import feedparser
from test_history import PARTNER, SHIP, Repo, brigade, ship

from peernet_cli.publish.atom import MAX_ENTRIES, to_atom
from peernet_cli.query.history import changes_since, record_history
from peernet_cli.registry.gitlog import GitHistory

ATOM = "{http://www.w3.org/2005/Atom}"


def history_repo(tmp_path):
    r = Repo(tmp_path)
    r.reg.add("brigade", brigade("code-for-boston"))
    r.reg.add("partner", PARTNER)
    r.commit("start", "Ana Lima", "2022-01-10T10:00:00+00:00")
    r.reg.add("partnership", ship("code-for-boston", "city-of-boston", "prospective"))
    r.commit("add", "Ben & Ode", "2022-03-05T10:00:00+00:00")
    r.reg.add("partnership", ship("code-for-boston", "city-of-boston", "active"))
    r.commit("activate", "Chloe Ng", "2022-04-01T10:00:00+00:00")
    return r


def test_the_feed_lists_changes_newest_first_and_parses(tmp_path):
    r = history_repo(tmp_path)
    rows = record_history(GitHistory(r.root), None, SHIP)
    text = to_atom(rows, "peernet changes", "tag:example.org,2022:peernet", "2022-04-01", link="index.html")
    feed = feedparser.parse(text)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "peernet changes"
    assert [e.title for e in feed.entries] == [f"partnership {SHIP}: changed status", f"partnership {SHIP}: created"]
    assert feed.entries[0].summary == "status: prospective -> active"
    assert feed.entries[0].updated.startswith("2022-04-01")
    root = ET.fromstring(text)
    assert root.tag == f"{ATOM}feed" and len(root.findall(f"{ATOM}entry")) == 2
    ids = [e.find(f"{ATOM}id").text for e in root.findall(f"{ATOM}entry")]
    assert len(set(ids)) == 2 and all(i.startswith("tag:example.org,2022:peernet/") for i in ids)
    authors = [e.find(f"{ATOM}author/{ATOM}name").text for e in root.findall(f"{ATOM}entry")]
    assert authors == ["Chloe Ng", "Ben & Ode"]  # text escaped as text, never markup


def test_the_whole_registry_feed_groups_a_commit_per_record(tmp_path):
    r = history_repo(tmp_path)
    history = GitHistory(r.root)
    first = history.commit_of("HEAD~2")
    feed = feedparser.parse(to_atom(changes_since(history, first), "t", "tag:x,2022:f", "2022-04-01"))
    assert [e.title for e in feed.entries] == [f"partnership {SHIP}: changed status", f"partnership {SHIP}: created"]


def test_text_that_xml_cannot_hold_is_replaced_not_fatal():
    row = {"date": "2022-01-01", "author": "A\x01B", "commit": "abc", "kind": "brigade", "id": "x",
           "change": "unreadable", "field": None, "old": None, "new": "bad \x0b byte"}
    text = to_atom([row], "t", "tag:x,2022:f", "2022-01-01")
    ET.fromstring(text)
    assert "A\ufffdB" in text


def test_the_feed_keeps_the_newest_entries_only():
    rows = [{"date": f"2022-01-{1 + n % 28:02d}", "author": "A", "commit": f"c{n}", "kind": "brigade", "id": "x",
             "change": "created", "field": None, "old": None, "new": "registry/brigades/x.yaml"} for n in range(150)]
    assert len(feedparser.parse(to_atom(rows, "t", "tag:x,2022:f", "2022-01-01")).entries) == MAX_ENTRIES
