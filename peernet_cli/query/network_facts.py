"""Network facts for `report summary` and the dashboard: how the brigades and partners hang together.

- connected groups: organisations (brigades and partners) joined by partnerships, directly or
  through others; an organisation with no partnership is in no group (the summary counts those
  apart, as "no recorded partnership");
- connectors: the organisations that link the most brigades, the brigades a partner works with
  (a partner with two or more links brigades that may not know of each other) and the brigades a
  brigade partners with (brigade-to-brigade collaboration).

Pure functions over a loaded registry, linear in its size (one union-find pass).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from peernet_cli.query.listings import LinkedRegistry
from peernet_cli.query.markdown import md_table

LARGEST = 5  # groups described one by one
TOP = 10  # connectors listed of each kind


def _edges(linked: LinkedRegistry) -> list[tuple[str, str]]:
    """(brigade, partner) per partnership whose two ends are records; a self-link is left out."""
    known = set(linked.reg.of("brigade")) | set(linked.reg.of("partner"))
    out = []
    for s in linked.partnerships():
        a, b = s.get("brigade"), s.get("partner")
        if isinstance(a, str) and isinstance(b, str) and a in known and b in known and a != b:
            out.append((a, b))
    return out


def groups(linked: LinkedRegistry) -> list[list[str]]:
    """Connected groups of organisation ids (each sorted), biggest first, ties by first id."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]  # path halving keeps the trees flat
            x = parent[x]
        return x

    for a, b in _edges(linked):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    members: dict[str, list[str]] = {}
    for x in sorted(parent):
        members.setdefault(root(x), []).append(x)
    return sorted(members.values(), key=lambda g: (-len(g), g[0]))


def _group_row(linked: LinkedRegistry, ids: list[str], degree: Counter[str]) -> dict[str, Any]:
    brigades = linked.reg.of("brigade")
    hub = min(ids, key=lambda i: (-degree[i], linked.name_of(i).casefold(), i))
    return {"organisations": len(ids), "brigades": sum(1 for i in ids if i in brigades),
            "partners": sum(1 for i in ids if i not in brigades), "hub": hub, "hub_name": linked.name_of(hub),
            "hub_partnerships": degree[hub]}


def connectors(linked: LinkedRegistry) -> dict[str, list[dict[str, Any]]]:
    """Partners by the number of distinct brigades they work with (two or more), and brigades by
    the number of other brigades they partner with (one or more); biggest first, then by name."""
    brigades = linked.reg.of("brigade")
    linked_to: dict[str, set[str]] = {}
    for a, b in _edges(linked):
        for one, other in ((a, b), (b, a)):
            if other in brigades:
                linked_to.setdefault(one, set()).add(other)

    def rows(ids: list[str], least: int) -> list[dict[str, Any]]:
        picked = [i for i in ids if len(linked_to[i]) >= least]
        picked.sort(key=lambda i: (-len(linked_to[i]), linked.name_of(i).casefold(), i))
        return [{"id": i, "name": linked.name_of(i), "brigades": len(linked_to[i]),
                 "brigade_ids": sorted(linked_to[i])} for i in picked[:TOP]]

    return {"partners": rows([i for i in linked_to if i not in brigades], 2),
            "brigades": rows([i for i in linked_to if i in brigades], 1)}


def network_facts(linked: LinkedRegistry) -> dict[str, Any]:
    """The `network` section of the summary: connected groups and connectors."""
    found = groups(linked)
    degree: Counter[str] = Counter()
    for a, b in _edges(linked):
        degree[a] += 1
        degree[b] += 1
    return {"groups": len(found),
            "largest_groups": [_group_row(linked, g, degree) for g in found[:LARGEST]],
            "organisations_in_groups": sum(len(g) for g in found),
            "connectors": connectors(linked)}


def facts_md(net: dict[str, Any]) -> str:
    """The section as Markdown (summary_md adds it under its own heading)."""
    sizes = ", ".join(str(g["organisations"]) for g in net["largest_groups"])
    parts = [f"{net['organisations_in_groups']} organisations with a partnership form {net['groups']} connected "
             f"group(s)" + (f"; the largest have {sizes} organisations." if sizes else ".") + "\n",
             md_table([{"organisations": g["organisations"], "brigades": g["brigades"], "partners": g["partners"],
                        "most connected": f"{g['hub_name']} ({g['hub_partnerships']})"}
                       for g in net["largest_groups"]], ["organisations", "brigades", "partners", "most connected"])]
    for key, title, none in (
            ("partners", "Partners that work with the most brigades", "No partner works with two or more brigades."),
            ("brigades", "Brigades that partner with other brigades", "No brigade partners with another brigade.")):
        rows = [{"name": r["name"], "id": r["id"], "brigades": r["brigades"]} for r in net["connectors"][key]]
        parts.append(f"### {title}\n\n" + (md_table(rows, ["name", "id", "brigades"]) if rows else f"_{none}_\n"))
    return "\n".join(parts)
