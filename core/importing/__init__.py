"""One import engine for the portal's YAML files (plans, meetings, monitoring).

An app describes its file with a schema (schema.py: Sections of records, their keys and
references) and wraps it in a FileFormat (engine.py). An import then goes the same way for every
file: the YAML is read with the line of every key (yaml.py); the records are checked for keys,
types and values (parse.py); references are resolved and each record is matched with the stored
one by its natural key, then validated by its model (bind.py); every problem is reported with its
line and place (problems.py), and only a file without any is written, in one transaction, changing
only what differs (write.py). A dry run does all of it and rolls the transaction back. Where an app
keeps a history of its records, its schema routes their writing through its own service (a
Section's `save` hook). command.py is the management command, export.py the way back to a file.

This package imports no app of the portal.
"""

from .engine import FileFormat
from .parse import walk
from .problems import A_LIST, ImportFileError, suggest, wrong_type
from .schema import Column, Custom, Group, Lookup, Ref, Section
from .translated import ProvenanceMap, Translated, TranslatedGroup
from .write import ImportSummary

__all__ = [
    "A_LIST",
    "Column",
    "Custom",
    "FileFormat",
    "Group",
    "ImportFileError",
    "ImportSummary",
    "Lookup",
    "ProvenanceMap",
    "Ref",
    "Section",
    "Translated",
    "TranslatedGroup",
    "suggest",
    "walk",
    "wrong_type",
]
