"""The registry index: a command parses only what changed since the last one, and the index is
never wrong, never fatal: every kind of change is seen, a broken index is rebuilt or bypassed."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from forge_server import git

from peernet_cli.registry.index import SETTLE_ENV, Index, cache_dir, fingerprint
from peernet_cli.registry.loader import Registry, load
from peernet_cli.registry.sources import GitRevision

ROOT = Path(__file__).resolve().parent.parent
BOSTON = "registry/brigades/code-for-boston.yaml"


@pytest.fixture(autouse=True)
def _settle_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by a test are seconds old; index them at once (the default waits two
    seconds after a change, for timestamps too coarse to tell two edits apart)."""
    monkeypatch.setenv(SETTLE_ENV, "0")


def everything(reg: Registry) -> dict[str, Any]:
    """What a registry holds, as plain data: records by kind and id, and the unusable files."""
    return {"records": {kind: {rid: r.data for rid, r in sorted(by_id.items())} for kind, by_id in reg.records.items()},
            "unreadable": sorted((reg.relpath(p.path), p.error.message if p.error else None) for p in reg.unreadable),
            "stray": sorted(reg.relpath(p) for p in reg.stray)}


def test_a_second_load_parses_nothing_and_equals_a_fresh_read(registry) -> None:
    first = load(registry.root)
    second = load(registry.root)
    assert first.files_parsed == first.files_read == 6
    assert second.files_parsed == 0
    assert everything(second) == everything(first) == everything(load(registry.root, use_index=False))


def test_the_bundled_registry_reads_the_same_with_and_without_the_index() -> None:
    load(ROOT)
    assert everything(load(ROOT)) == everything(load(ROOT, use_index=False))


def test_an_edit_is_seen(registry) -> None:
    load(registry.root)
    path = registry.root / BOSTON
    path.write_text(path.read_text().replace("status: active", "status: inactive"))
    reg = load(registry.root)
    assert reg.files_parsed == 1
    assert reg.of("brigade")["code-for-boston"].get("status") == "inactive"


def test_an_edit_that_keeps_the_size_and_restores_the_mtime_is_seen(registry) -> None:
    """`cp -p` and `rsync -t` put the old mtime back; the index also compares ctime and inode."""
    load(registry.root)
    path = registry.root / BOSTON
    before = path.stat()
    text = path.read_text()
    edited = text.replace("status: active", "status: paused")  # same length as "active"
    assert len(edited) == len(text)
    path.write_text(edited)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    assert load(registry.root).of("brigade")["code-for-boston"].get("status") == "paused"


def test_a_file_copied_over_with_cp_p_is_seen(registry, tmp_path: Path) -> None:
    load(registry.root)
    path = registry.root / BOSTON
    other = tmp_path / "boston.yaml"
    other.write_text(path.read_text().replace("status: active", "status: paused"))
    os.utime(other, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns))
    subprocess.run(["cp", "-p", str(other), str(path)], check=True)
    assert load(registry.root).of("brigade")["code-for-boston"].get("status") == "paused"


def test_an_added_file_is_parsed_and_a_deleted_one_is_gone(registry) -> None:
    load(registry.root)
    registry.add("partner", {"id": "city-of-boston", "name": "City of Boston", "classification": "city-government",
                             "sources": [{"document": "seed.txt"}]})
    added = load(registry.root)
    assert added.files_parsed == 1 and "city-of-boston" in added.of("partner")
    (registry.root / "registry/partners/city-of-boston.yaml").unlink()
    gone = load(registry.root)
    assert gone.files_parsed == 0 and "city-of-boston" not in gone.of("partner")


def test_a_renamed_file_is_read_under_its_new_name(registry) -> None:
    load(registry.root)
    old = registry.root / BOSTON
    old.rename(old.with_name("code-for-greater-boston.yaml"))
    reg = load(registry.root)
    assert "code-for-boston" not in reg.of("brigade")
    assert reg.of("brigade")["code-for-greater-boston"].get("name") == "Code for Boston"


def test_a_file_that_stops_parsing_is_reported_not_served_from_the_index(registry) -> None:
    load(registry.root)
    (registry.root / BOSTON).write_text("id: [unclosed\n")
    reg = load(registry.root)
    assert "code-for-boston" not in reg.of("brigade")
    assert [reg.relpath(p.path) for p in reg.unreadable] == [BOSTON]
    assert [reg.relpath(p.path) for p in load(registry.root).unreadable] == [BOSTON]  # and from the index


def test_a_schema_change_or_a_new_version_gives_a_new_fingerprint(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", schemas)
    before = fingerprint(schemas)
    assert fingerprint(schemas) == before
    assert fingerprint(schemas, version="99.0") != before
    partner = schemas / "partner.schema.json"
    partner.write_text(partner.read_text().replace('"title": "Partner"', '"title": "Partner organization"'))
    assert fingerprint(schemas) != before


def test_an_index_made_under_another_fingerprint_is_dropped(registry) -> None:
    load(registry.root)
    stale = Index(registry.root, fingerprint_="made-by-another-peernet")
    assert stale.map("files") == {}
    stale.close()
    assert load(registry.root).files_parsed == 6


def index_files() -> list[Path]:
    return sorted(cache_dir().glob("index-*.sqlite3"))


def test_a_corrupt_index_is_rebuilt(registry) -> None:
    load(registry.root)
    [db] = index_files()
    db.write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    reg = load(registry.root)
    assert everything(reg) == everything(load(registry.root, use_index=False))
    assert load(registry.root).files_parsed == 0  # rebuilt, and used again


def test_an_index_with_damaged_rows_is_never_trusted(registry) -> None:
    load(registry.root)
    [db] = index_files()
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE maps SET payload = x'00ff00ff'")
    assert everything(load(registry.root)) == everything(load(registry.root, use_index=False))


def test_an_unusable_cache_folder_is_bypassed(registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("PEERNET_CACHE_DIR", str(blocker))
    assert everything(load(registry.root)) == everything(load(registry.root, use_index=False))


def test_a_locked_index_is_bypassed_not_waited_on_for_ever(registry) -> None:
    load(registry.root)
    [db] = index_files()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        (registry.root / BOSTON).write_text((registry.root / BOSTON).read_text().replace("active", "paused"))
        reg = load(registry.root)
        assert reg.of("brigade")["code-for-boston"].get("status") == "paused"
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_processes_loading_at_once_agree_and_leave_a_sound_index(registry) -> None:
    """Eight processes start together on an empty index, each loading the registry while another
    one edits a record: every result is the registry as it was or as it became, never torn."""
    script = ("import json, sys; from pathlib import Path; from peernet_cli.registry.loader import load; "
              "reg = load(Path(sys.argv[1])); print(json.dumps(reg.of('brigade')['code-for-boston'].get('status')))")
    env = {**os.environ}
    procs = [subprocess.Popen([sys.executable, "-c", script, str(registry.root)], stdout=subprocess.PIPE, env=env)
             for _ in range(8)]
    path = registry.root / BOSTON
    path.write_text(path.read_text().replace("status: active", "status: paused"))
    seen = {json.loads(p.communicate(timeout=60)[0]) for p in procs}
    assert all(p.returncode == 0 for p in procs)
    assert seen <= {"active", "paused"}
    assert load(registry.root).of("brigade")["code-for-boston"].get("status") == "paused"
    assert everything(load(registry.root)) == everything(load(registry.root, use_index=False))


# --- a registry as it stood at a git revision ---------------------------------------------


def committed(registry) -> Path:
    git("init", "-q", "-b", "main", cwd=registry.root)
    git("add", "registry", cwd=registry.root)
    git("commit", "-q", "-m", "the registry", cwd=registry.root)
    return registry.root


def test_a_revision_reads_the_same_as_a_checkout_of_it(registry, tmp_path: Path) -> None:
    root = committed(registry)
    (root / BOSTON).write_text((root / BOSTON).read_text().replace("status: active", "status: inactive"))
    git("commit", "-q", "-am", "Boston is inactive", cwd=root)
    (root / "registry/partners/code-for-america.yaml").unlink()
    git("commit", "-q", "-am", "drop a partner", cwd=root)
    (root / BOSTON).write_text("id: [not committed\n")  # the working tree is not what is read

    old = tmp_path / "old-checkout"
    git("worktree", "add", "-q", "--detach", str(old), "HEAD~1", cwd=root)
    from_git = load(GitRevision(root, "HEAD~1"))
    assert everything(from_git)["records"] == everything(load(old))["records"]
    assert from_git.of("brigade")["code-for-boston"].get("status") == "inactive"
    assert "code-for-america" in from_git.of("partner")
    assert "code-for-america" not in load(GitRevision(root, "HEAD")).of("partner")
    assert (root / BOSTON).read_text() == "id: [not committed\n"


def test_a_revision_is_read_from_the_index_the_second_time(registry) -> None:
    root = committed(registry)
    assert load(GitRevision(root, "HEAD")).files_parsed == 6
    assert load(GitRevision(root, "HEAD")).files_parsed == 0


def test_a_link_committed_to_git_is_refused_not_followed(registry) -> None:
    root = committed(registry)
    (root / "registry/partners/secret.yaml").symlink_to("/etc/passwd")
    git("add", "registry", cwd=root)
    git("commit", "-q", "-m", "a link", cwd=root)
    reg = load(GitRevision(root, "HEAD"))
    [problem] = [p for p in reg.unreadable if p.path.name == "secret.yaml"]
    assert problem.error is not None and "symbolic link" in problem.error.message
    assert "secret" not in reg.of("partner")


def test_an_unknown_revision_is_a_usage_error(registry) -> None:
    from peernet_cli.errors import UsageError

    root = committed(registry)
    with pytest.raises(UsageError, match="unknown revision 'no-such-branch'"):
        GitRevision(root, "no-such-branch")
    with pytest.raises(UsageError, match="a git revision"):
        GitRevision(root, "--upload-pack=touch /tmp/x")


def test_validate_names_a_temporary_file_left_by_an_interrupted_write(registry, validate) -> None:
    leftover = registry.write("registry/partners/.code-for-america.yaml.k3j_9x2a.tmp", "id: code-for-am")
    registry.write("registry/partners/.editor-notes.swp", "not ours")
    result = validate(registry.root)
    assert result.exit_code == 0  # a warning: the records themselves are fine
    assert "registry/partners/.code-for-america.yaml.k3j_9x2a.tmp: warning: a temporary file left by an " \
           "interrupted peernet write" in result.stdout
    assert ".editor-notes.swp" not in result.stdout
    assert leftover.exists()  # validate changes nothing
