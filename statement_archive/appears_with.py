""""Appears with": the people and organisations that share statements with an entity, with counts.

Read from the index: for one entity, only the statements it appears in are visited, so the
cost is the size of its own list, never a comparison of every pair of statements.
"""

from __future__ import annotations

from collections import Counter

from .model import Ref, SiteIndex, Statement

COMPANION_KINDS = ("people", "organisations")


def statement_companions(statement: Statement) -> set[Ref]:
    """The people and organisations a statement involves, in any part."""
    refs = set(statement.speakers) | set(statement.organisations) | set(statement.mentions)
    return {ref for ref in refs if ref.kind in COMPANION_KINDS}


def appears_with(index: SiteIndex, ref: Ref, companions_of=statement_companions) -> list[tuple[Ref, int]]:
    """(companion, number of shared statements), most shared first, then by name.

    `companions_of` may be a cached statement_companions when it is called for every entity.
    """
    counts: Counter = Counter()
    for appearance in index.appearances.get(ref, ()):
        for other in companions_of(appearance.statement):
            if other != ref:
                counts[other] += 1

    def name(other: Ref) -> str:
        return index.entities[other.kind][other.slug].name.casefold()

    return sorted(counts.items(), key=lambda item: (-item[1], name(item[0]), item[0].kind, item[0].slug))
