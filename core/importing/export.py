"""Writing records back in the format they are imported from, the same bytes for the same data."""

import datetime

import yaml

from .schema import Custom, Group, Ref, Section
from .yaml import without_timestamps


def _file_value(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _is_empty(value):
    return value is None or value is False or value in ("", [], {})


def export_record(section, instance):
    """The record as the file gives it: keys in schema order, empty values left out."""
    out = {}
    for file_key, spec in section.keys.items():
        if isinstance(spec, Section):
            children = sorted(getattr(instance, spec.related_name).all(), key=spec.sort)
            value = [export_record(spec, child) for child in children]
        elif isinstance(spec, Group):
            value = {
                key: _file_value(getattr(instance, attr))
                for key, attr in spec.keys.items()
                if not _is_empty(getattr(instance, attr))
            }
        elif isinstance(spec, Ref):
            target = getattr(instance, spec.attr)
            value = getattr(target, spec.target_key) if target is not None else None
        elif isinstance(spec, Custom):
            value = spec.export(instance)
        else:
            value = _file_value(getattr(instance, spec.attr))
        if not _is_empty(value):
            out[file_key] = value
    return out


class _Dumper(yaml.SafeDumper):
    """Block style with indented lists; dates unquoted; text in blocks when it is long.

    The pure-Python dumper, not libyaml's, so that the output is the same on every machine.
    """

    yaml_implicit_resolvers = without_timestamps(yaml.SafeDumper.yaml_implicit_resolvers)

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _represent_str(dumper, value):
    # Literal blocks keep line breaks; long paragraphs fold, so that an editor sees them
    # indented under their key rather than as ragged plain continuation lines.
    style = "|" if "\n" in value else ">" if len(value) > 80 and " " in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump(data):
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
