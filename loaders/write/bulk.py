"""Building a new graph with FalkorDB's bulk importer (``load --bulk``).

The same plan the writer sends as ``UNWIND … MERGE`` batches becomes
``GRAPH.BULK`` commands instead: each part's nodes and relationships, folded
as a MERGE would fold them and packed (:mod:`citygraph.loaders.write.bulkparts`),
grouped by label (or type) and property names, the nodes numbered in the
order they are created so relationships can name their ends.

Parts are made and packed by worker processes where the load is large
(:mod:`citygraph.loaders.runtime.workers`); this process numbers the nodes and sends
the commands. Places carry their ``party`` marks from the plan. Afterwards
the graph is brought to what a normal load leaves: the uniqueness
constraints and indexes, the derived relationships. A normal load on top of it
changes nothing. A build that fails part way drops the new graph, so a
failed load still leaves nothing behind.
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import accumulate

from citygraph.core.errors import ConfigError, InputError
from citygraph.loaders.plan import PART_ITEMS, Plan
from citygraph.loaders.runtime.gcpause import without_cyclic_gc
from citygraph.loaders.runtime.workers import default_workers, in_workers
from citygraph.loaders.write.bulkparts import NodeKey, PackedPart, PartMaker, Token, pack_part
from citygraph.loaders.write.writer import WriteReport
from citygraph.model import vocabulary as V
from citygraph.model.statements import SCHEMA_KEYS
from citygraph.store import Store
from citygraph.store import bulkformat as fmt
from citygraph.store.bulkimport import BulkImporter
from citygraph.upkeep.writing import writing

log = logging.getLogger(__name__)

#: Bytes of packed records per GRAPH.BULK command (the engine takes up to 512 MB per argument).
COMMAND_BYTES = 32 * 1024 * 1024
#: Loads smaller than this many items make their parts in this process: starting workers costs more.
PARALLEL_ITEMS = 2 * PART_ITEMS


@dataclass
class _Command:
    """One GRAPH.BULK command being filled, one token per (labels or type, property names). The engine
    creates a command's nodes token by token, so their internal ids are known only when it is sent:
    relationships wait with their ends' keys and packed properties."""

    nodes: dict[Token, list[tuple[NodeKey, bytes]]] = field(default_factory=lambda: defaultdict(list))
    rels: dict[Token, list[tuple[NodeKey, NodeKey, bytes]]] = field(default_factory=lambda: defaultdict(list))
    node_count: int = 0
    rel_count: int = 0
    size: int = 0


class BulkBuilder:
    """Packs parts into GRAPH.BULK commands and sends them, each on a thread of its own while the next is
    packed (the engine's process works while Python packs); numbers every node as the engine will."""

    def __init__(self, store: Store, tick: Callable[[int], None] | None = None,
                 named_later: set[str] | frozenset[str] = frozenset()) -> None:
        self.store = store
        self.importer = _importer(store)
        self.internal: dict[tuple[str, str], int] = {}  # nodes sent, by (label, id)
        self.numbered = 0  # nodes numbered: the next node's number
        self.pending: set[tuple[str, str]] = set()  # nodes in the command being filled
        # A cooperation's relationships are all in its own part: once that part is sent, its number is
        # forgotten, unless an agreement or event (a later part) names it.
        self.named_later = named_later
        self.forgettable: list[tuple[str, str]] = []  # cooperations of parts added whole
        self.adding: list[tuple[str, str]] = []  # cooperations of the part being added
        self.packer = fmt.Packer()  # short strings' bytes, kept for the command being filled
        self.properties = 0
        self.command = _Command()
        self.report = WriteReport(counters={"nodes_created": 0, "relationships_created": 0, "properties_set": 0})
        self.tick = tick or (lambda n: None)
        self.sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="citygraph-bulk")
        self.sending: Future[tuple[int, int]] | None = None

    def add(self, part: PackedPart) -> None:
        self._add_nodes(part.nodes)
        self._add_rels(part.rels)
        self.tick(part.item_count)
        self.forgettable += self.adding  # the part is added whole: its cooperations' relationships are in
        self.adding = []

    def _add_nodes(self, nodes: dict[Token, list[tuple[NodeKey, bytes]]]) -> None:
        """Each node not created already, under its token."""
        internal, pending, named_later = self.internal, self.pending, self.named_later
        for token, records in nodes.items():
            width = len(token[1])
            for key, record in records:
                if key in internal or key in pending:
                    continue  # a node an earlier part created (nothing folds across parts: see bulkparts)
                command = self.command
                command.nodes[token].append((key, record))
                command.node_count += 1
                pending.add(key)
                if key[0] == V.COOPERATION and key[1] not in named_later:
                    self.adding.append(key)
                self.properties += width
                command.size += len(record)
                if command.size > COMMAND_BYTES:
                    self.flush()

    def _add_rels(self, rels: dict[Token, list[tuple[NodeKey, NodeKey, bytes]]]) -> None:
        """Each relationship under its token, as many at a time as the command holds (a slice, not one by one:
        a part has some 130,000); its ends' numbers are packed in front when the command is sent."""
        for token, records in rels.items():
            width = len(token[1])
            # the bytes before each record: its properties and its ends' numbers
            upto = list(accumulate((len(r[2]) + fmt.ENDS_BYTES for r in records), initial=0))
            start = 0
            while start < len(records):
                command = self.command
                # the record that takes the command over COMMAND_BYTES is its last (or the token's last is)
                stop = min(bisect_right(upto, COMMAND_BYTES - command.size + upto[start], lo=start + 1), len(records))
                command.rels[token].extend(records[start:stop])
                command.rel_count += stop - start
                self.properties += width * (stop - start)
                command.size += upto[stop] - upto[start]
                if command.size > COMMAND_BYTES:
                    self.flush()
                start = stop

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
            raise InputError(f"a relationship names {e.args[0][0]} {e.args[0][1]!r}, which the load does "
                             "not define (a new graph holds only what the load brings)", option="bulk") from None
        log.debug("GRAPH.BULK command of %d nodes and %d relationships, %d bytes", c.node_count, c.rel_count,
                  c.size)
        self.wait()  # one command in flight: the engine works on it while the next one is packed
        self.sending = self.sender.submit(self.importer.send, c.node_count, c.rel_count, label_tokens, type_tokens)
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


def packed_parts(the_plan: Plan, workers: int, packer: fmt.Packer) -> Iterator[PackedPart]:
    """The plan's parts, packed, in writing order: made by ``workers`` processes where the load has at least
    :data:`PARALLEL_ITEMS` items, otherwise here (with ``packer``'s strings)."""
    if workers and the_plan.item_count() >= PARALLEL_ITEMS:
        yield from in_workers(PartMaker(the_plan.context), the_plan.recipes(), workers)
    else:
        for part in the_plan.parts():
            yield pack_part(part, packer)


def _importer(store: Store) -> BulkImporter:
    importer = store.bulk_importer()
    if importer is None:
        raise ConfigError(f"{store.engine} builds new databases offline: write `neo4j_import` files instead",
                          option="bulk")
    return importer


@without_cyclic_gc
def bulk_build(store: Store, the_plan: Plan, *, progress: Callable[[int, int], None] | None = None,
               workers: int | None = None) -> WriteReport:
    """Build a new graph from a checked plan with GRAPH.BULK, then finish it as a normal load would. Its parts
    are made and packed in ``workers`` processes (default: one per core; 0: in this process), this one
    numbering the nodes and sending the commands."""
    total, done = the_plan.item_count(), 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, total)

    with writing(store):  # the derived relationships, from the new graph, and the save when it is built
        _importer(store).begin()
        builder = BulkBuilder(store, tick, the_plan.named_later())
        try:
            try:
                for part in packed_parts(the_plan, default_workers() if workers is None else workers,
                                         builder.packer):
                    builder.add(part)
                builder.flush()
            finally:
                builder.close()
            store.ensure_schema(SCHEMA_KEYS)  # the constraints and indexes a normal load leaves
        except BaseException:
            store.clear()  # the graph was new: dropping it loses nothing else
            raise
    builder.report.sections = the_plan.section_counts()
    log.debug("bulk: %d records, %d nodes", builder.report.rows, builder.numbered)
    return builder.report

