"""Small helpers several stages need: fixed-size batches, union-find grouping and string components."""
from __future__ import annotations

from typing import TypeVar
from collections.abc import Iterable, Iterator

T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of `size` items (the last one shorter); streams, so memory stays bounded."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class UnionFind:
    """Disjoint sets over 0..n-1; the smaller index is always the root (deterministic groups)."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> bool:
        """Join the sets of i and j; False when they were already one."""
        a, b = self.find(i), self.find(j)
        if a == b:
            return False
        self.parent[max(a, b)] = min(a, b)
        return True


def components(links: Iterable[tuple[str, str]], nodes: Iterable[str]) -> dict[str, str]:
    """Each node -> the smallest node name of its connected component.

    Links naming a node outside `nodes` are ignored, and the root is the smallest name,
    so two calls over different node lists agree wherever their components agree.
    """
    ordered = sorted(set(nodes))
    index = {n: i for i, n in enumerate(ordered)}
    groups = UnionFind(len(ordered))
    for a, b in links:
        if a in index and b in index:
            groups.union(index[a], index[b])
    return {n: ordered[groups.find(i)] for n, i in index.items()}
