"""Building a new graph with FalkorDB's bulk importer (``load --bulk``).

The same plan the writer sends as ``UNWIND … MERGE`` batches becomes
``GRAPH.BULK`` commands instead: each part's nodes and relationships, packed
by :mod:`citygraph.store.bulkformat`, grouped by label (or type) and property
names, the nodes numbered in the order they are created so relationships can
name their ends. What a MERGE would have folded together is folded here: a
node or relationship stated twice in a part becomes one, its properties
updated and its ``sources`` gathered, as the writer's statements do (each item
is in one part, and what an item states starts at that item, so nothing folds
across parts).

Afterwards the graph is brought to what a normal load leaves: the uniqueness
constraints and indexes, the ``party`` marks, the derived REACHES. A normal
load on top of it changes nothing. A build that fails part way drops the new
graph, so a failed load still leaves nothing behind.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from citygraph import reach
from citygraph import vocabulary as V
from citygraph.errors import InputError
from citygraph.loaders.gcpause import without_cyclic_gc
from citygraph.loaders.plan import Part, Plan
from citygraph.loaders.writer import WriteReport
from citygraph.statements import SCHEMA_KEYS, mark_parties
from citygraph.store import Store
from citygraph.store import bulkformat as fmt

log = logging.getLogger(__name__)

#: Bytes of packed records per GRAPH.BULK command (the engine takes up to 512 MB per argument).
COMMAND_BYTES = 32 * 1024 * 1024


def _labels(lab: str, kind: str | None) -> str:
    return f"{lab}:{kind}" if kind and kind != lab else lab


def fold_nodes(part: Part) -> dict[tuple[str, str], tuple[str, dict[str, Any]]]:
    """(label, id) -> (labels, properties): rows of one node merged, later values winning, as ``SET n +=``.

    The part is consumed: a node stated once keeps its row's own properties (its ``id`` added)."""
    out: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {}
    for (lab, kind), rows in part.nodes.items():
        labels = _labels(lab, kind)
        for row in rows:
            key = (lab, row["id"])
            had = out.get(key)
            if had is None:
                values = row["props"]
                values["id"] = row["id"]
                out[key] = (labels, values)
            else:
                out[key] = _merged_node(had, kind, row)
    return out


def _merged_node(had: tuple[str, dict[str, Any]], kind: str | None, row: dict) -> tuple[str, dict[str, Any]]:
    labels, values = had
    if kind and kind not in labels.split(":"):
        labels = f"{labels}:{kind}"
    values.update((k, v) for k, v in row["props"].items() if v is not None)
    values["id"] = row["id"]
    return labels, values


def fold_rels(part: Part) -> dict[tuple, dict[str, Any]]:
    """(type, start label, start id, end label, end id, merge key) -> properties, ``sources`` gathered as the
    writer's statements do. The part is consumed: a relationship stated once keeps its row's properties."""
    out: dict[tuple, dict[str, Any]] = {}
    for (rel, src, dst), rows in part.rels.items():
        key_name = V.REL_MERGE_KEYS.get(rel)
        for row in rows:
            key = row.get("key") if key_name else None
            ident = (rel, src, row["a"], dst, row["b"], key)
            values = out.get(ident)
            if values is None:
                values = out[ident] = row["props"]
            else:
                values.update((k, v) for k, v in row["props"].items() if v is not None)
            if key_name:
                values[key_name] = key
            sources = row.get("sources")
            if sources is not None:
                had = values.get("sources")
                values["sources"] = [x for x in had if x not in sources] + list(sources) if had else sources
    return out


@dataclass
class _Command:
    """One GRAPH.BULK command being filled, one token per (labels or type, property names). The engine
    creates a command's nodes token by token, so their internal ids are known only when it is sent:
    relationships wait with their ends' keys and packed properties."""

    nodes: dict[tuple[str, tuple[str, ...]], list[tuple[tuple[str, str], bytes]]] = field(
        default_factory=lambda: defaultdict(list))
    rels: dict[tuple[str, tuple[str, ...]], list[tuple[tuple[str, str], tuple[str, str], bytes]]] = field(
        default_factory=lambda: defaultdict(list))
    node_count: int = 0
    rel_count: int = 0
    size: int = 0


class BulkBuilder:
    """Packs parts into GRAPH.BULK commands and sends them, each on a thread of its own while the next is
    packed (the engine's process works while Python packs); numbers every node as the engine will."""

    def __init__(self, store: Store, tick: Callable[[int], None] | None = None,
                 named_later: set[str] | frozenset[str] = frozenset()) -> None:
        self.store = store
        self.internal: dict[tuple[str, str], int] = {}  # nodes sent, by (label, id)
        self.numbered = 0  # nodes numbered: the next node's number
        self.pending: set[tuple[str, str]] = set()  # nodes in the command being filled
        # A cooperation's relationships are all in its own part: once that part is sent, its number is
        # forgotten, unless an agreement or event (a later part) names it.
        self.named_later = named_later
        self.forgettable: list[tuple[str, str]] = []  # cooperations of parts added whole
        self.adding: list[tuple[str, str]] = []  # cooperations of the part being added
        self.packer = fmt.Packer()
        self.properties = 0
        self.command = _Command()
        self.report = WriteReport(counters={"nodes_created": 0, "relationships_created": 0, "properties_set": 0})
        self.tick = tick or (lambda n: None)
        self.sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="citygraph-bulk")
        self.sending: Future[tuple[int, int]] | None = None

    def add(self, part: Part) -> None:
        self._add_nodes(fold_nodes(part))
        self._add_rels(fold_rels(part))
        self.tick(part.item_count)
        self.forgettable += self.adding  # the part is added whole: its cooperations' relationships are in
        self.adding = []

    def _add_nodes(self, folded: dict[tuple[str, str], tuple[str, dict[str, Any]]]) -> None:
        """Each node not created already: its record under its token (the names in its properties' order)."""
        internal, pending, named_later, pack = self.internal, self.pending, self.named_later, self.packer.record
        for key, (labels, values) in folded.items():
            if key in internal or key in pending:
                continue  # a node an earlier part created (nothing folds across parts: see above)
            record = pack(values.values())
            command = self.command
            command.nodes[(labels, tuple(values))].append((key, record))
            command.node_count += 1
            pending.add(key)
            if key[0] == V.COOPERATION and key[1] not in named_later:
                self.adding.append(key)
            self.properties += len(values)
            command.size += len(record)
            if command.size > COMMAND_BYTES:
                self.flush()

    def _add_rels(self, folded: dict[tuple, dict[str, Any]]) -> None:
        """Each relationship: its properties packed as a node's; its ends' numbers are packed in front when the
        command is sent."""
        pack = self.packer.record
        for (rel, a_label, a, b_label, b, _), values in folded.items():
            record = pack(values.values())
            command = self.command
            command.rels[(rel, tuple(values))].append(((a_label, a), (b_label, b), record))
            command.rel_count += 1
            self.properties += len(values)
            command.size += len(record) + 16
            if command.size > COMMAND_BYTES:
                self.flush()

    def flush(self) -> None:
        """Number the command's nodes token by token, as the engine creates them, pack its relationships'
        ends, and send it once the command before it is done."""
        c = self.command
        if not (c.node_count or c.rel_count):
            return
        label_tokens = []
        internal, ends = self.internal, fmt.ends
        for (labels, names), records in c.nodes.items():
            internal.update(zip([key for key, _ in records], range(self.numbered, self.numbered + len(records))))
            self.numbered += len(records)
            label_tokens.append(fmt.header(labels, names) + b"".join([r for _, r in records]))
        try:
            type_tokens = [fmt.header(rel, names) + b"".join([ends(internal[a], internal[b]) + r
                                                              for a, b, r in records])
                           for (rel, names), records in c.rels.items()]
        except KeyError as e:
            raise InputError(f"--bulk: a relationship names {e.args[0][0]} {e.args[0][1]!r}, which the load does "
                             "not define (a new graph holds only what the load brings)") from None
        log.debug("GRAPH.BULK command of %d nodes and %d relationships, %d bytes", c.node_count, c.rel_count,
                  c.size)
        self.wait()  # one command in flight: the engine works on it while the next one is packed
        self.sending = self.sender.submit(self.store.bulk, c.node_count, c.rel_count, label_tokens, type_tokens)
        self.report.rows += c.node_count + c.rel_count
        self.report.counters["properties_set"] = self.properties
        self.pending.clear()
        self.packer.forget()
        self.command = _Command()
        self._forget()

    def _forget(self) -> None:
        """Forget the numbers of the cooperations of every part added whole: their relationships are sent."""
        for key in self.forgettable:
            del self.internal[key]
        self.forgettable = []

    def wait(self) -> None:
        """Until the command in flight is done (its error, if any, raised here)."""
        if self.sending is not None:
            made_nodes, made_rels = self.sending.result()
            self.sending = None
            self.report.counters["nodes_created"] += made_nodes
            self.report.counters["relationships_created"] += made_rels

    def close(self) -> None:
        """Wait for the command in flight (its error raised here); the sending thread ends."""
        try:
            self.wait()
        finally:
            self.sender.shutdown(wait=True)


def finish_graph(store: Store) -> None:
    """What a normal load leaves besides the records: constraints and indexes, party marks, REACHES."""
    store.ensure_schema(SCHEMA_KEYS)
    store.write(mark_parties())
    reach.refresh(store)


@without_cyclic_gc
def bulk_build(store: Store, the_plan: Plan, *, progress: Callable[[int, int], None] | None = None) -> WriteReport:
    """Build a new graph from a checked plan with GRAPH.BULK, then finish it as a normal load would."""
    total, done = the_plan.item_count(), 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, total)

    store.bulk_begin()
    builder = BulkBuilder(store, tick, the_plan.named_later())
    try:
        try:
            for part in the_plan.parts():
                builder.add(part)
            builder.flush()
        finally:
            builder.close()
        finish_graph(store)
    except BaseException:
        store.clear()  # the graph was new: dropping it loses nothing else
        raise
    builder.report.sections = the_plan.section_counts()
    log.debug("bulk: %d records, %d nodes", builder.report.rows, builder.numbered)
    return builder.report

