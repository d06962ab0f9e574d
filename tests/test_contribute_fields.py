"""Every simple field of a record can be given as a flag, and lands where the schema says."""

from __future__ import annotations

from peernet_cli.registry.yamlio import parse_text


def read(path):
    data, error = parse_text(path.read_text())
    assert error is None
    return data


def test_event_flags_cover_time_zone_attendance_and_recurrence(registry, cli):
    result = cli("events", "add", "--name", "Peer convening", "--type", "peer-convening", "--start-date", "2026-03-04",
                 "--start-time", "09:30", "--timezone", "America/New_York", "--attendance", "40", "--recurring",
                 "--date-note", "as announced", "--organizer", "code-for-america", "--source", "https://example.org/c",
                 "--no-pr", root=registry.root)
    assert result.exit_code == 0, result.stderr
    data = read(registry.root / "registry/events/peer-convening.yaml")
    assert data["start_time"] == "09:30" and data["timezone"] == "America/New_York"
    assert data["attendance"] == {"people": 40} and data["recurring"] is True
    assert data["organizers"] == ["code-for-america"] and data["sources"] == [{"url": "https://example.org/c"}]


def test_partner_flags_cover_other_names_coordinates_and_networks(registry, cli):
    result = cli("partners", "add", "--name", "Boston Public Library", "--classification", "nonprofit",
                 "--other-name", "BPL", "--latitude", "42.35", "--longitude", "-71.08",
                 "--network", "cfa-brigade-network", "--source", "seed.txt", "--no-pr", root=registry.root)
    assert result.exit_code == 0, result.stderr
    data = read(registry.root / "registry/partners/boston-public-library.yaml")
    assert data["other_names"] == [{"name": "BPL"}]
    assert data["location"] == {"latitude": 42.35, "longitude": -71.08}
    assert data["networks"] == [{"network": "cfa-brigade-network", "role": "member"}]


def test_partnership_flags_cover_referrals_and_projects(registry, cli):
    result = cli("partnerships", "add", "--brigade", "boston", "--partner", "Code for America", "--status", "active",
                 "--referred-by", "greater-mattapan-neighborhood-council", "--project", "Ungentry",
                 "--source", "seed.txt", "--no-pr", root=registry.root)
    assert result.exit_code == 0, result.stderr
    data = read(registry.root / "registry/partnerships/code-for-boston--code-for-america.yaml")
    assert data["referred_by"] == "greater-mattapan-neighborhood-council"
    assert data["projects"] == [{"name": "Ungentry"}]


def test_a_referral_to_an_unknown_id_is_refused_before_writing(registry, cli):
    result = cli("partnerships", "add", "--brigade", "boston", "--partner", "Code for America", "--status", "active",
                 "--referred-by", "nobody-we-know", "--source", "seed.txt", "--no-pr", root=registry.root)
    assert result.exit_code == 1
    assert "referred_by: 'nobody-we-know' is not a known" in result.stderr
    assert not (registry.root / "registry/partnerships/code-for-boston--code-for-america.yaml").exists()


def test_brigade_flags_cover_founding_date_division_and_other_names(registry, cli):
    result = cli("brigades", "add", "--name", "Code for Testville", "--status", "active", "--founding-date", "2014",
                 "--other-name", "Testville Hacks", "--division-id", "ocd-division/country:us/state:ma/place:testville",
                 "--source", "seed.txt", "--no-pr", root=registry.root)
    assert result.exit_code == 0, result.stderr
    data = read(registry.root / "registry/brigades/code-for-testville.yaml")
    assert data["founding_date"] == "2014" and data["other_names"] == [{"name": "Testville Hacks"}]
    assert data["division_id"] == "ocd-division/country:us/state:ma/place:testville"
