"""Model copies keep their own keys: an index lambda must follow the copy, not the original."""

from __future__ import annotations

from tenantkit.models.group import Group
from tenantkit.models.ids import new_id, new_user_id


def test_given_a_clone_when_key_fields_change_should_compute_keys_from_the_clone() -> None:
    original = Group(new_id(), new_user_id())
    original.name, original.group_type = "Alpha", "team"

    twin = original.clone()
    twin.name, twin.group_type = "Beta", "club"

    assert twin.index_attributes()["gsi2_pk"].endswith("#type#club")
    assert twin.index_attributes()["gsi1_sk"].startswith("name#beta#")
    assert original.index_attributes()["gsi2_pk"].endswith("#type#team")
    assert twin.to_public_dict() != original.to_public_dict()
    assert twin.id == original.id


def test_given_a_clone_when_nested_values_change_should_not_touch_the_original() -> None:
    original = Group(new_id(), new_user_id())
    original.metadata = {"tags": ["a"]}

    twin = original.clone()
    twin.metadata["tags"].append("b")

    assert original.metadata == {"tags": ["a"]}
