"""From the YAML data to a tree of nodes, one a record: keys, types and plain values checked."""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models

from .problems import A_LIST, A_MAPPING, join_path, suggest, wrong_type
from .schema import MODEL_DEFAULT, Column, Custom, Group, Lookup, Ref, Section, required_field
from .yaml import Mapping, Sequence


@dataclass(eq=False)
class Node:
    """One record of the file on its way to the database."""

    section: Section
    where: str
    line: int | None
    parent: "Node | None" = None
    key: tuple | None = None  # the natural key as the file gives it, when valid and not repeated
    values: dict = field(default_factory=dict)  # model attribute -> value
    lines: dict = field(default_factory=dict)  # model attribute -> line of its key
    refs: dict = field(default_factory=dict)  # Ref -> (natural key, where, line)
    lookups: dict = field(default_factory=dict)  # Lookup -> (key or [keys], where, line)
    bad: set = field(default_factory=set)  # attributes with a problem already reported
    given: set = field(default_factory=set)  # the file keys present
    children: dict = field(default_factory=dict)  # list name -> [Node]
    lists: dict = field(default_factory=dict)  # list name -> (where, line) of the list
    broken: bool = False  # not even a mapping: nothing to validate further
    # Custom keys that the app stores itself once the records are written (Custom.after_write)
    extras: dict = field(default_factory=dict)  # file key -> parsed value
    # Filled in by binding:
    targets: dict = field(default_factory=dict)  # Ref -> the Node it names
    found: dict = field(default_factory=dict)  # Lookup attribute -> record or [records]
    instance: models.Model | None = None
    is_new: bool = True
    changed: list = field(default_factory=list)  # columns and foreign keys to write
    changed_related: list = field(default_factory=list)  # many-to-many fields to set
    removed: dict = field(default_factory=dict)  # list name -> [stored records to delete]

    def dirty(self):
        """Whether writing the record, or anything in its lists, would change the database."""
        return bool(
            self.is_new
            or self.changed
            or self.changed_related
            or any(self.removed.values())
            or any(child.dirty() for nodes in self.children.values() for child in nodes)
        )


def walk(node):
    yield node
    for nodes in node.children.values():
        for child in nodes:
            yield from walk(child)


def item_where(section, where, index, key):
    """How problems name an item of a list: by its key when it has one (steps[code=P1.1]), else
    by position, followed by the last part of a key of several parts (meetings[3] (a-slug))."""
    last = key[-1] if key else None
    if not (isinstance(last, str) and last):
        return f"{where}[{index}]"
    if len(section.key) > 1:
        return f"{where}[{index}] ({last})"
    return f"{where}[{section.places[section.key[0]][0]}={last}]"


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


_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def scalar_value(model_field, value):
    """(python value, problem message) for a file value meant for `model_field`."""
    text = isinstance(model_field, models.CharField | models.TextField)
    if value is None:
        # An empty value means "not known": text becomes "", anything else stays None and the
        # model says whether that is allowed.
        return ("" if text else None), None
    if text:
        return (value, None) if isinstance(value, str) else (None, wrong_type("text", value))
    if isinstance(model_field, models.BooleanField):
        if isinstance(value, bool):
            return value, None
        return None, wrong_type("true or false", value)
    if isinstance(model_field, models.IntegerField):
        if isinstance(value, int) and not isinstance(value, bool):
            return value, None
        return None, wrong_type("a whole number", value)
    if isinstance(model_field, models.DateField):
        if not isinstance(value, str):
            return None, wrong_type("a date (YYYY-MM-DD)", value)
        try:
            return model_field.to_python(value), None
        except ValidationError as exc:
            return None, " ".join(exc.messages)
    if isinstance(model_field, models.TimeField):
        # Unquoted, YAML reads 16:30 as the number 990 (minutes in base 60).
        if isinstance(value, str) and _TIME.match(value):
            return datetime.time.fromisoformat(value), None
        return None, 'expected a time in quotes, e.g. "16:30"'
    raise TypeError(f"no file type for {model_field!r}")


_ABSENT = object()


class Parser:
    def __init__(self, problems):
        self.problems = problems

    def record(self, section, mapping, where, parent, line):
        node = Node(section, where, line, parent)
        for name, _spec in section.lists():
            node.children[name] = []
            node.lists[name] = (join_path(where, name), line)
        if not isinstance(mapping, dict):
            self.problems.add(line, where, wrong_type(A_MAPPING, mapping))
            node.broken = True
            return node
        node.line = mapping.line
        node.given = set(mapping)
        missing = check_keys(mapping, section.keys, section.required, where, self.problems)
        # A missing key is reported once, not again by the model as "cannot be blank".
        for file_key in missing:
            node.bad.update(_attrs(section.keys[file_key]))
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
            elif isinstance(spec, Lookup):
                self.lookup(node, spec, value, *at)
            elif isinstance(spec, Custom):
                if file_key not in missing:
                    self.custom(node, spec, value, *at, file_key=file_key)
            else:
                self.column(node, spec, value if present else _ABSENT, *at)
        node.key = self.natural_key(node)
        return node

    def natural_key(self, node):
        """The key as the file gives it (text for references), or None when any part is bad."""
        parts = []
        for attr in node.section.key:
            if attr in node.bad:
                return None
            spec = node.section.places.get(attr, (None, None))[1]
            if isinstance(spec, Ref):
                part = node.refs[spec][0]
            elif isinstance(spec, Lookup):
                part = node.lookups[spec][0]
            else:
                part = node.values.get(attr)
            if part is None:
                return None
            parts.append(part)
        return tuple(parts)

    def column(self, node, spec, value, where, line):
        model_field = node.section.field(spec.attr)
        node.lines[spec.attr] = line
        if value is _ABSENT:
            default = spec.default
            node.values[spec.attr] = (
                model_field.get_default() if default is MODEL_DEFAULT else default
            )
            return
        result, problem = scalar_value(model_field, value)
        if problem:
            self.problems.add(line, where, problem)
            node.bad.add(spec.attr)
        else:
            node.values[spec.attr] = result

    def group(self, node, spec, value, where, line):
        if not isinstance(value, dict):
            self.problems.add(line, where, wrong_type(A_MAPPING, value))
            node.bad.update(spec.keys.values())
            return
        required = {k for k, attr in spec.keys.items() if required_field(node.section.field(attr))}
        if isinstance(value, Mapping):
            check_keys(value, spec.keys, required, where, self.problems)
        for key, attr in spec.keys.items():
            sub = value.get(key, _ABSENT)
            sub_line = value.line_of(key) if isinstance(value, Mapping) else line
            self.column(node, Column(attr), sub, join_path(where, key), sub_line)

    def ref(self, node, spec, value, where, line):
        node.lines[spec.attr] = line
        if value is None or value == "":
            node.refs[spec] = (None, where, line)
        elif isinstance(value, str):
            node.refs[spec] = (value, where, line)
        else:
            self.problems.add(line, where, wrong_type("text", value))
            node.bad.add(spec.attr)

    def lookup(self, node, spec, value, where, line):
        node.lines[spec.attr] = line
        model_field = node.section.field(spec.attr)
        many = model_field is not None and model_field.many_to_many
        if many and value is not None and not isinstance(value, list):
            self.problems.add(line, where, wrong_type(A_LIST, value))
            node.bad.add(spec.attr)
            return
        items = (value or []) if many else [] if value is None or value == "" else [value]
        for item in items:
            if isinstance(item, bool) or not isinstance(item, str | int):
                self.problems.add(line, where, wrong_type("text", item))
                node.bad.add(spec.attr)
                return
        keys = [str(item) for item in items]
        node.lookups[spec] = (keys if many else (keys[0] if keys else None), where, line)

    def custom(self, node, spec, value, where, line, file_key=None):
        for attr in spec.attrs:
            node.lines[attr] = line

        def report(message):
            self.problems.add(line, where, message)
            node.bad.update(spec.attrs)

        parsed = spec.parse(value, report)
        if spec.after_write:
            node.extras[file_key] = parsed
        else:
            node.values.update(parsed)

    def items(self, section, value, where, line, parent):
        if value is None:
            return []
        expected = (dict, A_MAPPING) if section.keyed else (list, A_LIST)
        if not isinstance(value, expected[0]):
            self.problems.add(line, where, wrong_type(expected[1], value))
            return []
        if section.keyed:
            return [
                self.keyed_item(section, key, item, join_path(where, str(key)), value, parent)
                for key, item in value.items()
            ]
        nodes, seen = [], {}
        for index, item in enumerate(value):
            key = None
            if isinstance(item, dict):
                key = tuple(item.get(section.places[attr][0]) for attr in section.key)
            item_line = value.lines[index] if isinstance(value, Sequence) else line
            item_at = item_where(section, where, index, key)
            node = self.record(section, item, item_at, parent, item_line)
            if node.key:  # items without a key are matched by position
                if node.key in seen:
                    self.repeated(node, seen[node.key])
                    node.key = None
                else:
                    seen[node.key] = node.lines.get(section.key[-1], node.line)
            nodes.append(node)
        return nodes

    def keyed_item(self, section, key, item, where, mapping, parent):
        """An item of a list given as a mapping: its key is the key it stands under."""
        line = mapping.line_of(key)
        node = self.record(section, item, where, parent, line)
        self.column(node, Column(section.key[0]), key, where, line)
        node.key = self.natural_key(node)
        return node

    def repeated(self, node, first):
        """A second item with the same key. With a key of several parts the item's name shows
        only the last one, so the problem points at that key."""
        section = node.section
        attr = section.key[-1]
        file_key = section.places[attr][0]
        line = node.lines.get(attr, node.line)
        if len(section.key) > 1:
            where, message = join_path(node.where, file_key), "given twice"
        else:
            where, message = node.where, f"duplicate {file_key} {node.key[0]!r}"
        self.problems.add(line, where, f"{message} (first on line {first})")


def _attrs(spec):
    """The model attributes behind a file key."""
    if isinstance(spec, Group):
        return list(spec.keys.values())
    if isinstance(spec, Custom):
        return list(spec.attrs)
    if isinstance(spec, Section):
        return []
    return [spec.attr]
