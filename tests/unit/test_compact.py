"""Items: a dataset's sections held compact give back the very models that went in."""

from __future__ import annotations

import pytest

from citygraph.loaders.dataset import compact
from citygraph.loaders.dataset.compact import Items, codec_for
from citygraph.loaders.dataset.model import SECTIONS, Cooperation, Dataset, Place
from citygraph.loaders.read import bundled_dataset


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(compact, "CHUNK", 3)


def test_every_bundled_item_survives_packing_unchanged():
    data = bundled_dataset()
    for name, model in SECTIONS.items():
        codec = codec_for(model)
        for item in getattr(data, name):
            back = codec.unpack(codec.pack(item))
            assert type(back) is model
            assert back == item and back.where == item.where and back.model_dump() == item.model_dump()


def test_enums_nested_models_and_empty_values_come_back_typed():
    coop = Cooperation.model_validate({"id": "c1", "title": "Ports", "channel": "port", "status": "planned",
                                       "involves": ["a", {"id": "b", "role": "supporter"}], "sources": ["d:3-4"],
                                       "where": "x.csv:2"})
    back = codec_for(Cooperation).unpack(codec_for(Cooperation).pack(coop))
    assert back.channel is coop.channel and back.status is coop.status
    assert [(i.id, i.role) for i in back.involves] == [("a", "partner"), ("b", "supporter")]
    assert back.sources[0].id == "d:3-4" and back.summary is None and back.sectors == []


def test_items_pack_by_chunks_and_read_back_in_order(small_chunks):
    places = [Place(id=f"p{i}", name=f"P {i}", kind="city", country="DE") for i in range(11)]
    items = Items(Place, places)
    assert len(items) == 11 and items._chunks and len(items._tail) == 2
    assert list(items) == places
    assert items[0] == places[0] and items[4] == places[4] and items[-1] == places[-1]
    assert items[2:5] == places[2:5]
    with pytest.raises(IndexError):
        items[11]
    assert [len(b) for b in items.batches()] == [3, 3, 3, 2]
    more = Items(Place, items)  # chunks taken as they are
    more.extend(items)
    assert list(more) == places + places and len(more) == 22 and more[13] == places[2]


def test_an_item_read_is_a_copy_and_rewrite_stores_changes(small_chunks):
    items = Items(Place, [Place(id=f"p{i}", name=f"P {i}", kind="city", country="DE") for i in range(7)])
    first = next(iter(items))
    first.name = "changed"
    first.aliases.append("x")
    assert items[0].name == "P 0" and items[0].aliases == []
    items.rewrite(p.model_copy(update={"name": p.name.upper()}) for p in items if p.id != "p3")
    assert [p.name for p in items] == ["P 0", "P 1", "P 2", "P 4", "P 5", "P 6"]


def test_rewrite_where_changes_only_the_items_named_and_keeps_other_chunks_as_they_were(small_chunks):
    places = [Place(id=f"p{i}", name=f"P {i}", kind="city", country="DE") for i in range(8)]
    items = Items(Place, places)  # chunks of 3 and 3, a tail of 2
    untouched = items._chunks[1]
    items.rewrite_where("id", {"p1", "p7"}, lambda p: p.model_copy(update={"aliases": [p.name.lower()]}))
    assert [p.aliases for p in items] == [[], ["p 1"], [], [], [], [], [], ["p 7"]]
    assert items._chunks[1] is untouched and len(items) == 8
    assert [p.id for p in items] == [p.id for p in places] and places[1].aliases == []


def test_a_dataset_takes_lists_and_refuses_unknown_sections():
    d = Dataset.model_validate({"places": [{"id": "x", "name": "X", "kind": "city", "country": "FR"}]})
    assert isinstance(d.places, Items) and d.places[0].country == "FR" and d.size() == 1
    with pytest.raises(TypeError):
        Dataset(towns=[])


def test_pieces_share_whole_chunks_and_pickle_as_their_chunks(small_chunks):
    import pickle

    places = [Place(id=f"p{i}", name=f"P {i}", kind="city", country="DE") for i in range(11)]
    items = Items(Place, places)  # chunks of 3, 3, 3 and a tail of 2
    pieces = list(items.pieces(7))
    assert [len(p) for p in pieces] == [6, 3, 2]  # whole chunks up to 7, then the tail
    assert pieces[0]._chunks[0] is items._chunks[0]  # shared, not packed again
    assert [x for p in pieces for x in p] == places
    assert [len(p) for p in Items(Place, places[:2]).pieces(1)] == [1, 1]  # a tail is cut to the size asked
    copy = pickle.loads(pickle.dumps(items))
    assert list(copy) == places and copy._chunks == items._chunks and len(copy) == 11


@pytest.mark.parametrize("source", ["bundled", "generated"])
def test_referenced_ids_are_those_references_yields(source, tmp_path, small_chunks):
    """IdTable gathers the ids a dataset refers to section by section (no tuple per reference); they must be
    exactly the ids, and the party ids, that :func:`references` yields one by one, packed chunks and tail alike."""
    from citygraph.loaders.plan import first_references, referenced
    from citygraph.loaders.read import read_paths
    from citygraph.synth import generate, write

    data = bundled_dataset() if source == "bundled" else read_paths(write(generate(60, 300, seed=3), tmp_path)).dataset
    parties: set[str] = set()
    refs = first_references(data, parties)
    assert referenced(data) == (set(refs), parties) and len(parties) > 10


def test_a_reference_to_nothing_names_where_it_is_first_made(tmp_path):
    from citygraph.core.errors import InputError
    from citygraph.loaders.plan import plan
    from citygraph.loaders.read import read_paths

    path = tmp_path / "facts.yaml"
    path.write_text("documents:\n- {id: notes, title: Notes}\ncooperations:\n"
                    "- {id: c1, title: Ports, channel: port, involves: [lyon, shantou], sources: ['notes:1']}\n"
                    "- {id: c2, title: Fairs, channel: port, involves: [lyon, atlantis], sources: ['notes:2']}\n"
                    "- {id: c3, title: Bus, channel: port, involves: [atlantis], sources: ['notes:3']}\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match="refers to 'atlantis', which is neither in this load nor in the graph") as e:
        plan(read_paths([path]).dataset)
    assert e.value.location == f"{path}:5"  # c2, the first item to name it
