#!/usr/bin/env python3
"""Check the bootstrap RBAC policy files in this directory.

Usage: python3 check.py [DIR]

DIR defaults to the directory holding this script. Reads cluster-roles.yaml
and cluster-role-bindings.yaml, prints every problem as
"<file> document <index> (<name>): <problem>" (index counts from 0 over the
documents of that file) and exits 1 if there was any; otherwise prints a
one-line summary and exits 0. Needs PyYAML.
"""

import os
import sys

try:
    import yaml
except ImportError:
    sys.exit("check.py: PyYAML is required (pip install pyyaml, or apt-get install python3-yaml)")

RBAC_V1 = "rbac.authorization.k8s.io/v1"
RBAC_GROUP = "rbac.authorization.k8s.io"
BOOTSTRAP_LABEL = ("kubernetes.io/bootstrapping", "rbac-defaults")
AUTOUPDATE = "rbac.authorization.kubernetes.io/autoupdate"
ROLES_FILE = "cluster-roles.yaml"
BINDINGS_FILE = "cluster-role-bindings.yaml"


class Report:
    def __init__(self):
        self.problems = []

    def add(self, path, index, name, message):
        where = f"{os.path.basename(path)} document {index}"
        if name:
            where += f" ({name})"
        self.problems.append(f"{where}: {message}")


def load(path, report):
    """Return the list of documents, or None if the file cannot be parsed."""
    try:
        with open(path, encoding="utf-8") as handle:
            documents = list(yaml.safe_load_all(handle))
    except OSError as error:
        report.add(path, "-", None, f"cannot read: {error}")
        return None
    except yaml.YAMLError as error:
        # The loader stops at the first error; say which document it was in.
        mark = getattr(error, "problem_mark", None)
        index = "?"
        if mark is not None:
            with open(path, encoding="utf-8") as handle:
                lines = handle.read().splitlines()[: mark.line]
            index = sum(1 for line in lines if line.rstrip() == "---")
        report.add(path, index, None, f"YAML error: {error}")
        return None
    return documents


def is_str_list(value, blank_items=False):
    """A non-empty list of strings; "" is allowed as an item only if blank_items."""
    return (
        isinstance(value, list)
        and len(value) > 0
        and all(isinstance(item, str) and (blank_items or item != "") for item in value)
    )


def check_metadata(path, index, document, report):
    metadata = document.get("metadata")
    if not isinstance(metadata, dict):
        report.add(path, index, None, "metadata is missing or not a mapping")
        return None
    name = metadata.get("name")
    if not isinstance(name, str) or not name:
        report.add(path, index, None, "metadata.name is missing or empty")
        name = None
    if "namespace" in metadata:
        report.add(path, index, name, "cluster-scoped object must not set metadata.namespace")
    labels = metadata.get("labels") or {}
    key, value = BOOTSTRAP_LABEL
    if not isinstance(labels, dict) or labels.get(key) != value:
        report.add(path, index, name, f"label {key}: {value} is missing")
    annotations = metadata.get("annotations") or {}
    if not isinstance(annotations, dict) or annotations.get(AUTOUPDATE) != "true":
        report.add(path, index, name, f'annotation {AUTOUPDATE}: "true" is missing (it must be the string "true")')
    return name


def check_rule(path, index, name, number, rule, report):
    where = f"rule {number}"
    if not isinstance(rule, dict):
        report.add(path, index, name, f"{where} is not a mapping")
        return
    known = {"apiGroups", "resources", "resourceNames", "nonResourceURLs", "verbs"}
    for key in rule:
        if key not in known:
            report.add(path, index, name, f"{where} has unknown field {key!r}")
    if not is_str_list(rule.get("verbs")):
        report.add(path, index, name, f"{where} needs a non-empty list of verbs")
    has_resources = "apiGroups" in rule or "resources" in rule or "resourceNames" in rule
    has_urls = "nonResourceURLs" in rule
    if has_resources and has_urls:
        report.add(path, index, name, f"{where} mixes resources and nonResourceURLs")
    elif has_urls:
        urls = rule.get("nonResourceURLs")
        if not is_str_list(urls):
            report.add(path, index, name, f"{where} needs a non-empty list of nonResourceURLs")
        else:
            for url in urls:
                if url != "*" and not url.startswith("/"):
                    report.add(path, index, name, f"{where} nonResourceURL {url!r} must be '*' or start with '/'")
                if "*" in url[:-1]:
                    report.add(path, index, name, f"{where} nonResourceURL {url!r} may only have '*' at the end")
    else:
        # apiGroups may contain "" (the core group), so only require a list.
        if not is_str_list(rule.get("apiGroups"), blank_items=True):
            report.add(path, index, name, f"{where} needs apiGroups (use \"\" for the core group)")
        resources = rule.get("resources")
        if not is_str_list(resources):
            report.add(path, index, name, f"{where} needs a non-empty list of resources")
        else:
            for resource in resources:
                if resource == "" or resource.count("/") > 1:
                    report.add(path, index, name, f"{where} resource {resource!r} is not 'name' or 'name/subresource'")
        if "resourceNames" in rule and not is_str_list(rule.get("resourceNames")):
            report.add(path, index, name, f"{where} resourceNames must be a non-empty list of names")


def rbac_documents(path, documents, kind, report):
    """Yields (index, document, name) for each mapping of `kind`, reporting what is not."""
    for index, document in enumerate(documents):
        if document is None:
            report.add(path, index, None, "empty document (stray '---'?)")
            continue
        if not isinstance(document, dict):
            report.add(path, index, None, "document is not a mapping")
            continue
        if document.get("apiVersion") != RBAC_V1:
            report.add(path, index, None, f"apiVersion must be {RBAC_V1}")
        if document.get("kind") != kind:
            report.add(path, index, None, f"kind must be {kind}")
        yield index, document, check_metadata(path, index, document, report)


def check_roles(path, documents, report):
    roles = {}
    for index, document, name in rbac_documents(path, documents, "ClusterRole", report):
        if name in roles:
            report.add(path, index, name, f"duplicate name (also document {roles[name][0]})")
        aggregation = document.get("aggregationRule")
        rules = document.get("rules")
        if aggregation is not None:
            selectors = aggregation.get("clusterRoleSelectors") if isinstance(aggregation, dict) else None
            if not isinstance(selectors, list) or not selectors:
                report.add(path, index, name, "aggregationRule needs a non-empty clusterRoleSelectors list")
                selectors = []
            for number, selector in enumerate(selectors):
                if not isinstance(selector, dict) or not isinstance(selector.get("matchLabels"), dict) or not selector["matchLabels"]:
                    report.add(path, index, name, f"clusterRoleSelectors[{number}] needs non-empty matchLabels")
            # The server owns an aggregated role's rules; anything written
            # here would be overwritten at the next refill.
            if rules not in ([], None):
                report.add(path, index, name, "a role with aggregationRule must have rules: [] (its rules are filled in)")
        else:
            if not isinstance(rules, list):
                report.add(path, index, name, "rules is missing (and there is no aggregationRule)")
            elif not rules:
                report.add(path, index, name, "rules is empty (and there is no aggregationRule)")
            else:
                for number, rule in enumerate(rules):
                    check_rule(path, index, name, number, rule, report)
        if name is not None and name not in roles:
            roles[name] = (index, document)
    return roles


def check_aggregation_targets(path, roles, report):
    """Every selector must pick at least one role from this file."""
    for name, (index, document) in roles.items():
        aggregation = document.get("aggregationRule")
        if not isinstance(aggregation, dict):
            continue
        for number, selector in enumerate(aggregation.get("clusterRoleSelectors") or []):
            wanted = (selector or {}).get("matchLabels") or {}
            if not isinstance(wanted, dict) or not wanted:
                continue
            matches = [
                other
                for other, (_, candidate) in roles.items()
                if other != name
                and all(((candidate.get("metadata") or {}).get("labels") or {}).get(k) == v for k, v in wanted.items())
            ]
            if not matches:
                report.add(path, index, name, f"clusterRoleSelectors[{number}] {wanted} selects no role in {ROLES_FILE}")


def check_subject(path, index, name, number, subject, report):
    where = f"subject {number}"
    if not isinstance(subject, dict):
        report.add(path, index, name, f"{where} is not a mapping")
        return
    kind = subject.get("kind")
    if not isinstance(subject.get("name"), str) or not subject.get("name"):
        report.add(path, index, name, f"{where} needs a name")
    if kind in ("User", "Group"):
        if subject.get("apiGroup") != RBAC_GROUP:
            report.add(path, index, name, f"{where} ({kind}) needs apiGroup: {RBAC_GROUP}")
        if "namespace" in subject:
            report.add(path, index, name, f"{where} ({kind}) must not set a namespace")
    elif kind == "ServiceAccount":
        if subject.get("apiGroup", "") != "":
            report.add(path, index, name, f"{where} (ServiceAccount) must not set an apiGroup")
        if not isinstance(subject.get("namespace"), str) or not subject.get("namespace"):
            report.add(path, index, name, f"{where} (ServiceAccount) needs a namespace")
    else:
        report.add(path, index, name, f"{where} kind must be User, Group or ServiceAccount, not {kind!r}")


def check_bindings(path, documents, roles, report):
    seen = {}
    for index, document, name in rbac_documents(path, documents, "ClusterRoleBinding", report):
        if name is not None:
            if name in seen:
                report.add(path, index, name, f"duplicate name (also document {seen[name]})")
            else:
                seen[name] = index
        role_ref = document.get("roleRef")
        if not isinstance(role_ref, dict):
            report.add(path, index, name, "roleRef is missing")
        else:
            if role_ref.get("apiGroup") != RBAC_GROUP:
                report.add(path, index, name, f"roleRef.apiGroup must be {RBAC_GROUP}")
            if role_ref.get("kind") != "ClusterRole":
                report.add(path, index, name, "roleRef.kind must be ClusterRole")
            if role_ref.get("name") not in roles:
                report.add(path, index, name, f"roleRef.name {role_ref.get('name')!r} is not a ClusterRole in {ROLES_FILE}")
        subjects = document.get("subjects")
        if subjects is None:
            subjects = []
        if not isinstance(subjects, list):
            report.add(path, index, name, "subjects must be a list")
            continue
        for number, subject in enumerate(subjects):
            check_subject(path, index, name, number, subject, report)
    return seen


def main(argv):
    directory = argv[1] if len(argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    roles_path = os.path.join(directory, ROLES_FILE)
    bindings_path = os.path.join(directory, BINDINGS_FILE)
    report = Report()

    role_documents = load(roles_path, report)
    roles = {}
    if role_documents is not None:
        roles = check_roles(roles_path, role_documents, report)
        check_aggregation_targets(roles_path, roles, report)

    binding_documents = load(bindings_path, report)
    bindings = {}
    if binding_documents is not None:
        if role_documents is None:
            report.add(bindings_path, "-", None, f"roleRefs not checked: {ROLES_FILE} did not load")
        bindings = check_bindings(bindings_path, binding_documents, roles, report)

    if report.problems:
        for problem in report.problems:
            print(problem, file=sys.stderr)
        print(f"check.py: {len(report.problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"check.py: OK: {len(roles)} ClusterRoles in {ROLES_FILE}, {len(bindings)} ClusterRoleBindings in {BINDINGS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
