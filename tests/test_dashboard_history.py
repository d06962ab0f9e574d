"""The dashboard's view of the past: the growth chart on the summary page, the changes page and
the Atom feed, built by `peernet report html` from a registry with a real git history (and from
one without)."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET

import feedparser
from test_history import PARTNER, SHIP, Repo, brigade, run, ship


def site_of(repo: Repo, out) -> dict[str, str]:
    run(repo, "report", "html", "--output", str(out), "--as-of", "2022-12-31")
    return {p.name: p.read_text(encoding="utf-8") for p in out.iterdir() if p.is_file()}


def grown(tmp_path) -> Repo:
    r = Repo(tmp_path / "reg")
    r.reg.add("brigade", brigade("code-for-boston"))
    r.reg.add("partner", PARTNER)
    r.commit("start", "Ana Lima", "2022-01-10T10:00:00+00:00")
    r.reg.add("partnership", ship("code-for-boston", "city-of-boston", "prospective"))
    r.commit("add", "Ben Ode", "2022-05-05T10:00:00+00:00")
    r.reg.add("partnership", ship("code-for-boston", "city-of-boston", "active"))
    r.commit("activate", "Chloe Ng", "2022-08-01T10:00:00+00:00")
    return r


def test_the_summary_page_charts_partnerships_quarter_by_quarter(tmp_path):
    site = site_of(grown(tmp_path), tmp_path / "site")
    index = site["index.html"]
    assert '<section id="growth">' in index
    bars = [t for t in ("2022-Q2: 1 prospective", "2022-Q3: 1 active", "2022-Q4: 1 active") if t in index]
    assert len(bars) == 3, index[index.index('id="growth"'):][:2000]
    assert "2022-Q1: " not in index  # no partnership yet: no bar
    assert '<a href="feed.xml">' in index and 'type="application/atom+xml"' in index


def test_the_feed_and_the_changes_page_list_the_latest_changes(tmp_path):
    site = site_of(grown(tmp_path), tmp_path / "site")
    feed = feedparser.parse(site["feed.xml"])
    assert not feed.bozo, feed.bozo_exception
    assert [e.title for e in feed.entries][:2] == [f"partnership {SHIP}: changed status", f"partnership {SHIP}: created"]
    assert "status: prospective -&gt; active" in site["changes.html"]
    assert "by Chloe Ng" in site["changes.html"]


def test_a_registry_without_git_still_builds_and_says_so(tmp_path):
    r = grown(tmp_path)
    copy = tmp_path / "copy"
    shutil.copytree(r.root / "registry", copy / "registry")
    plain = Repo.__new__(Repo)
    plain.root = copy
    site = site_of(plain, tmp_path / "site")
    assert "No git history here" in site["index.html"] and "No git history here" in site["changes.html"]
    root = ET.fromstring(site["feed.xml"])
    assert root.tag == "{http://www.w3.org/2005/Atom}feed" and root.findall("{http://www.w3.org/2005/Atom}entry") == []
