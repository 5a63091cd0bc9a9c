"""Reading YAML so that every mapping and list knows the line of each of its keys and items."""

from collections.abc import Hashable

import yaml

from .problems import ImportFileError, Problem, Problems


class Mapping(dict):
    """A YAML mapping that remembers the line of each key."""

    line = None

    def line_of(self, key):
        return self.lines.get(key, self.line)


class Sequence(list):
    """A YAML sequence that remembers the line of each item."""

    line = None


_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def without_timestamps(resolvers):
    return {
        first: [(tag, regexp) for tag, regexp in entries if tag != _TIMESTAMP]
        for first, entries in resolvers.items()
    }


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe loader that keeps line numbers, reports duplicate keys and leaves dates as text.

    Dates stay text so that an impossible date (2024-02-30) is reported at its key like any other
    bad value, instead of aborting the whole parse.
    """

    yaml_implicit_resolvers = without_timestamps(yaml.SafeLoader.yaml_implicit_resolvers)

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates = []

    def construct_lined_mapping(self, node):
        mapping = Mapping()
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

    def construct_lined_sequence(self, node):
        sequence = Sequence()
        sequence.line = node.start_mark.line + 1
        sequence.lines = [child.start_mark.line + 1 for child in node.value]
        yield sequence
        sequence.extend(self.construct_object(child, deep=True) for child in node.value)


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_lined_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_lined_sequence)


def load_yaml(text, source):
    """(data, Problems) from YAML text; mappings and lists know the line of each key and item.

    A syntax error raises ImportFileError at once; duplicate keys are problems to report with the
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
        raise ImportFileError(
            source, [Problem(line, "", f"YAML syntax error{column}: {detail}")]
        ) from None
    except yaml.YAMLError as exc:
        raise ImportFileError(source, [Problem(None, "", f"YAML syntax error: {exc}")]) from None
    finally:
        loader.dispose()
    problems = Problems()
    for line, key, first in loader.duplicates:
        problems.add(line, "", f"duplicate key {key!r} (first given on line {first})")
    return data, problems
