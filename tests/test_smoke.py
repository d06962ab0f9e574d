def test_base_registry_is_valid(registry, cli):
    result = cli("validate", root=registry.root)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "0 error(s), 0 warning(s)" in result.stderr
