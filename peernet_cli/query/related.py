"""`brigades related`: the brigades worth a call, ranked by signals a person can check, each
with its reason.

Every weight is in WEIGHTS, so the ranking can be read (and argued with) in one place; the
README's "Related brigades" section explains them. A score is the sum of the signals that
fire; the reasons are listed strongest first.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from peernet_cli.check.coordinates import km as distance
from peernet_cli.query.listings import LinkedRegistry
from peernet_cli.query.rows import RelatedBrigade
from peernet_cli.registry.loader import Record

WEIGHTS: dict[str, float] = {
    # They already work together: a partnership between the two brigades, either way round.
    "direct": 10.0,
    # Each partner both work with (a city, a university, a nonprofit): an introduction is one email.
    "shared_partner": 4.0,
    # Each kind of partner both work with, in the same state: the same office down the road.
    "same_kind_same_state": 1.5,
    # …and anywhere: weak on its own, since most brigades work with a city government.
    "same_kind": 0.25,
    # Nearness: NEAR_WEIGHT at the same spot, falling linearly to 0 at NEAR_KM.
    "near": 3.0,
    # No coordinates for one of them: the same state stands in for nearness.
    "same_state": 1.5,
    # Each network both belong to, other than the one every brigade is in.
    "shared_network": 2.0,
    # Shared interests: this much for full overlap of the words in topics and priorities.
    "interests": 3.0,
    # A brigade that links others (works with partners of several other brigades): it knows people.
    "bridge": 0.5,
}
NEAR_KM = 500.0
# A network with more members than this is the whole movement, not a reason to call.
BIG_NETWORK = 40
# Partner kinds too broad to say anything.
_VAGUE = {None, "", "unknown", "other"}
# Words that carry no interest ("the", "and", "data" stays: it is what brigades do).
_STOP = frozenset(["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "of", "on", "or", "our", "the", "their", "to", "with", "new", "more", "other", "work", "working", "project", "projects", "program", "programs", "city", "county", "local", "community"])


@dataclass
class Profile:
    """What one brigade brings to the comparison."""

    id: str
    partners: set[str] = field(default_factory=set)
    kinds: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    networks: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)
    state: str | None = None
    country: str | None = None
    point: tuple[float, float] | None = None
    city: str | None = None


def related_brigades(linked: LinkedRegistry, b: Record) -> list[RelatedBrigade]:
    """Other brigades ranked by the signals in WEIGHTS, strongest first; ties by id."""
    net = _network(linked)
    direct = _direct_links(linked, b.id)
    mine = net.profiles[b.id]
    rows: list[RelatedBrigade] = []
    for other_id in sorted(net.candidates(mine) | direct.keys()):
        if other_id == b.id or other_id not in net.profiles:
            continue
        signals = _signals(linked, mine, net.profiles[other_id], direct.get(other_id), net.big,
                           net.bridges.get(other_id, 0))
        if signals:
            signals.sort(key=lambda s: -s[0])
            rows.append({"id": other_id, "name": linked.name_of(other_id),
                         "score": round(sum(w for w, _ in signals), 2), "reasons": [r for _, r in signals]})
    return sorted(rows, key=lambda r: (-r["score"], r["id"]))


@dataclass
class _Network:
    """Every brigade's profile, and indexes from what can relate two brigades to the brigades
    that have it, so a brigade is compared only with those it shares something with (not with
    all the others: one dashboard asks about every brigade)."""

    profiles: dict[str, Profile]
    big: set[str]
    bridges: dict[str, int]
    index: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))

    def candidates(self, p: Profile) -> set[str]:
        found: set[str] = set()
        for key in _keys(p):
            ids = self.index.get(key, set())
            if len(ids) <= CANDIDATE_BUCKET or key[0] == "partner":
                found |= ids
        return found | self.nearest(p)

    def nearest(self, p: Profile) -> set[str]:
        """The NEAREST brigades around `p`: cells searched in rings outwards, one ring past the
        one that brought enough (a nearer one may sit just across a cell edge), up to NEAR_KM."""
        if p.point is None:
            return set()
        lat, lon = p.point
        row, col = int(lat // _CELL), int(lon // _CELL)
        near: set[str] = set()
        enough_at = None
        for ring in range(_RINGS + 1):
            for dr in range(-ring, ring + 1):
                for dc in range(-2 * ring, 2 * ring + 1):  # twice as wide: a degree of longitude is shorter
                    if max(abs(dr), (abs(dc) + 1) // 2) == ring:
                        near |= self.index.get(("near", f"{row + dr}:{col + dc}"), set())
            if enough_at is None and len(near) > NEAREST:
                enough_at = ring
            elif enough_at is not None:
                break
        if len(near) <= NEAREST:
            return near
        scale = math.cos(math.radians(lat)) ** 2
        return set(heapq.nsmallest(NEAREST, near, key=lambda i: _flat_distance(lat, lon, scale,
                                                                             self.profiles[i].point)))


# A value more than this many brigades share (a kind of partner most brigades work with, a common
# word, a state with hundreds of brigades) finds no candidates by itself: pairs sharing only that
# score little and would cost a comparison of every brigade with every other. A shared partner
# always counts; nearness is the NEAREST brigades around.
CANDIDATE_BUCKET = 60
# Of the brigades around one, this many nearest are compared for nearness.
NEAREST = 30
# Coordinates are binned in cells of one degree; a brigade's neighbours are searched ring by
# ring up to _RINGS cells away (5 degrees of latitude is 555 km, past NEAR_KM; rings are twice
# as wide in longitude, ten degrees being over NEAR_KM up to 63 degrees north: Anchorage is at 61).
_CELL = 1.0
_RINGS = 5


def _flat_distance(lat: float, lon: float, scale: float, point: tuple[float, float] | None) -> float:
    """A cheap stand-in for distance that orders neighbours the same way nearby."""
    if point is None:
        return math.inf
    return (point[0] - lat) ** 2 + scale * (point[1] - lon) ** 2


def _keys(p: Profile) -> list[tuple[str, str]]:
    """What a brigade can be found by, besides nearness."""
    keys = [("partner", x) for x in p.partners] + [("kind", k) for k in p.kinds if k not in _VAGUE]
    keys += [("network", n) for n in p.networks] + [("word", w) for w in p.words]
    if p.state:
        keys.append(("state", f"{p.country}:{p.state}"))
    return keys


def _own_keys(p: Profile) -> list[tuple[str, str]]:
    """The keys a brigade is filed under, and its cell (so neighbours find it)."""
    keys = _keys(p)
    if p.point:
        keys.append(("near", f"{int(p.point[0] // _CELL)}:{int(p.point[1] // _CELL)}"))
    return keys


def _network(linked: LinkedRegistry) -> _Network:
    cached = linked.derived.get("related")
    if isinstance(cached, _Network):
        return cached
    profiles = {rid: _profile(linked, r) for rid, r in linked.reg.of("brigade").items()}
    net = _Network(profiles, _big_networks(profiles.values()), _bridge_counts(profiles))
    for p in profiles.values():
        for key in _own_keys(p):
            net.index[key].add(p.id)
    linked.derived["related"] = net
    return net


def _signals(linked: LinkedRegistry, mine: Profile, theirs: Profile, direct: str | None,
             big: set[str], bridge: int) -> list[tuple[float, str]]:
    out: list[tuple[float, str]] = []
    if direct:
        out.append((WEIGHTS["direct"], direct))
    for partner in sorted(mine.partners & theirs.partners):
        out.append((WEIGHTS["shared_partner"], f"both partner with {linked.name_of(partner)}"))
    out += _kind_signals(linked, mine, theirs)
    out += _place_signals(mine, theirs)
    for net in sorted((mine.networks & theirs.networks) - big):
        out.append((WEIGHTS["shared_network"], f"both in {linked.name_of(net)}"))
    shared = mine.words & theirs.words
    if shared:
        overlap = len(shared) / min(len(mine.words), len(theirs.words))
        out.append((round(WEIGHTS["interests"] * overlap, 2), f"shared interests: {', '.join(sorted(shared)[:6])}"))
    if bridge >= 2 and out:  # a bridge only adds to a real reason, never stands alone
        out.append((min(WEIGHTS["bridge"] * bridge, 2.0), f"works with partners of {bridge} other brigades"))
    return out


def _kind_signals(linked: LinkedRegistry, mine: Profile, theirs: Profile) -> list[tuple[float, str]]:
    out: list[tuple[float, str]] = []
    same_state = mine.state is not None and (mine.state, mine.country) == (theirs.state, theirs.country)
    for kind in sorted((mine.kinds.keys() & theirs.kinds.keys()) - _VAGUE):
        if mine.kinds[kind] == theirs.kinds[kind]:
            continue  # the very same partners: already counted as shared partners
        names = f"{_names(linked, mine.kinds[kind])} / {_names(linked, theirs.kinds[kind])}"
        if same_state:
            out.append((WEIGHTS["same_kind_same_state"], f"both work with a {kind} in {mine.state}: {names}"))
        else:
            out.append((WEIGHTS["same_kind"], f"both work with a {kind}: {names}"))
    return out


def _names(linked: LinkedRegistry, ids: set[str]) -> str:
    return ", ".join(sorted(linked.name_of(i) for i in ids))


def _place_signals(mine: Profile, theirs: Profile) -> list[tuple[float, str]]:
    if mine.point and theirs.point:
        km = distance(*mine.point, *theirs.point)
        if km < NEAR_KM:
            where = ", ".join(x for x in (theirs.city, theirs.state) if x)
            return [(round(WEIGHTS["near"] * (1 - km / NEAR_KM), 2), f"{km:.0f} km away" + (f" ({where})" if where else ""))]
        return []
    if mine.state and (mine.state, mine.country) == (theirs.state, theirs.country):
        return [(WEIGHTS["same_state"], f"also in {mine.state}")]
    return []


def interest_words(texts: Iterable[Any]) -> set[str]:
    """The content words of topics and priorities: 'open-data' and 'Open data portal' share
    'open' and 'data'; plurals fold to the singular so 'parks' meets 'park'."""
    words: set[str] = set()
    for text in texts:
        for word in re.findall(r"[a-z]+", str(text).casefold()):
            if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
                word = word[:-1]
            if len(word) > 2 and word not in _STOP:
                words.add(word)
    return words


def _profile(linked: LinkedRegistry, b: Record) -> Profile:
    loc = b.get("location") or {}
    p = Profile(id=b.id, state=loc.get("state"), country=loc.get("country"), city=loc.get("city"),
                networks={str(m.get("network")) for m in b.get("networks") or [] if isinstance(m, dict)})
    lat, lon = loc.get("latitude"), loc.get("longitude")
    if isinstance(lat, (int, float)) and isinstance(lon, (int, float)):
        p.point = (float(lat), float(lon))
    texts: list[Any] = list(b.get("topics") or [])
    for s in linked.by_brigade.get(b.id, []):
        partner = str(s.get("partner"))
        p.partners.add(partner)
        p.kinds[str(linked.classification_of(partner))].add(partner)
        texts += list(s.get("topics") or []) + list(s.get("priorities") or [])
        record = linked.org(partner)
        if record is not None:
            texts += list(record.get("topics") or [])
    p.words = interest_words(texts)
    return p


def _direct_links(linked: LinkedRegistry, brigade_id: str) -> dict[str, str]:
    """Brigades with a partnership with this one (either side), and the reason to show."""
    out: dict[str, str] = {}
    for s in linked.by_brigade.get(brigade_id, []):
        other = linked.reg.find(str(s.get("partner")), ("brigade",))
        if other is not None:
            out[other.id] = f"partners with you directly ({s.get('kind') or 'partnership'}, {s.get('status')})"
    for s in linked.by_partner.get(brigade_id, []):
        out[str(s.get("brigade"))] = f"partners with you directly ({s.get('kind') or 'partnership'}, {s.get('status')})"
    return out


def _big_networks(profiles: Iterable[Profile]) -> set[str]:
    size: dict[str, int] = defaultdict(int)
    for p in profiles:
        for net in p.networks:
            size[net] += 1
    return {net for net, n in size.items() if n > BIG_NETWORK}


def _bridge_counts(profiles: dict[str, Profile]) -> dict[str, int]:
    """For each brigade, how many other brigades share at least one of its partners."""
    by_partner: dict[str, set[str]] = defaultdict(set)
    for p in profiles.values():
        for partner in p.partners:
            by_partner[partner].add(p.id)
    out: dict[str, int] = {}
    for p in profiles.values():
        linked_to = set().union(*(by_partner[x] for x in p.partners)) if p.partners else set()
        out[p.id] = len(linked_to - {p.id})
    return out
