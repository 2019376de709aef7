"""The IAM objects of the API chart, as ks-core 4.1 aggregates them and the role editor shows them.

How ks-core uses them (kubesphere release-4.1; dev-guide feature-customization/access-control):
- a GlobalRole with `aggregationRoleTemplates.roleSelector` collects the RoleTemplates whose labels
  match (config/ks-core/templates/globalroles.yaml: `authenticated` selects
  `iam.kubesphere.io/aggregate-to-authenticated: ""` and `iam.kubesphere.io/scope: global`;
  pkg/controller/roletemplate/roletemplate_controller.go); admin roles take every template of
  their scope;
- the console's role editor lists RoleTemplates of a scope and groups them by the
  `iam.kubesphere.io/category` label into the iam.kubesphere.io Category objects of that scope;
  `iam.kubesphere.io/dependencies` names templates selected together;
- ks-core's own templates and categories carry `kubesphere.io/managed: "true"`
  (config/ks-core/templates/roletemplates.yaml).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.api.test_chart_api import selector_matches
from tests.helmtools import find, one, render
from tests.kube_resources import resource_of, validate_custom_resource

# ks-core's built-in GlobalRole selectors (config/ks-core/templates/globalroles.yaml).
AUTHENTICATED = {"matchLabels": {"iam.kubesphere.io/aggregate-to-authenticated": "",
                                 "iam.kubesphere.io/scope": "global"}}
PLATFORM_ADMIN_SCOPE = {"matchLabels": {"iam.kubesphere.io/scope": "global"}}


@pytest.fixture(scope="module")
def objects(chart: Path) -> list[dict[str, Any]]:
    return render(chart)


@pytest.fixture(scope="module")
def templates(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = find(objects, "RoleTemplate")
    assert {t["metadata"]["name"] for t in found} == {"global-deepseek-view", "global-deepseek-manage",
                                                      "global-deepseek-chat"}
    return found


def aggregate(selector: dict[str, Any], templates: list[dict[str, Any]]) -> set[str]:
    return {t["metadata"]["name"] for t in templates if selector_matches(selector, t["metadata"]["labels"])}


def test_category_is_the_iam_kind_and_valid_against_its_crd(objects: list[dict[str, Any]]) -> None:
    category = one(objects, "Category", "deepseek-management")
    # Two CRDs are named Category: kubesphere.io (Extension Center) and iam.kubesphere.io (role editor).
    assert category["apiVersion"] == "iam.kubesphere.io/v1beta1"
    assert resource_of(category) == ("iam.kubesphere.io", "categories", False)
    validate_custom_resource(category)
    assert category["metadata"]["labels"]["iam.kubesphere.io/scope"] == "global"
    assert category["metadata"]["labels"]["kubesphere.io/managed"] == "true"
    assert set(category["spec"]["displayName"]) == {"en", "zh"}


def test_role_templates_are_valid_and_labelled_like_ks_core_s(templates: list[dict[str, Any]]) -> None:
    for template in templates:
        validate_custom_resource(template)
        labels = template["metadata"]["labels"]
        assert labels["iam.kubesphere.io/scope"] == "global"
        assert labels["iam.kubesphere.io/category"] == "deepseek-management"
        assert labels["kubesphere.io/managed"] == "true"
        assert set(template["spec"]["displayName"]) == {"en", "zh"}


def test_role_editor_groups_every_template_under_a_category_of_its_scope(objects, templates) -> None:
    categories = {c["metadata"]["name"]: c for c in find(objects, "Category")
                  if c["apiVersion"].startswith("iam.kubesphere.io/")}
    for template in templates:
        labels = template["metadata"]["labels"]
        name = labels["iam.kubesphere.io/category"]
        category = categories.get(name)
        assert category is not None, f"{template['metadata']['name']}: no Category {name}"
        assert category["metadata"]["labels"]["iam.kubesphere.io/scope"] == labels["iam.kubesphere.io/scope"]


def test_dependencies_name_templates_of_the_same_scope(templates: list[dict[str, Any]]) -> None:
    by_name = {t["metadata"]["name"]: t for t in templates}
    manage = by_name["global-deepseek-manage"]
    dependencies = json.loads(manage["metadata"]["annotations"]["iam.kubesphere.io/dependencies"])
    assert dependencies == ["global-deepseek-view"]
    for name in dependencies:
        assert by_name[name]["metadata"]["labels"]["iam.kubesphere.io/scope"] == "global"


def test_authenticated_aggregates_view_and_chat_but_not_manage(templates: list[dict[str, Any]]) -> None:
    assert aggregate(AUTHENTICATED, templates) == {"global-deepseek-view", "global-deepseek-chat"}
    # platform-admin takes every global template.
    assert aggregate(PLATFORM_ADMIN_SCOPE, templates) == {"global-deepseek-view", "global-deepseek-manage",
                                                          "global-deepseek-chat"}


def test_console_rules_say_view_and_manage(templates: list[dict[str, Any]]) -> None:
    rules = {t["metadata"]["name"]: json.loads(t["metadata"]["annotations"]["iam.kubesphere.io/role-template-rules"])
             for t in templates}
    assert rules == {"global-deepseek-view": {"deepseek": "view"}, "global-deepseek-manage": {"deepseek": "manage"},
                     "global-deepseek-chat": {"deepseek": "chat"}}


def _grants(rules: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {(resource, verb) for rule in rules if rule["apiGroups"] == ["deepseek.kubesphere.io"]
            for resource in rule["resources"] for verb in rule["verbs"]}


def test_keys_and_access_code_need_manage_usage_is_view(templates: list[dict[str, Any]]) -> None:
    by_name = {t["metadata"]["name"]: _grants(t["spec"]["rules"]) for t in templates}
    admin_only = {("apikeys", "get"), ("apikeys", "list"), ("apikeys", "create"), ("apikeys", "delete"),
                  ("accesscode", "get")}
    assert admin_only <= by_name["global-deepseek-manage"]
    assert not admin_only & (by_name["global-deepseek-view"] | by_name["global-deepseek-chat"])
    assert ("usage", "get") in by_name["global-deepseek-view"]
    assert by_name["global-deepseek-chat"] == {("chat", "create")}


def test_every_user_may_chat_by_default_and_the_binding_matches(objects: list[dict[str, Any]]) -> None:
    role = one(objects, "GlobalRole", "deepseek-chat")
    validate_custom_resource(role)
    assert _grants(role["rules"]) == {("chat", "create")}
    binding = one(objects, "GlobalRoleBinding", "deepseek-chat")
    validate_custom_resource(binding)
    assert binding["roleRef"]["name"] == "deepseek-chat"
    assert binding["subjects"] == [{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group",
                                    "name": "system:authenticated"}]
    # The viewer role bound to everyone holds what the view template holds.
    viewer = one(objects, "GlobalRole", "deepseek-viewer")
    assert ("usage", "get") in _grants(viewer["rules"])


def test_chat_can_be_left_to_administrators(chart: Path) -> None:
    objects = render(chart, set_values={"api.chat.grantAllUsers": False})
    templates = find(objects, "RoleTemplate")
    chat = one(objects, "RoleTemplate", "global-deepseek-chat")  # still offered in the role editor
    validate_custom_resource(chat)
    assert aggregate(AUTHENTICATED, templates) == {"global-deepseek-view"}
    assert not find(objects, "GlobalRole", "deepseek-chat") and not find(objects, "GlobalRoleBinding", "deepseek-chat")
