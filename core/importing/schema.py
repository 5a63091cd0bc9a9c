"""The schema of an import file: the keys of each kind of record and where each one is stored.

A Section describes a list of records of one model; its `keys` map each file key to a spec:
a model attribute (a plain value), a Column, a Group, a Ref, a Lookup, a Custom value or a child
Section. The field rules themselves (choices, lengths, ranges, dates in order) stay in the models
and are applied through full_clean(); the schema says only what a file adds on top: keys, types,
natural keys and references.
"""

from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import FieldDoesNotExist

MODEL_DEFAULT = object()


@dataclass(frozen=True)
class Column:
    """A plain value stored in one column; a bare attribute name in `keys` stands for one.

    `default` is the value when the key is left out, if not the model's; `required` makes the key
    required where the model has a default (a meeting's kind must be stated).
    """

    attr: str
    default: object = MODEL_DEFAULT
    required: bool = False


@dataclass(frozen=True)
class Group:
    """A mapping of scalar keys stored in columns of the same record, e.g. period: {start, end}."""

    keys: dict  # file key -> model attribute


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


@dataclass(frozen=True)
class Lookup:
    """The natural key of a record already in the database: a foreign key, or a many-to-many
    field given as a list of keys.

    `within` scopes the search: it names a lookup of this record or of an enclosing one ("plan"),
    and a dotted path goes on from the record found there ("plan.jurisdiction"); the last name is
    the target's foreign key to the scope. `noun` names a target in problems ("no step 'P9' in
    this plan"). A lookup whose `attr` is no field of the record's model is stored nowhere and only
    scopes the others (an assessment names its plan so that its step can be found by code); such a
    lookup names its `model`.
    """

    attr: str
    target_key: str
    within: str | None = None
    noun: str | None = None
    model: type | None = None


class Custom:
    """A file key that the app converts itself, e.g. a list of booleans or a date of varying
    precision. `attrs` are the model attributes it fills; `parse(value, report)` returns
    {attr: value}, calling report(message) for each problem; `export(instance)` gives the file
    value back, for files that are exported."""

    attrs = ()
    # Attributes it does not fill whose problems belong to it too (a translated field's own name,
    # whose model check is "given in no language").
    error_attrs = ()
    # Stored by the app after the records are written (past updates of a step, which are rows of
    # another table): parse() returns any value, kept in node.extras under the file key for the
    # file format's after_write hook; nothing is set on the record.
    after_write = False

    def parse(self, value, report):
        raise NotImplementedError


@dataclass(frozen=True, eq=False)
class Section:
    """A list of records of one model under a parent record, or the top of the file.

    The top of a file that is not itself a record (a list of meetings) has no model. The records
    of a list are matched with the stored ones by `key`, or by position when there is none, and
    updated in place: only what differs is written.
    """

    model: type | None
    keys: dict  # file key -> attribute name, Column, Group, Ref, Lookup, Custom or Section
    parent: str | None = None  # foreign key to the record holding the list
    key: tuple = ()  # attributes identifying a record within its list (a str for one)
    ordered: bool = False  # the position in the list is stored in `order`
    # Records missing from the list are removed, unless the list is stored elsewhere as well
    # (a plan's file may carry some of its city's plans) or filled in by the app.
    prune: bool = True
    keep_if_absent: bool = False  # a list left out of its record leaves the stored ones alone
    keyed: bool = False  # the file gives the list as a mapping {key: record}
    retire: str = ""  # how to keep a record that cannot be deleted, e.g. "status: withdrawn"
    sort: object = None  # export order, as a key function of an instance
    queryset: object = None  # where stored records are found, with what binding them needs
    # validate(instance, exclude) raises ValidationError; by default the model's full_clean().
    validate: object = None
    # save(node, write): writes a record with its lists as one unit through the app's service;
    # write() does the plain writing. Such a record counts as one, changed when any part is.
    save: object = None

    def __post_init__(self):
        if isinstance(self.key, str):
            object.__setattr__(self, "key", (self.key,))
        keys = {k: Column(v) if isinstance(v, str) else v for k, v in self.keys.items()}
        object.__setattr__(self, "keys", keys)

    @property
    def related_name(self):
        return self.model._meta.get_field(self.parent).remote_field.related_name

    def field(self, attr):
        """The model field behind `attr`, or None for a lookup that only scopes others."""
        try:
            return self.model._meta.get_field(attr)
        except FieldDoesNotExist:
            return None

    def stored(self):
        return self.queryset if self.queryset is not None else self.model._default_manager.all()

    def lists(self):
        return [(name, spec) for name, spec in self.keys.items() if isinstance(spec, Section)]

    @cached_property
    def places(self):
        """Model attribute -> (file key path within the record, spec)."""
        places = {}
        for file_key, spec in self.keys.items():
            if isinstance(spec, Column | Ref | Lookup):
                places[spec.attr] = (file_key, spec)
            elif isinstance(spec, Group):
                places.update({attr: (f"{file_key}.{k}", spec) for k, attr in spec.keys.items()})
            elif isinstance(spec, Custom):
                places.update(dict.fromkeys((*spec.attrs, *spec.error_attrs), (file_key, spec)))
        return places

    @cached_property
    def required(self):
        """File keys that must be present: the natural key and what the model cannot default."""
        required = {self.places[a][0] for a in self.key if a in self.places} & set(self.keys)
        for file_key, spec in self.keys.items():
            if isinstance(spec, Column):
                needed = spec.required or required_field(self.field(spec.attr))
            elif isinstance(spec, Ref):
                needed = not self.field(spec.attr).null
            elif isinstance(spec, Lookup):
                field = self.field(spec.attr)
                needed = field is None or not (field.null or field.many_to_many)
            elif isinstance(spec, Group):
                needed = any(required_field(self.field(attr)) for attr in spec.keys.values())
            elif isinstance(spec, Custom):
                needed = any(required_field(self.field(attr)) for attr in spec.attrs)
            else:
                needed = False
            if needed:
                required.add(file_key)
        return required


def required_field(model_field):
    """Whether a file must give a value for `model_field`: the model can neither leave it blank
    nor fill it in."""
    return not model_field.blank and not model_field.has_default()
