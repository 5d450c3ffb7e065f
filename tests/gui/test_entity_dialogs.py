"""Stance targets and actors: add, rename, describe, alias, merge, and deletion refused when used."""

from __future__ import annotations

import pytest

from annotator.core import ops
from annotator.core.model import Stance
from annotator.gui.widgets.entity_dialogs import ACTORS, TARGETS, EntityDialog, parse_aliases
from tests.gui.tagging_sample import FakeAsker, Tagging, tagging_fixture  # noqa: F401  (fixture)


@pytest.fixture
def records(tagging: Tagging) -> dict[str, str]:
    session = tagging.session
    made = {
        "treaty": session.perform(ops.create_target, name="Draft peace agreement"),
        "amendment": session.perform(ops.create_target, name="Constitutional amendment"),
        "baku": session.perform(
            ops.create_actor, name="Government of Azerbaijan", aliases=["Baku"]
        ),
        "aliyev": session.perform(ops.create_actor, name="Ilham Aliyev", aliases=["Aliyev"]),
    }
    ids = {key: changes.created("targets" if key in ("treaty", "amendment") else "actors")[0]
           for key, changes in made.items()}  # fmt: skip
    stance = session.perform(
        ops.create_stance,
        document_id=tagging.document,
        target_id=ids["treaty"],
        actor_id=ids["aliyev"],
        polarity=1,
    )
    ids["stance"] = stance.created("stances")[0]
    session.undo_stack.clear()
    return ids


def dialog(tagging: Tagging, kind, **answers) -> EntityDialog:
    made = tagging.panel.open_entities(kind)
    made.ask = FakeAsker(**answers)
    return made


def test_targets_add_rename_and_describe(tagging: Tagging, records) -> None:
    targets = dialog(tagging, TARGETS, text="Return of displaced people")
    assert targets.isVisible() and tagging.panel.open_entities(TARGETS) is targets
    assert [targets.list.item(i).text() for i in range(targets.list.count())] == [
        "Constitutional amendment",
        "Draft peace agreement",
    ]
    targets.add()
    added = next(t for t in tagging.session.targets() if t.name == "Return of displaced people")
    assert targets.current_id() == added.id
    targets.name.setText("Return of the displaced")
    targets.name.editingFinished.emit()
    targets.description.setPlainText("Both sides' displaced people.")
    targets.description.committed.emit()
    renamed = next(t for t in tagging.session.targets() if t.id == added.id)
    assert (renamed.name, renamed.description) == ("Return of the displaced", "Both sides' displaced people.")  # fmt: skip
    assert targets.aliases.isHidden()
    assert tagging.session.undo_stack.count() == 3
    tagging.session.undo_stack.undo()
    assert targets.description.toPlainText() == ""


def test_deleting_a_used_target_is_refused_unless_merged(tagging: Tagging, records) -> None:
    targets = dialog(tagging, TARGETS, confirm=False)
    targets.select(records["treaty"])
    before = tagging.rows()
    failures: list[str] = []
    tagging.session.failed.connect(failures.append)  # the main window shows these
    targets.delete()
    assert tagging.rows() == before  # refused, and the user did not choose to merge
    assert failures == []  # asked, not warned then asked
    assert targets.ask.asked[0][0] == "confirm" and "1 stance(s) use" in targets.ask.asked[0][1][1]
    targets.ask = FakeAsker(confirm=True, pick="Constitutional amendment")
    targets.delete()
    stance = tagging.project.require(Stance, records["stance"])
    assert stance.target_id == records["amendment"]
    assert [t.name for t in tagging.session.targets()] == ["Constitutional amendment"]
    targets.ask = FakeAsker(text="Sanctions")
    targets.add()
    targets.delete()  # unused: deleted without a question (Undo brings it back)
    assert [t.name for t in tagging.session.targets()] == ["Constitutional amendment"]
    assert [kind for kind, _ in targets.ask.asked] == ["text"]


def test_actors_aliases_and_merge(tagging: Tagging, records) -> None:
    actors = dialog(tagging, ACTORS, pick="Government of Azerbaijan")
    actors.select(records["aliyev"])
    assert actors.aliases.text() == "Aliyev" and not actors.aliases.isHidden()
    actors.aliases.setText("Aliyev,  President Aliyev , ,Aliyev")
    actors.aliases.editingFinished.emit()
    aliyev = next(a for a in tagging.session.actors() if a.id == records["aliyev"])
    assert tagging.session.actor_aliases(aliyev) == ["Aliyev", "President Aliyev"]
    actors.merge()
    [survivor] = tagging.session.actors()
    assert survivor.id == records["baku"]
    assert set(tagging.session.actor_aliases(survivor)) >= {"Baku", "Ilham Aliyev", "Aliyev"}
    assert tagging.project.require(Stance, records["stance"]).actor_id == records["baku"]
    assert actors.list.count() == 1 and actors.current_id() == records["baku"]


def test_an_emptied_name_is_put_back(tagging: Tagging, records) -> None:
    actors = dialog(tagging, ACTORS)
    actors.select(records["baku"])
    actors.name.setText("  ")
    actors.name.editingFinished.emit()
    assert actors.name.text() == "Government of Azerbaijan"
    assert tagging.session.undo_stack.count() == 0


def test_parse_aliases() -> None:
    assert parse_aliases(" Baku, Azerbaijani government ,, ") == ["Baku", "Azerbaijani government"]
    assert parse_aliases("") == []
