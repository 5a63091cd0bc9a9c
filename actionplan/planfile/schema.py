"""The plan file: one YAML file per jurisdiction with its institutions, people, plans and groups.

fixtures/README.md documents the format for the people who edit it. One schema (the Section tables
below) drives both directions: `import_plan_file` reads a file, validates all of it, then writes it
in one transaction; `export_jurisdiction` writes the same format back. Records are matched by
natural keys (slugs, codes, titles), never by database ids, so a file can be imported again and
again: unchanged records are not written, which keeps the trigger-kept step history free of noise.

The field rules themselves (choices, lengths, dates in order, progress 0–100, ...) live in the
models and are applied here through full_clean(); this module adds only what a file needs on top:
keys, types, natural keys and references between records.

The YAML reading and the checks of keys and plain values (load_yaml, check_keys, scalar_value,
Problems, PlanFileError) serve the meetings importer too (meetings/importer.py).
"""

import datetime
import difflib
import os
from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import cached_property

import yaml
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, router, transaction
from django.db.models import Prefetch, Q
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import translation

from actionplan.importing import ImportFileError
from actionplan.importing import ImportSummary as BaseSummary
from actionplan.models import (
    ActionPlan,
    ActionStep,
    Institution,
    Jurisdiction,
    Membership,
    Milestone,
    OgpValue,
    Priority,
    Stakeholder,
    StakeholderGroup,
    StepInstitution,
    StepUpdate,
)

FORMAT = "ogp-portal/1"


# --- The schema -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """A mapping of scalar keys stored in columns of the same record, e.g. period: {start, end}."""

    keys: dict


@dataclass(frozen=True)
class Ref:
    """The natural key of a record listed elsewhere in the file, stored as a foreign key.

    `target` names the list holding the record; it is looked up in the nearest enclosing record
    that has such a list of the referenced model (a step's priority in its plan, an institution at
    the top of the file).
    """

    attr: str
    target: str
    target_key: str


class Values:
    """The list of OGP values a step is relevant to, one boolean column `value_<key>` each."""


@dataclass(frozen=True)
class Section:
    """A list of records of one model under a parent record (or the top of the file)."""

    model: type
    keys: dict  # file key -> model attribute (str), Group, Ref, Values or a child Section
    parent: str | None = None  # foreign key to the record holding the list
    key: str | None = None  # file key identifying an item within its list
    ordered: bool = False  # the position in the list is stored in `order`
    # Records missing from the file are removed, except top-level ones: a file may carry a subset
    # of a jurisdiction's plans, and institutions or people are retired in the admin, not by a file.
    prune: bool = True
    sort: object = None  # export order, as a key function of an instance

    @property
    def related_name(self):
        return self.model._meta.get_field(self.parent).remote_field.related_name

    def model_field(self, attr):
        return self.model._meta.get_field(attr)

    @cached_property
    def required(self):
        """File keys that must be present: the natural key and what the model cannot default."""
        required = {self.key} if self.key else set()
        for file_key, spec in self.keys.items():
            if isinstance(spec, str):
                needed = _required(self.model_field(spec))
            elif isinstance(spec, Ref):
                needed = not self.model_field(spec.attr).null
            elif isinstance(spec, Group):
                needed = any(_required(self.model_field(attr)) for attr in spec.keys.values())
            else:
                needed = False
            if needed:
                required.add(file_key)
        return required


def _required(model_field):
    return not model_field.blank and not model_field.has_default()


def _same(*names):
    return {name: name for name in names}


MILESTONES = Section(
    Milestone,
    parent="step",
    key="title",
    ordered=True,
    keys=_same("title", "due_date", "completed_on"),
    sort=lambda m: (m.order, m.title),
)
STEP_INSTITUTIONS = Section(
    StepInstitution,
    parent="step",
    key="institution",
    keys={"institution": Ref("institution", "institutions", "slug"), "role": "role"},
    sort=lambda r: (r.role, r.institution.slug),
)
STEPS = Section(
    ActionStep,
    parent="plan",
    key="code",
    ordered=True,
    keys={
        **_same("code", "title", "local_title"),
        "priority": Ref("priority", "priorities", "code"),
        **_same("origin", "is_sample", "status", "progress", "start_date", "end_date"),
        "values": Values,
        **_same("problem", "description", "expected_result", "source_url"),
        "institutions": STEP_INSTITUTIONS,
        "milestones": MILESTONES,
    },
    sort=lambda s: (s.order, s.code),
)
PRIORITIES = Section(
    Priority,
    parent="plan",
    key="code",
    ordered=True,
    keys=_same("code", "title", "local_title", "description"),
    sort=lambda p: (p.order, p.code),
)
PLANS = Section(
    ActionPlan,
    parent="jurisdiction",
    key="slug",
    prune=False,
    keys={
        **_same("slug", "code", "title", "local_title", "content_language", "status"),
        "period": Group({"start": "period_start", "end": "period_end"}),
        **_same("submitted_on", "source_url"),
        "narrative": Group(_same(*ActionPlan.NARRATIVE_FIELDS)),
        "declared": Group(
            {"groups": "declared_groups", "public_meetings": "declared_public_meetings"}
        ),
        "priorities": PRIORITIES,
        "steps": STEPS,
    },
    sort=lambda p: (p.period_start, p.slug),
)
INSTITUTIONS = Section(
    Institution,
    parent="jurisdiction",
    key="slug",
    prune=False,
    keys=_same("slug", "name", "local_name", "abbreviation", "kind", "website"),
    sort=lambda i: i.slug,
)
STAKEHOLDERS = Section(
    Stakeholder,
    parent="jurisdiction",
    key="slug",
    prune=False,
    keys=_same(
        "slug", "kind", "name", "affiliation", "public_role", "sector", "country", "website"
    ),
    sort=lambda s: s.slug,
)
MEMBERS = Section(
    Membership,
    parent="group",
    key="stakeholder",
    ordered=True,
    keys={"stakeholder": Ref("stakeholder", "stakeholders", "slug"), "role": "role"},
    sort=lambda m: (m.order, m.stakeholder.slug),
)
GROUPS = Section(
    StakeholderGroup,
    parent="jurisdiction",
    key="slug",
    ordered=True,
    prune=False,
    keys={
        **_same("slug", "name", "local_name", "sector"),
        "plan": Ref("plan", "plans", "slug"),
        "description": "description",
        "members": MEMBERS,
    },
    sort=lambda g: (g.order, g.slug),
)
# The top of the file. The key order is also the write order: a record is written after the
# records it refers to (groups name plans and stakeholders, steps name institutions).
ROOT = Section(
    Jurisdiction,
    keys={
        "jurisdiction": Group(
            _same(
                "slug",
                "name",
                "local_name",
                "country",
                "local_language",
                "website",
                "ogp_member_since",
            )
        ),
        "institutions": INSTITUTIONS,
        "stakeholders": STAKEHOLDERS,
        "plans": PLANS,
        "stakeholder_groups": GROUPS,
    },
)


# --- Problems ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    line: int | None
    where: str
    message: str

    def format(self, source):
        parts = [f"{source}:{self.line}" if self.line else source]
        if self.where:
            parts.append(self.where)
        return ": ".join([*parts, self.message])


class PlanFileError(ImportFileError):
    """The file cannot be imported; `problems` lists every reason found, in file order."""

    def __init__(self, source, problems):
        self.source = source
        self.problems = sorted(problems, key=lambda p: p.line or 0)
        super().__init__("\n".join(self.lines()))

    def lines(self):
        return [problem.format(self.source) for problem in self.problems]


class Problems(list):
    """The problems found so far in a file, in the order found."""

    def add(self, line, where, message):
        self.append(Problem(line, where, message))


# --- Reading YAML with line numbers -----------------------------------------------------------


class _Mapping(dict):
    """A YAML mapping that remembers the line of each key."""

    line = None

    def line_of(self, key):
        return self.lines.get(key, self.line)


class _Sequence(list):
    """A YAML sequence that remembers the line of each item."""

    line = None


_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def _without_timestamps(resolvers):
    return {
        first: [(tag, regexp) for tag, regexp in entries if tag != _TIMESTAMP]
        for first, entries in resolvers.items()
    }


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe loader that keeps line numbers, reports duplicate keys and leaves dates as text.

    Dates stay text so that an impossible date (2024-02-30) is reported at its key like any other
    bad value, instead of aborting the whole parse.
    """

    yaml_implicit_resolvers = _without_timestamps(yaml.SafeLoader.yaml_implicit_resolvers)

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates = []

    def construct_ogp_mapping(self, node):
        mapping = _Mapping()
        mapping.line = node.start_mark.line + 1
        mapping.lines = {}
        yield mapping
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, Hashable):
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be a plain value", key_node.start_mark
                )
            line = key_node.start_mark.line + 1
            if key in mapping:
                self.duplicates.append((line, key, mapping.lines[key]))
                continue
            mapping[key] = self.construct_object(value_node, deep=True)
            mapping.lines[key] = line

    def construct_ogp_sequence(self, node):
        sequence = _Sequence()
        sequence.line = node.start_mark.line + 1
        sequence.lines = [child.start_mark.line + 1 for child in node.value]
        yield sequence
        sequence.extend(self.construct_object(child, deep=True) for child in node.value)


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_ogp_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_ogp_sequence)


def load_yaml(text, source):
    """(data, Problems) from YAML text; mappings and lists know the line of each key and item.

    A syntax error raises PlanFileError at once; duplicate keys are problems to report with the
    others.
    """
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = f", column {mark.column + 1}" if mark else ""
        detail = exc.problem or exc.context or "cannot be read"
        if exc.context and exc.context_mark and exc.problem:
            detail += f" ({exc.context}, which starts on line {exc.context_mark.line + 1})"
        raise PlanFileError(
            source, [Problem(line, "", f"YAML syntax error{column}: {detail}")]
        ) from None
    except yaml.YAMLError as exc:
        raise PlanFileError(source, [Problem(None, "", f"YAML syntax error: {exc}")]) from None
    finally:
        loader.dispose()
    problems = Problems()
    for line, key, first in loader.duplicates:
        problems.add(line, "", f"duplicate key {key!r} (first given on line {first})")
    return data, problems


# --- Parsing the data into nodes --------------------------------------------------------------


@dataclass(eq=False)
class _Node:
    """One record of the file on its way to the database."""

    section: Section
    where: str
    line: int | None
    parent: "_Node | None" = None
    key: object = None  # the natural key, when it is valid and not a duplicate
    values: dict = field(default_factory=dict)  # model attribute -> value
    lines: dict = field(default_factory=dict)  # model attribute -> line of its key
    refs: dict = field(default_factory=dict)  # Ref -> (natural key, where, line)
    bad: set = field(default_factory=set)  # attributes with a problem already reported
    children: dict = field(default_factory=dict)  # list name -> [_Node]
    lists: dict = field(default_factory=dict)  # list name -> (where, line) of the list
    instance: models.Model | None = None
    is_new: bool = True
    changed: list = field(default_factory=list)
    old_version: int | None = None
    removed: dict = field(default_factory=dict)  # list name -> [instances to delete]
    broken: bool = False  # not even a mapping: nothing to validate further


A_MAPPING = "a mapping (key: value lines)"
A_LIST = "a list"


def _describe(value):
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _wrong_type(expected, value):
    return f"expected {expected}, got {_describe(value)}"


def join_path(where, key):
    """The place of `key` inside the record at `where`, as problems name it: plans[0].title."""
    return f"{where}.{key}" if where else key


def suggest(word, choices):
    """ "; did you mean ...?" for the closest of `choices` to a misspelt `word`, or ""."""
    match = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1)
    return f"; did you mean {match[0]!r}?" if match else ""


def _attr(spec):
    """The model attribute behind a scalar or reference key."""
    return spec.attr if isinstance(spec, Ref) else spec


def check_keys(mapping, allowed, required, where, problems):
    """Report unknown and missing keys; return the missing ones."""
    for key in mapping:
        if key not in allowed:
            hint = suggest(key, allowed) or f" (allowed: {', '.join(allowed)})"
            problems.add(mapping.line_of(key), join_path(where, key), f"unknown key{hint}")
    missing = [key for key in allowed if key in required and key not in mapping]
    for key in missing:
        problems.add(mapping.line, where, f"missing required key {key!r}")
    return missing


def scalar_value(model_field, value):
    """(python value, problem message) for a file value meant for `model_field`."""
    if value is None:
        # An empty value means "not known": text becomes "", anything else stays None and the
        # model says whether that is allowed.
        text = isinstance(model_field, models.CharField | models.TextField)
        return ("" if text else None), None
    if isinstance(model_field, models.CharField | models.TextField):
        return (value, None) if isinstance(value, str) else (None, _wrong_type("text", value))
    if isinstance(model_field, models.BooleanField):
        if isinstance(value, bool):
            return value, None
        return None, _wrong_type("true or false", value)
    if isinstance(model_field, models.IntegerField):
        if isinstance(value, int) and not isinstance(value, bool):
            return value, None
        return None, _wrong_type("a whole number", value)
    if isinstance(model_field, models.DateField):
        if not isinstance(value, str):
            return None, _wrong_type("a date (YYYY-MM-DD)", value)
        try:
            return model_field.to_python(value), None
        except ValidationError as exc:
            return None, " ".join(exc.messages)
    raise TypeError(f"no file type for {model_field!r}")


class _Parser:
    def __init__(self, problems):
        self.problems = problems

    def record(self, section, mapping, where, parent, line):
        node = _Node(section, where, line, parent)
        for file_key, spec in section.keys.items():
            if isinstance(spec, Section):
                node.children[file_key] = []
                node.lists[file_key] = (join_path(where, file_key), line)
        if not isinstance(mapping, dict):
            self.problems.add(line, where, _wrong_type(A_MAPPING, mapping))
            node.broken = True
            return node
        node.line = mapping.line
        missing = check_keys(mapping, section.keys, section.required, where, self.problems)
        # A missing key is reported once, not again by the model as "cannot be blank".
        for file_key in missing:
            spec = section.keys[file_key]
            node.bad.update(spec.keys.values() if isinstance(spec, Group) else [_attr(spec)])
        for file_key, spec in section.keys.items():
            present = file_key in mapping
            value = mapping.get(file_key)
            at = (join_path(where, file_key), mapping.line_of(file_key))
            if isinstance(spec, Section):
                node.lists[file_key] = at
                node.children[file_key] = self.items(spec, value, *at, node) if present else []
            elif isinstance(spec, Group):
                self.group(node, spec, value if present else {}, *at)
            elif isinstance(spec, Ref):
                self.ref(node, spec, value, *at)
            elif spec is Values:
                self.ogp_values(node, value, *at)
            else:
                self.scalar(node, spec, value if present else _DEFAULT, *at)
        key_spec = section.keys.get(section.key)
        if section.key in mapping and _attr(key_spec) not in node.bad:
            node.key = (
                node.values.get(key_spec)
                if isinstance(key_spec, str)
                else node.refs.get(key_spec, (None,))[0]
            )
        return node

    def scalar(self, node, attr, value, where, line):
        model_field = node.section.model_field(attr)
        node.lines[attr] = line
        if value is _DEFAULT:
            node.values[attr] = model_field.get_default()
            return
        result, problem = scalar_value(model_field, value)
        if problem:
            self.problems.add(line, where, problem)
            node.bad.add(attr)
        else:
            node.values[attr] = result

    def group(self, node, spec, value, where, line):
        if not isinstance(value, dict):
            self.problems.add(line, where, _wrong_type(A_MAPPING, value))
            node.bad.update(spec.keys.values())
            return
        required = {k for k, attr in spec.keys.items() if _required(node.section.model_field(attr))}
        if isinstance(value, _Mapping):
            check_keys(value, spec.keys, required, where, self.problems)
        for key, attr in spec.keys.items():
            sub = value.get(key, _DEFAULT)
            sub_line = value.line_of(key) if isinstance(value, _Mapping) else line
            self.scalar(node, attr, sub, join_path(where, key), sub_line)

    def ref(self, node, spec, value, where, line):
        node.lines[spec.attr] = line
        if value is None or value == "":
            node.refs[spec] = (None, where, line)
        elif isinstance(value, str):
            node.refs[spec] = (value, where, line)
        else:
            self.problems.add(line, where, _wrong_type("text", value))
            node.bad.add(spec.attr)

    def ogp_values(self, node, value, where, line):
        chosen = []
        if value is None:
            value = []
        if not isinstance(value, list):
            self.problems.add(line, where, _wrong_type(A_LIST, value))
        else:
            allowed = OgpValue.values
            for item in value:
                if item in allowed:
                    chosen.append(item)
                else:
                    self.problems.add(
                        line,
                        where,
                        f"unknown OGP value {item!r}{suggest(item, allowed)} "
                        f"(allowed: {', '.join(allowed)})",
                    )
        for ogp_value in OgpValue.values:
            node.values[f"value_{ogp_value}"] = ogp_value in chosen

    def items(self, section, value, where, line, parent):
        if value is None:
            return []
        if not isinstance(value, list):
            self.problems.add(line, where, _wrong_type(A_LIST, value))
            return []
        nodes, seen = [], {}
        for index, item in enumerate(value):
            key = item.get(section.key) if isinstance(item, dict) else None
            label = f"{section.key}={key}" if isinstance(key, str) and key else str(index)
            item_line = value.lines[index] if isinstance(value, _Sequence) else line
            node = self.record(section, item, f"{where}[{label}]", parent, item_line)
            if node.key is not None:
                if node.key in seen:
                    self.problems.add(
                        node.line,
                        node.where,
                        f"duplicate {section.key} {node.key!r} (first on line {seen[node.key]})",
                    )
                    node.key = None
                else:
                    seen[node.key] = node.line
            nodes.append(node)
        return nodes


_DEFAULT = object()


def _walk(node):
    yield node
    for nodes in node.children.values():
        for child in nodes:
            yield from _walk(child)


def _holds(node, name, model):
    """Whether `node` has a list `name` of `model` records (a step's "institutions" are roles)."""
    spec = node.section.keys.get(name)
    return isinstance(spec, Section) and spec.model is model


def _resolve_refs(root, problems):
    """Point every reference at the node it names, looking in the nearest enclosing list."""
    resolved = {}
    for node in _walk(root):
        for spec, (value, where, line) in node.refs.items():
            if value is None:
                continue
            holder, model = node.parent, node.section.model_field(spec.attr).related_model
            while not _holds(holder, spec.target, model):
                holder = holder.parent
            candidates = {child.key: child for child in holder.children[spec.target]}
            target = candidates.get(value)
            if target is None:
                scope = f" of {holder.where}" if holder.where else " in this file"
                problems.add(
                    line,
                    where,
                    f"unknown {model._meta.verbose_name} {value!r}: no entry with this "
                    f"{spec.target_key} in '{spec.target}'{scope}"
                    f"{suggest(value, [k for k in candidates if k is not None])}",
                )
                node.bad.add(spec.attr)
            else:
                resolved[(node, spec)] = target
    return resolved


# --- Matching the nodes with the database -----------------------------------------------------


def _tree_queryset(plans=None, groups=None):
    """The jurisdiction with everything a file holds, in a fixed number of queries."""
    return Jurisdiction.objects.prefetch_related(
        "institutions",
        "stakeholders",
        Prefetch("plans", queryset=plans if plans is not None else ActionPlan.objects.all()),
        "plans__priorities",
        Prefetch("plans__steps", queryset=ActionStep.objects.select_related("priority")),
        Prefetch(
            "plans__steps__roles", queryset=StepInstitution.objects.select_related("institution")
        ),
        "plans__steps__milestones",
        Prefetch(
            "stakeholder_groups",
            queryset=(
                groups if groups is not None else StakeholderGroup.objects.all()
            ).select_related("plan"),
        ),
        Prefetch(
            "stakeholder_groups__memberships",
            queryset=Membership.objects.select_related("stakeholder"),
        ),
    )


def _natural_key(section, instance):
    spec = section.keys[section.key]
    if isinstance(spec, Ref):
        return getattr(getattr(instance, spec.attr), spec.target_key)
    return getattr(instance, spec)


def _model_errors(node, exc):
    """Model validation errors as problems at the file key each one belongs to."""
    where_of = {}  # model attribute -> file key path within the record
    for file_key, spec in node.section.keys.items():
        if isinstance(spec, str):
            where_of[spec] = file_key
        elif isinstance(spec, Ref):
            where_of[spec.attr] = file_key
        elif isinstance(spec, Group):
            where_of.update({attr: f"{file_key}.{key}" for key, attr in spec.keys.items()})
    problems = []
    for attr, errors in exc.error_dict.items():
        where = join_path(node.where, where_of.get(attr, attr))
        if attr == NON_FIELD_ERRORS:
            where = node.where
        line = node.lines.get(attr, node.line)
        for error in errors:
            message = " ".join(error.messages)
            if error.code == "invalid_choice":
                choices = [str(c) for c, _ in node.section.model_field(attr).choices if c != ""]
                message += f" Allowed: {', '.join(choices)}."
            problems.append(Problem(line, where, message))
    return problems


class _Binder:
    """Pairs every node with an existing record or a new one and validates it with the model."""

    def __init__(self, problems, refs):
        self.problems = problems
        self.refs = refs

    def bind(self, node, instance):
        section = node.section
        node.is_new = instance is None
        node.instance = instance = instance if instance is not None else section.model()
        if isinstance(instance, ActionStep) and not node.is_new:
            node.old_version = instance.version
        if section.parent:
            setattr(instance, section.parent, node.parent.instance)
        for attr, value in node.values.items():
            if getattr(instance, attr) != value:
                setattr(instance, attr, value)
                node.changed.append(attr)
        for spec in section.keys.values():
            if isinstance(spec, Ref) and spec.attr not in node.bad:
                target = self.refs.get((node, spec))
                target_instance = target.instance if target else None
                new_id = target_instance.pk if target_instance is not None else None
                # A target that is new has no id yet, but it is a change all the same.
                if new_id != getattr(instance, f"{spec.attr}_id") or (target and new_id is None):
                    node.changed.append(spec.attr)
                setattr(instance, spec.attr, target_instance)
        if node.broken:
            return
        if node.is_new or node.changed:
            self.validate(node)
        for name, spec in section.keys.items():
            if isinstance(spec, Section):
                self.bind_list(node, name, spec)

    def validate(self, node):
        section = node.section
        # Foreign keys are checked here (references) or set by the import (parents); the model
        # would only see unsaved objects for them.
        exclude = set(node.bad)
        exclude.update(spec.attr for spec in section.keys.values() if isinstance(spec, Ref))
        if section.parent:
            exclude.add(section.parent)
        try:
            node.instance.full_clean(exclude=exclude)
        except ValidationError as exc:
            self.problems.extend(_model_errors(node, exc))

    def bind_list(self, node, name, section):
        existing = {}
        if not node.is_new:
            existing = {
                _natural_key(section, child): child
                for child in getattr(node.instance, section.related_name).all()
            }
        for position, child in enumerate(node.children[name], start=1):
            if section.ordered:
                child.values["order"] = position
            self.bind(child, existing.pop(child.key, None) if child.key is not None else None)
        # Items without a usable key were reported already; they may be the records left over.
        complete = all(child.key is not None for child in node.children[name])
        if section.prune and existing and complete:
            node.removed[name] = list(existing.values())
            where, line = node.lists[name]
            for key, instance in existing.items():
                self.check_removal(section, instance, f"{where}[{section.key}={key}]", line)

    def check_removal(self, section, instance, where, line):
        collector = Collector(using=router.db_for_write(section.model), origin=instance)
        try:
            collector.collect([instance])
        except (ProtectedError, RestrictedError) as exc:
            blocking = getattr(exc, "protected_objects", None) or exc.restricted_objects
            kinds = Counter(obj._meta.verbose_name_plural for obj in blocking)
            held_by = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
            hint = (
                " Keep it in the file with status: withdrawn."
                if section.model is ActionStep
                else " Keep it in the file."
            )
            self.problems.add(
                line,
                where,
                f"is in the database but not in the file, and cannot be deleted: {held_by} "
                f"refer to it.{hint}",
            )


# --- Writing ----------------------------------------------------------------------------------


@dataclass
class ImportSummary(BaseSummary):
    removed: int = 0
    step_updates: int = 0

    def __str__(self):
        return (
            f"{self.source}: {self.verb} {self.counts()}, {self.removed} removed; "
            f"{self.step_updates} step update{'' if self.step_updates == 1 else 's'} recorded"
        )


class _Writer:
    def __init__(self, summary):
        self.summary = summary

    def save(self, node):
        """Save one node that is not part of a list (the jurisdiction)."""
        if node.is_new:
            node.instance.save()
        elif node.changed:
            node.instance.save(update_fields=node.changed)
        self.summary.count(node.is_new, node.changed)
        self.children(node)

    def children(self, node):
        for name, spec in node.section.keys.items():
            if not isinstance(spec, Section):
                continue
            removed = node.removed.get(name, [])
            if removed:
                spec.model.objects.filter(pk__in=[obj.pk for obj in removed]).delete()
                self.summary.removed += len(removed)
            nodes = node.children[name]
            spec.model.objects.bulk_create([child.instance for child in nodes if child.is_new])
            for child in nodes:
                if child.changed and not child.is_new:
                    fields = child.changed + (["updated_at"] if spec.model is ActionStep else [])
                    child.instance.save(update_fields=fields)
                self.summary.count(child.is_new, child.changed)
                self.children(child)


def _record_step_updates(root, source, summary):
    """A StepUpdate for each existing step whose history the import moved on.

    The versions come from the database: the triggers bump them once per changed save of the step
    and once per changed milestone, so they cannot be predicted from the file alone.
    """
    old = {node.instance.pk: node.old_version for node in _walk(root) if node.old_version}
    if not old:
        return
    now = ActionStep.objects.filter(pk__in=old).values_list("pk", "version")
    updates = [
        StepUpdate(
            step_id=pk,
            from_version=old[pk],
            to_version=version,
            source="import",
            note=f"Imported from {source}.",
        )
        for pk, version in now
        if version > old[pk]
    ]
    StepUpdate.objects.bulk_create(updates)
    summary.step_updates = len(updates)


# --- Public API -------------------------------------------------------------------------------


def import_plan_text(text, source="<text>", dry_run=False):
    """Validate the whole file, then write it in one transaction; raise PlanFileError if invalid.

    Records are matched by natural key and updated in place; only changed fields are written.
    """
    # The model's messages in English, like the importer's own.
    with translation.override("en"):
        return _import(text, source, dry_run)


def _import(text, source, dry_run):
    data, problems = load_yaml(text, source)
    if not isinstance(data, dict):
        raise PlanFileError(source, [Problem(1, "", _wrong_type(A_MAPPING, data))])
    if data.get("format") != FORMAT:
        problems.add(
            data.line_of("format"),
            "format",
            f"expected {FORMAT!r}, got {_describe(data.get('format'))}",
        )
    body = _Mapping({k: v for k, v in data.items() if k != "format"})
    body.line, body.lines = data.line, data.lines
    root = _Parser(problems).record(ROOT, body, "", None, 1)
    refs = _resolve_refs(root, problems)
    summary = ImportSummary(os.path.basename(source), dry_run=dry_run)
    with transaction.atomic():
        slug = root.values.get("slug")
        existing = _tree_queryset().filter(slug=slug).first() if slug else None
        _Binder(problems, refs).bind(root, existing)
        if problems:
            raise PlanFileError(source, problems)
        _Writer(summary).save(root)
        _record_step_updates(root, summary.source, summary)
        if dry_run:
            transaction.set_rollback(True)
    return summary


def import_plan_file(path, dry_run=False):
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    return import_plan_text(text, source=str(path), dry_run=dry_run)


def _file_value(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _is_empty(value):
    return value is None or value is False or value in ("", [], {})


def _export_record(section, instance):
    out = {}
    for file_key, spec in section.keys.items():
        if isinstance(spec, Section):
            children = sorted(getattr(instance, spec.related_name).all(), key=spec.sort)
            value = [_export_record(spec, child) for child in children]
        elif isinstance(spec, Group):
            value = {
                key: _file_value(getattr(instance, attr))
                for key, attr in spec.keys.items()
                if not _is_empty(getattr(instance, attr))
            }
        elif isinstance(spec, Ref):
            target = getattr(instance, spec.attr)
            value = getattr(target, spec.target_key) if target is not None else None
        elif spec is Values:
            value = [v for v in OgpValue.values if getattr(instance, f"value_{v}")]
        else:
            value = _file_value(getattr(instance, spec))
        if not _is_empty(value):
            out[file_key] = value
    return out


class _Dumper(yaml.SafeDumper):
    """Block style with indented lists; dates unquoted; text in blocks when it is long.

    The pure-Python dumper, not libyaml's, so that the output is the same on every machine.
    """

    yaml_implicit_resolvers = _without_timestamps(yaml.SafeDumper.yaml_implicit_resolvers)

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _represent_str(dumper, value):
    # Literal blocks keep line breaks; long paragraphs fold, so that an editor sees them
    # indented under their key rather than as ragged plain continuation lines.
    style = "|" if "\n" in value else ">" if len(value) > 80 and " " in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)

EXPORT_HEADER = (
    "# OGP Local portal plan file; the format is described in fixtures/README.md.\n"
    "# Written by `manage.py export_plan`; import with `manage.py import_plan FILE`.\n"
)


def export_jurisdiction(jurisdiction, plan=None):
    """The plan file for a jurisdiction, or for one of its plans (then with only that plan and
    the groups not tied to another plan). Deterministic: the same data gives the same bytes."""
    plans = groups = None
    if plan is not None:
        plans = ActionPlan.objects.filter(pk=plan.pk)
        groups = StakeholderGroup.objects.filter(Q(plan__isnull=True) | Q(plan=plan))
    tree = _tree_queryset(plans, groups).get(pk=jurisdiction.pk)
    data = {"format": FORMAT, **_export_record(ROOT, tree)}
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return EXPORT_HEADER + body
