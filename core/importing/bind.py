"""Pairing every record of the file with the stored one it names, and validating the result.

References between records of the file are resolved first, then the tree is walked from the top:
each record's lookups are found in the database, the record is matched with the stored one by its
natural key (or position), its values are set, and the model validates it if anything changed.
"""

from collections import Counter

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import router
from django.db.models.deletion import Collector, ProtectedError, RestrictedError

from .parse import item_where, walk
from .problems import Problem, join_path, suggest
from .schema import Lookup, Ref, Section


def bind(root, problems):
    """Resolve, match and validate the whole tree, adding to `problems`."""
    _resolve_refs(root, problems)
    binder = _Binder(problems)
    if root.section.model is None:
        binder.bind_lists(root)
    else:
        binder.bind_list(None, root.section, [root])


def _holds(node, name, model):
    """Whether `node` has a list `name` of `model` records (a step's "institutions" are roles)."""
    spec = node.section.keys.get(name)
    return isinstance(spec, Section) and spec.model is model


def _resolve_refs(root, problems):
    """Point every reference at the node it names, looking in the nearest enclosing list."""
    for node in walk(root):
        for spec, (value, where, line) in node.refs.items():
            if value is None:
                continue
            holder, model = node.parent, node.section.field(spec.attr).related_model
            while not _holds(holder, spec.target, model):
                holder = holder.parent
            candidates = {
                child.key[0]: child for child in holder.children[spec.target] if child.key
            }
            target = candidates.get(value)
            if target is None:
                scope = f" of {holder.where}" if holder.where else " in this file"
                problems.add(
                    line,
                    where,
                    f"unknown {model._meta.verbose_name} {value!r}: no entry with this "
                    f"{spec.target_key} in '{spec.target}'{scope}{suggest(value, candidates)}",
                )
                node.bad.add(spec.attr)
            else:
                node.targets[spec] = target


def _model_errors(node, exc):
    """Validation errors as problems at the file key each one belongs to."""
    section = node.section
    problems = []
    for attr, errors in exc.error_dict.items():
        file_key = "" if attr == NON_FIELD_ERRORS else section.places.get(attr, ("",))[0]
        line = node.lines.get(attr, node.line)
        for error in errors:
            message = " ".join(error.messages)
            if error.code == "invalid_choice" and section.field(attr).choices:
                choices = [str(c) for c, _ in section.field(attr).choices if c != ""]
                message += f" Allowed: {', '.join(choices)}."
            problems.append(Problem(line, join_path(node.where, file_key), message))
    return problems


def _match_key(node):
    """The stored values that identify the node's record: its key's columns, and the ids of the
    records its key names (None while any of them is unknown or still to be created)."""
    if node.key is None:
        return None
    section, parts = node.section, []
    for attr, part in zip(section.key, node.key, strict=True):
        if section.field(attr) is None:
            continue  # a lookup that only scopes the others
        spec = section.places.get(attr, (None, None))[1]
        if isinstance(spec, Ref | Lookup):
            target = node.targets.get(spec)
            record = target.instance if target else node.found.get(attr)
            part = getattr(record, "pk", None)
            if part is None:
                return None
        parts.append(part)
    return tuple(parts)


def _stored_key(section, instance):
    return tuple(
        getattr(instance, section.field(attr).attname)
        for attr in section.key
        if section.field(attr) is not None
    )


def _display_key(section, instance):
    """A stored record's key as a file gives it, for naming it in a problem."""
    parts = []
    for attr in section.key:
        spec = section.places.get(attr, (None, None))[1]
        value = getattr(instance, attr)
        parts.append(getattr(value, spec.target_key) if isinstance(spec, Ref | Lookup) else value)
    return tuple(parts)


class _Binder:
    def __init__(self, problems):
        self.problems = problems
        self.tables = {}  # (model, key, scope field, scope) -> {natural key: record}

    def bind_lists(self, node):
        for name, section in node.section.lists():
            if section.keep_if_absent and name not in node.given:
                continue
            leftovers = self.bind_list(node, section, node.children[name])
            # Items without a usable key were reported already; they may be the records left over.
            complete = all(child.key is not None for child in node.children[name])
            if section.prune and leftovers and complete:
                node.removed[name] = leftovers
                where, line = node.lists[name]
                for index, instance in enumerate(leftovers, start=len(node.children[name])):
                    at = item_where(section, where, index, _display_key(section, instance))
                    self.check_removal(section, instance, at, line)

    def bind_list(self, parent, section, nodes):
        """Bind the nodes of one list; return the stored records the list does not name."""
        for position, node in enumerate(nodes, start=1):
            if section.ordered:
                node.values["order"] = position
            self.resolve(node)
        if parent is not None and parent.instance is not None:
            stored = (
                [] if parent.is_new else list(getattr(parent.instance, section.related_name).all())
            )
        else:
            stored = self.stored(section, nodes)
        if not section.key:
            for index, node in enumerate(nodes):
                self.bind(node, stored[index] if index < len(stored) else None)
            return stored[len(nodes) :]
        by_key = {_stored_key(section, instance): instance for instance in stored}
        for node in nodes:
            match = _match_key(node)
            self.bind(node, by_key.pop(match, None) if match is not None else None)
        return list(by_key.values())

    def stored(self, section, nodes):
        """The stored records that nodes of a list without a parent record may name."""
        attr = next(attr for attr in section.key if section.field(attr) is not None)
        keys = [key[0] for key in map(_match_key, nodes) if key is not None]
        return list(section.stored().filter(**{f"{attr}__in": keys})) if keys else []

    def resolve(self, node):
        """Find the records that the node's lookups name."""
        for spec, (value, where, line) in node.lookups.items():
            if spec.attr in node.bad:
                continue
            many = isinstance(value, list)
            wanted = value if many else [] if value is None else [value]
            scope = self.scope(node, spec) if wanted and spec.within else None
            if scope is False:
                node.bad.add(spec.attr)  # its scope is unknown, and reported as such
                continue
            table = self.table(node.section, spec, scope) if wanted else {}
            found = []
            for key in wanted:
                if key in table:
                    found.append(table[key])
                    continue
                noun = spec.noun or spec.attr
                where_not = (
                    f"{key!r} in this {spec.within.rsplit('.', 1)[-1]}"
                    if spec.within
                    else f"with this {spec.target_key}"
                )
                self.problems.add(line, where, f"no {noun} {where_not}{suggest(key, table)}")
                node.bad.add(spec.attr)
            node.found[spec.attr] = found if many else (found[0] if found else None)

    def scope(self, node, spec):
        """The record that scopes a lookup, or False when it is not known."""
        first, *rest = spec.within.split(".")
        holder = node
        while holder is not None and first not in holder.found:
            holder = holder.parent
        record = holder.found.get(first) if holder is not None else None
        for name in rest:
            record = getattr(record, name) if record is not None else None
        return record if record is not None else False

    def table(self, section, spec, scope):
        model = spec.model or section.field(spec.attr).related_model
        scope_field = spec.within.rsplit(".", 1)[-1] if spec.within else None
        cache_key = (model, spec.target_key, scope_field, scope.pk if scope else None)
        if cache_key not in self.tables:
            records = model._default_manager.all()
            if scope_field:
                records = records.filter(**{scope_field: scope})
            self.tables[cache_key] = {str(getattr(r, spec.target_key)): r for r in records}
        return self.tables[cache_key]

    def bind(self, node, instance):
        section = node.section
        node.is_new = instance is None
        node.instance = instance = instance if instance is not None else section.model()
        if section.parent:
            setattr(instance, section.parent, node.parent.instance)
        before = {} if node.is_new else {attr: getattr(instance, attr) for attr in node.values}
        for attr, value in node.values.items():
            setattr(instance, attr, value)
        self.set_references(node)
        if node.broken:
            return

        def changed_values():
            return [attr for attr in before if getattr(instance, attr) != before[attr]]

        if node.is_new or node.changed or node.changed_related or changed_values():
            self.validate(node)
        # After validation, which may complete values as saving would (a group's sector).
        node.changed += changed_values()
        self.bind_lists(node)

    def set_references(self, node):
        section, instance = node.section, node.instance
        for spec in section.keys.values():
            if not isinstance(spec, Ref | Lookup) or spec.attr in node.bad:
                continue
            model_field = section.field(spec.attr)
            if model_field is None:
                continue
            if model_field.many_to_many:
                found = node.found.get(spec.attr) or []
                stored = (
                    set() if node.is_new else {r.pk for r in getattr(instance, spec.attr).all()}
                )
                if {r.pk for r in found} != stored:
                    node.changed_related.append(spec.attr)
                continue
            if isinstance(spec, Ref):
                target = node.targets.get(spec)
                record = target.instance if target else None
            else:
                target, record = None, node.found.get(spec.attr)
            new_id = record.pk if record is not None else None
            # A target that is new has no id yet, but it is a change all the same.
            if new_id != getattr(instance, model_field.attname) or (target and new_id is None):
                node.changed.append(spec.attr)
            setattr(instance, spec.attr, record)

    def validate(self, node):
        section = node.section
        # Foreign keys to records of the file are checked here (references) or set by the import
        # (parents); the model would only see unsaved objects for them.
        exclude = set(node.bad)
        exclude.update(spec.attr for spec in section.keys.values() if isinstance(spec, Ref))
        if section.parent:
            exclude.add(section.parent)
        try:
            if section.validate:
                section.validate(node.instance, exclude)
            else:
                node.instance.full_clean(exclude=exclude)
        except ValidationError as exc:
            self.problems.extend(_model_errors(node, exc))

    def check_removal(self, section, instance, where, line):
        collector = Collector(using=router.db_for_write(section.model), origin=instance)
        try:
            collector.collect([instance])
        except (ProtectedError, RestrictedError) as exc:
            blocking = getattr(exc, "protected_objects", None) or exc.restricted_objects
            kinds = Counter(obj._meta.verbose_name_plural for obj in blocking)
            held_by = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
            keep = f" with {section.retire}" if section.retire else ""
            self.problems.add(
                line,
                where,
                f"is in the database but not in the file, and cannot be deleted: {held_by} "
                f"refer to it. Keep it in the file{keep}.",
            )
