"""`peernet validate`'s cross-file rules: one namespace of ids, likely duplicates, the
brigade--partner pair rule and dates given with reduced precision."""

from __future__ import annotations

import json

import pytest

SOURCES = [{"document": "001_6fd433e7a95ecce0.txt"}]


def findings(result) -> list[dict]:
    return json.loads(result.stdout)["findings"]


def only(result, rule: str) -> list[dict]:
    return [f for f in findings(result) if f["rule"] == rule]


# --- ids ------------------------------------------------------------------------------------


def test_a_partner_cannot_reuse_a_brigade_id(registry, validate):
    """Ids are unique across brigades, partners, networks and events, so a bare id in a
    reference always means one record."""
    registry.add("partner", {"id": "code-for-boston", "name": "Code for Boston Inc.",
                             "classification": "nonprofit", "sources": SOURCES})

    result = validate(registry.root, "--format", "json")

    assert result.exit_code == 1
    [clash] = only(result, "unique-id")
    assert clash["file"] == "registry/partners/code-for-boston.yaml"
    assert (clash["line"], clash["column"], clash["field"]) == (2, 5, "id")
    assert clash["message"].startswith(
        "id 'code-for-boston' is already used by registry/brigades/code-for-boston.yaml")


def test_an_event_cannot_reuse_a_network_id(registry, validate):
    registry.add("event", {"id": "cfa-brigade-network", "name": "Brigade Network Launch",
                           "type": "launch", "sources": SOURCES})

    result = validate(registry.root, "--format", "json")

    assert [f["file"] for f in only(result, "unique-id")] == ["registry/events/cfa-brigade-network.yaml"]


# --- likely duplicates ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["The Code for Boston", "code for boston", "Code-for-Boston!"])
def test_two_brigades_with_the_same_normalised_name_get_a_warning(name, registry, validate):
    """Case, punctuation and a leading 'The' are ignored when comparing names. One of the
    two files (the later by file name) carries the warning and names the other."""
    registry.add("brigade", {"id": "boston-brigade", "name": name, "status": "active",
                             "sources": SOURCES})

    result = validate(registry.root, "--format", "json")

    assert result.exit_code == 0
    [warning] = only(result, "duplicate")
    assert warning["severity"] == "warning"
    assert (warning["file"], warning["field"]) == ("registry/brigades/code-for-boston.yaml", "name")
    assert warning["message"].startswith(
        "may duplicate registry/brigades/boston-brigade.yaml (same name: code for boston)")


def test_an_other_name_matching_a_name_gets_a_warning(registry, validate):
    """GMNC is listed as another name of the neighbourhood council."""
    registry.add("partner", {"id": "gmnc", "name": "GMNC", "classification": "community-group",
                             "sources": SOURCES})

    result = validate(registry.root, "--format", "json")

    [warning] = only(result, "duplicate")
    assert "(same name: gmnc)" in warning["message"]


def test_two_partners_with_the_same_website_get_a_warning(registry, validate):
    """'www.' and the scheme do not make two web sites different."""
    registry.add("partner", {"id": "mattapan-council", "name": "Mattapan Council",
                             "classification": "community-group", "website": "https://www.gmnc.example.org/",
                             "sources": SOURCES})
    registry.add("partner", {"id": "mattapan-neighbours", "name": "Mattapan Neighbours",
                             "classification": "community-group", "website": "http://gmnc.example.org",
                             "sources": SOURCES})

    result = validate(registry.root, "--format", "json")

    assert result.exit_code == 0
    [warning] = only(result, "duplicate")
    assert warning["field"] == "website"
    assert "(same website: gmnc.example.org)" in warning["message"]


def test_different_pages_on_one_host_are_not_duplicates(registry, validate):
    for slug in ("north", "south"):
        registry.add("partner", {"id": f"{slug}-library", "name": f"{slug.title()} Library",
                                 "classification": "other",
                                 "website": f"https://library.example.org/{slug}", "sources": SOURCES})

    result = validate(registry.root, "--format", "json")

    assert only(result, "duplicate") == []


def test_a_brigade_and_a_partner_with_one_name_are_not_flagged(registry, validate):
    """Duplicates are looked for within a kind: a brigade and its nonprofit may share a name."""
    registry.add("partner", {"id": "code-for-boston-inc", "name": "Code for Boston",
                             "classification": "nonprofit", "sources": SOURCES})

    result = validate(registry.root, "--format", "json")

    assert only(result, "duplicate") == []


# --- the pair rule ---------------------------------------------------------------------------


def partnership(pair_id: str, brigade: str, partner: str, **extra) -> dict:
    return {"id": pair_id, "brigade": brigade, "partner": partner, "status": "active",
            "sources": SOURCES, **extra}


def test_a_partnership_lives_in_the_file_named_for_its_pair(registry, validate):
    registry.add("partnership", partnership("code-for-boston--cfa", "code-for-boston", "code-for-america"))

    result = validate(registry.root, "--format", "json")

    assert result.exit_code == 1
    [pair] = only(result, "pair")
    assert (pair["file"], pair["field"]) == ("registry/partnerships/code-for-boston--cfa.yaml", "partner")
    assert "must be in code-for-boston--code-for-america.yaml" in pair["message"]


def test_one_pair_recorded_in_two_files_is_an_error(registry, validate):
    """Besides the misnamed file, the two files recording one pair are told to merge."""
    registry.add("partnership", partnership("code-for-boston--gmnc", "code-for-boston",
                                            "greater-mattapan-neighborhood-council"))

    result = validate(registry.root, "--format", "json")

    assert result.exit_code == 1
    merge = [f for f in only(result, "pair") if "already records this brigade–partner pair" in f["message"]]
    assert [(f["file"], f["message"].split()[0]) for f in merge] == [
        ("registry/partnerships/code-for-boston--greater-mattapan-neighborhood-council.yaml",
         "registry/partnerships/code-for-boston--gmnc.yaml")]
    assert merge[0]["message"].endswith("merge the two files")


def test_a_brigade_cannot_partner_with_itself(registry, validate):
    registry.add("partnership", partnership("code-for-boston--code-for-boston",
                                            "code-for-boston", "code-for-boston"))

    result = validate(registry.root, "--format", "json")

    assert [f["message"] for f in only(result, "pair")] == ["a brigade cannot partner with itself"]


def test_two_brigades_may_partner(registry, validate):
    registry.add("brigade", {"id": "code-for-philly", "name": "Code for Philly", "status": "active",
                             "sources": SOURCES})
    registry.add("partnership", partnership("code-for-boston--code-for-philly", "code-for-boston",
                                            "code-for-philly", kind="brigade-collaboration"))

    result = validate(registry.root)

    assert (result.exit_code, result.stdout) == (0, "")


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "end"), [("2014", "2014-05"), ("2014-05", "2014"), ("2014", "2014"),
                                            ("2014-05", "2014-05-31"), ("2014-05-31", "2014-05")])
def test_dates_that_may_overlap_are_in_order(start, end, registry, validate):
    """A partial date is a span: '2014' ends on 2014-12-31, '2014-05' starts on 2014-05-01."""
    registry.add("partnership", partnership("code-for-boston--code-for-america", "code-for-boston",
                                            "code-for-america", start_date=start, end_date=end))

    result = validate(registry.root)

    assert (result.exit_code, result.stdout) == (0, "")


@pytest.mark.parametrize(("start", "end"), [("2015", "2014-12"), ("2014-06", "2014-05-31"),
                                            ("2014-05-02", "2014-05-01")])
def test_an_end_wholly_before_the_start_is_an_error(start, end, registry, validate):
    registry.add("partnership", partnership("code-for-boston--code-for-america", "code-for-boston",
                                            "code-for-america", start_date=start, end_date=end))

    result = validate(registry.root, "--format", "json")

    assert result.exit_code == 1
    [wrong] = only(result, "dates")
    assert wrong["field"] == "end_date"
    assert wrong["message"].startswith(f"end_date {end} is before start_date {start}")


def test_dates_inside_a_membership_are_checked_too(registry, validate):
    registry.add("brigade", {"id": "code-for-philly", "name": "Code for Philly", "status": "active",
                             "networks": [{"network": "cfa-brigade-network",
                                           "start_date": "2015", "end_date": "2014-12"}],
                             "sources": SOURCES})

    result = validate(registry.root, "--format", "json")

    [wrong] = only(result, "dates")
    assert wrong["field"] == "networks.0.end_date"


def test_founding_after_dissolution_is_an_error(registry, validate):
    registry.add("network", {"id": "short-lived-network", "name": "Short-lived Network",
                             "classification": "other", "founding_date": "2019",
                             "dissolution_date": "2018-06", "sources": SOURCES})

    result = validate(registry.root, "--format", "json")

    [wrong] = only(result, "dates")
    assert wrong["field"] == "dissolution_date"


@pytest.mark.parametrize("last_contact", ["2026", "2026-01", "2026-01-01", "2025-12-31"])
def test_a_last_contact_that_may_be_today_is_not_in_the_future(last_contact, registry, validate):
    """With --as-of 2026-01-01, '2026' could mean today, so it is accepted."""
    registry.add("partnership", partnership("code-for-boston--code-for-america", "code-for-boston",
                                            "code-for-america", last_contact=last_contact))

    assert validate(registry.root).exit_code == 0


def test_as_of_decides_what_the_future_is(registry, cli):
    registry.add("partnership", partnership("code-for-boston--code-for-america", "code-for-boston",
                                            "code-for-america", last_contact="2025-06-01"))

    before = cli("validate", "--as-of", "2025-05-31", root=registry.root)
    after = cli("validate", "--as-of", "2025-06-01", root=registry.root)

    assert before.exit_code == 1
    assert "last_contact 2025-06-01 is in the future (today is 2025-05-31)" in before.stdout
    assert after.exit_code == 0


# --- files that are not records -----------------------------------------------------------------


@pytest.mark.parametrize("rel", ["registry/brigades/code-for-philly.yml", "registry/code-for-philly.yaml",
                                 "registry/groups/code-for-philly.yaml"])
def test_a_yaml_file_outside_a_record_location_is_an_error(rel, registry, validate):
    registry.write(rel, "id: code-for-philly\n")

    result = validate(registry.root)

    assert result.exit_code == 1
    assert result.stdout.startswith(f"{rel}: not a record location; records live in registry/")


def test_hidden_files_and_non_yaml_files_outside_kind_folders_are_ignored(registry, validate):
    registry.write("registry/brigades/.code-for-boston.yaml.swp", "junk")
    registry.write("registry/README.md", "# the data\n")

    result = validate(registry.root)

    assert (result.exit_code, result.stdout) == (0, "")


# --- values of the wrong shape never crash the cross-file rules ------------------------------------


@pytest.mark.parametrize("other_names", ["5", "true", "CfB"])
def test_other_names_that_are_not_a_list_are_a_schema_error_not_a_crash(other_names, registry, validate):
    registry.write("registry/brigades/code-for-philly.yaml",
                   "# yaml-language-server: $schema=../../schemas/brigade.schema.json\n"
                   "id: code-for-philly\nname: Code for Philly\nstatus: active\n"
                   f"other_names: {other_names}\nsources:\n  - document: a.txt\n")

    result = validate(registry.root)

    assert result.exit_code == 1
    assert result.stdout.startswith("registry/brigades/code-for-philly.yaml:5:14: other_names: expected a list")


def test_an_unparseable_website_is_an_error_not_a_crash(registry, validate):
    """'http://[oops' passes the URL pattern but is not a web address anyone can open."""
    registry.write("registry/partners/bracket-host.yaml",
                   "# yaml-language-server: $schema=../../schemas/partner.schema.json\n"
                   "id: bracket-host\nname: Bracket Host\nclassification: company\n"
                   "website: http://[oops\nsources:\n  - document: a.txt\n")

    result = validate(registry.root)

    assert result.exit_code == 1
    assert result.stdout.startswith("registry/partners/bracket-host.yaml:5:10: website: ")


def test_the_quick_schema_check_never_accepts_what_jsonschema_rejects():
    """validate skips jsonschema for files the compiled check accepts; on every corpus file,
    valid fixture and bundled record the two must agree that a record is valid."""
    from pathlib import Path

    from peernet_cli.registry.loader import load
    from peernet_cli.registry.schemas import KIND_BY_FOLDER, is_valid_quickly, validator
    from peernet_cli.registry.yamlio import parse

    here = Path(__file__).resolve().parent
    samples = []
    for folder in ("invalid", "valid"):
        for path in sorted((here / "fixtures" / folder).glob("*/*.yaml")):
            data = parse(path).data
            if isinstance(data, dict):
                samples.append((KIND_BY_FOLDER[path.parent.name].name, data))
    samples += [(r.kind, r.data) for r in load(here.parent).all()]
    assert len(samples) > 400
    disagreements = [(kind, data.get("id")) for kind, data in samples
                     if is_valid_quickly(kind, data) != (not list(validator(kind).iter_errors(data)))]
    assert not disagreements


def test_the_quick_check_agrees_with_jsonschema_on_mutated_records():
    """Property test: any field of a valid record replaced by arbitrary YAML-ish values."""
    from pathlib import Path

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from peernet_cli.registry.schemas import KIND_BY_FOLDER, is_valid_quickly, load_schema, validator
    from peernet_cli.registry.yamlio import parse

    here = Path(__file__).resolve().parent
    bases = [(KIND_BY_FOLDER[p.parent.name].name, parse(p).data)
             for p in sorted((here / "fixtures" / "valid").glob("*/*.yaml"))]
    scalars = st.one_of(st.none(), st.booleans(), st.integers(-200, 3000), st.floats(allow_nan=False),
                        st.text(max_size=12), st.sampled_from(["2021-02-30", "2014", "2013-04", "2020-01-01",
                                                               "https://x.org", "http://[oops", "active", "a--b"]))
    values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                           st.dictionaries(st.sampled_from(["name", "url", "note", "x"]), inner, max_size=3)),
                          max_leaves=6)

    @settings(max_examples=300, deadline=None)
    @given(index=st.integers(0, len(bases) - 1), pick=st.integers(0, 100), value=values)
    def check(index, pick, value):
        kind, base = bases[index]
        keys = list(load_schema(f"{kind}.schema.json")["properties"])
        data = {**base, keys[pick % len(keys)]: value}
        assert is_valid_quickly(kind, data) == (not list(validator(kind).iter_errors(data)))

    check()
