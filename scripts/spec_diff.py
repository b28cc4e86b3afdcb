"""Compare two OpenAPI 3 documents at the API level.

    python scripts/spec_diff.py OLD.json NEW.json

Prints one line per API difference, each marked ``BREAKING`` or ``non-breaking``,
and a last line counting both.  Exit status: 0 when the documents are equal
(formatting and key order do not count; prints "no API differences"), 1 when
they differ, 2 on bad input (unreadable file, not JSON, not an OpenAPI 3
document, unresolvable ``$ref``) with a one-line error on stderr.

What is compared
----------------
* operations, keyed by HTTP method and path (with their ``operationId``);
* per operation: parameters keyed by location and name (header names are
  case-insensitive), the request body, the responses by status code and media
  type, the effective security requirements, ``tags``, ``deprecated``;
* component schemas: added, removed, and their fields (recursively through inline
  objects, array items and map values): added, removed, retyped, made required or
  optional, made nullable or not, enum values;
* security schemes.

Types are compared through a short description: ``integer``,
``integer(int64)``, ``array[integer]``, ``map[array[integer]]``, ``object``
(fields compared one by one), ``oneOf[A | B]``, ``any``.  A ``$ref`` to a schema
that the generator turns into a class of its own (an object, an enum, a
composition) is described by the reference itself,
``#/components/schemas/TH1``, and the referenced schema is compared once, in
the schemas section.  A ``$ref`` to a plain scalar or array schema is resolved
and described by what it points to.  References to parameters, request bodies
and responses are always resolved.

Verdicts: a client's point of view
----------------------------------
A change is BREAKING when a client generated from OLD (or code written against
it) can fail against a server that behaves as NEW describes: a request it
builds is refused, or a response it parses does not match what it expects.
Data flows two ways, so many rules depend on where a schema is used: in a
*request* (parameters, request bodies; the client writes it) or in a *response*
(the client reads it).  A component schema counts as used wherever some
operation reaches it, following ``$ref``s, in OLD or NEW; one reached from no
operation is judged as if used in both directions, and a schema used in both
directions is BREAKING when either direction is.

* Operation removed, or its ``operationId`` renamed (the generated function
  changes name): BREAKING.  Operation added: non-breaking.
* Parameter removed: BREAKING (the client's argument disappears; the server
  may refuse or ignore it).  Optional parameter added: non-breaking.  Required
  parameter added: BREAKING.  Optional made required: BREAKING; required made
  optional: non-breaking.  A parameter that changes location is a removal
  plus an addition.  Array/object parameter serialisation (``style``,
  ``explode``) changed: BREAKING (the old client sends the old wire format).
* Request body added as required, removed, made required, or a media type
  removed: BREAKING.  Optional body added, body made optional, media type
  added: non-breaking.
* Response status code or media type removed: BREAKING (the client loses the
  parsed type it relied on).  Added: non-breaking.
* Retyped (the type description differs): BREAKING, except ``integer`` ->
  ``number`` in a request only, which accepts everything it accepted before.
* Field removed: BREAKING in either direction.
* Field added: optional -> non-breaking; required -> BREAKING in a request
  (the client must now send it), non-breaking in a response (more data).  The
  "added" lines of fields and parameters say ``nullable`` when null is allowed.
* Field made required: BREAKING in a request, non-breaking in a response (the
  client always gets what it might have got).  Field made optional: BREAKING in
  a response (the client may no longer get it), non-breaking in a request.
* Made nullable: BREAKING in a response (the client may now get null),
  non-breaking in a request.  Made non-nullable: the opposite.
* Enum value added: BREAKING in a response (generated enums reject unknown
  values), non-breaking in a request.  Enum value removed: BREAKING in a request,
  non-breaking in a response.  An enum constraint appearing counts as values
  removed, one disappearing as values added.
* Component schema removed: BREAKING (its generated model disappears); added:
  non-breaking.
* Security: an accepted way to authenticate removed from an operation (or a
  scheme removed or changed): BREAKING; one added: non-breaking.
* Tags: the first tag names the generated module of the operation
  (``cmsdials_api.api.<tag>.<operation>``, public as ``dials.api``'s functions): a
  change that moves it is BREAKING; a change that keeps it (another tag, or one the
  pull cleans to the same name) is non-breaking.
* Deprecation: non-breaking, named ("deprecated"; the layer warns where it is used).
* A parameter's ``x-repaired`` record (what upstream declared before a pull repair
  rewrote it) changed: non-breaking, since the repaired parameter a client sees is
  the same, but listed, so an upstream change that looks like a known defect shows.
* Documents that differ only outside all of the above (descriptions, examples,
  ``info``, ``servers``...) are not equal: one non-breaking line names the
  first differing places, so a drift check still fails on any difference.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from repairs import HTTP_METHODS, clean_tag

JSON = dict[str, Any]

SCHEMA_PREFIX = "#/components/schemas/"
SCALAR_TYPES = {"string", "integer", "number", "boolean"}
#: What a pull repair records on a parameter it rewrote (``scripts/repairs.py``).
REPAIRED = "x-repaired"


class BadInput(Exception):
    """A one-line reason why a document cannot be compared."""


# --------------------------------------------------------------------------- #
# Loading
# --------------------------------------------------------------------------- #
def load(path: str) -> JSON:
    """Read and structurally check one OpenAPI 3 document."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise BadInput(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        doc = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadInput(f"{path}: not JSON ({exc})") from None
    if not isinstance(doc, dict):
        raise BadInput(f"{path}: not an OpenAPI 3 document (top level is not an object)")
    version = doc.get("openapi")
    if not isinstance(version, str) or not version.startswith("3."):
        found = f"swagger {doc['swagger']}" if "swagger" in doc else "no 'openapi: 3.x'"
        raise BadInput(f"{path}: not an OpenAPI 3 document ({found})")
    check_structure(path, doc)
    return doc


def _expect(path: str, where: str, value: Any, kind: type) -> None:
    if not isinstance(value, kind):
        raise BadInput(f"{path}: malformed OpenAPI document ({where} is not a {kind.__name__})")


def check_structure(path: str, doc: JSON) -> None:
    """Reject documents whose shape the comparison cannot walk."""
    _expect(path, "paths", doc.get("paths"), dict)
    for route, item in doc["paths"].items():
        _expect(path, f"paths.{route}", item, dict)
        _expect(path, f"paths.{route}.parameters", item.get("parameters", []), list)
        for method in HTTP_METHODS:
            if method in item:
                where = f"paths.{route}.{method}"
                _expect(path, where, item[method], dict)
                op = item[method]
                _expect(path, f"{where}.parameters", op.get("parameters", []), list)
                _expect(path, f"{where}.responses", op.get("responses", {}), dict)
    components = doc.get("components", {})
    _expect(path, "components", components, dict)
    for section in ("schemas", "parameters", "requestBodies", "responses", "securitySchemes"):
        _expect(path, f"components.{section}", components.get(section, {}), dict)


# --------------------------------------------------------------------------- #
# One document: reference resolution and type descriptions
# --------------------------------------------------------------------------- #
class Spec:
    def __init__(self, doc: JSON, label: str) -> None:
        self.doc = doc
        self.label = label

    def lookup(self, ref: str) -> Any:
        """The node a local ``#/...`` JSON pointer designates."""
        if not isinstance(ref, str) or not ref.startswith("#/"):
            raise BadInput(f"{self.label}: unsupported $ref {ref!r} (only local refs)")
        node: Any = self.doc
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                raise BadInput(f"{self.label}: unresolvable $ref {ref!r}")
        return node

    def resolve(self, node: Any) -> Any:
        """Follow ``$ref`` chains (parameters, bodies, responses; not schemas)."""
        seen: set[str] = set()
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if ref in seen:
                raise BadInput(f"{self.label}: circular $ref {ref!r}")
            seen.add(ref)
            node = self.lookup(ref)
        return node

    @staticmethod
    def is_named(schema: Any) -> bool:
        """Whether a referenced schema becomes a class of its own when generated."""
        if not isinstance(schema, dict):
            return False
        if "enum" in schema or any(k in schema for k in ("oneOf", "anyOf", "allOf")):
            return True
        kinds = _types(schema)
        if "properties" in schema or "additionalProperties" in schema or "object" in kinds:
            return True
        return "$ref" in schema  # an alias of an alias: keep the name

    def describe(self, schema: Any, stack: tuple[str, ...] = ()) -> str:
        """A short type description; see the module docstring."""
        if not isinstance(schema, dict):
            return "any" if schema is True or schema is None else "never"
        if "$ref" in schema:
            ref = schema["$ref"]
            target = self.lookup(ref)
            if ref in stack or self.is_named(target):
                return str(ref)
            return self.describe(target, (*stack, ref))
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list):
                parts = " | ".join(self.describe(s, stack) for s in schema[key])
                return f"{key}[{parts}]"
        if isinstance(schema.get("allOf"), list):
            members = schema["allOf"]
            if len(members) == 1 and "properties" not in schema:
                return self.describe(members[0], stack)
            return "allOf[" + ", ".join(self.describe(s, stack) for s in members) + "]"
        kinds = _types(schema)
        if not kinds:
            if "properties" in schema or "additionalProperties" in schema:
                kinds = ["object"]
            elif "items" in schema:
                kinds = ["array"]
            else:
                return "any"
        return " | ".join(self._describe_kind(schema, kind, stack) for kind in kinds)

    def _describe_kind(self, schema: JSON, kind: str, stack: tuple[str, ...]) -> str:
        if kind == "array":
            return f"array[{self.describe(schema.get('items', True), stack)}]"
        if kind == "object":
            extra = schema.get("additionalProperties")
            if not schema.get("properties") and isinstance(extra, dict) and extra:
                return f"map[{self.describe(extra, stack)}]"
            return "object"
        fmt = schema.get("format")
        return f"{kind}({fmt})" if isinstance(fmt, str) and kind in SCALAR_TYPES else kind

    def fields(self, schema: JSON, depth: int = 0) -> tuple[dict[str, Any], set[str]]:
        """Properties and required names of an object schema, ``allOf`` members merged."""
        props: dict[str, Any] = {}
        required: set[str] = set()
        if depth > 50:
            raise BadInput(f"{self.label}: allOf nested too deep (circular?)")
        for member in schema.get("allOf", []) if isinstance(schema.get("allOf"), list) else []:
            resolved = self.resolve(member)
            if not isinstance(resolved, dict):
                continue
            sub_props, sub_required = self.fields(resolved, depth + 1)
            props.update(sub_props)
            required |= sub_required
        if isinstance(schema.get("properties"), dict):
            props.update(schema["properties"])
        if isinstance(schema.get("required"), list):
            required |= {r for r in schema["required"] if isinstance(r, str)}
        return props, required

    # ---------------------------------------------------------------- operations
    def operations(self) -> dict[tuple[str, str], tuple[JSON, JSON]]:
        """``(path, METHOD) -> (operation, path item)``."""
        out = {}
        for route, item in self.doc["paths"].items():
            for method in HTTP_METHODS:
                if method in item:
                    out[(route, method.upper())] = (item[method], item)
        return out

    def parameters(self, op: JSON, item: JSON) -> dict[tuple[str, str], JSON]:
        """Effective parameters of an operation: path-level ones overridden by its own."""
        out: dict[tuple[str, str], JSON] = {}
        for raw in [*item.get("parameters", []), *op.get("parameters", [])]:
            param = self.resolve(raw)
            if not isinstance(param, dict) or "name" not in param or "in" not in param:
                raise BadInput(f"{self.label}: malformed parameter {raw!r}")
            name = str(param["name"])
            where = str(param["in"])
            out[(where, name.lower() if where == "header" else name)] = param
        return out

    def security(self, op: JSON) -> set[frozenset[str]]:
        """Accepted ways to authenticate; the empty set among them means anonymous."""
        reqs = op.get("security", self.doc.get("security", []))
        if not isinstance(reqs, list):
            raise BadInput(f"{self.label}: malformed security requirement {reqs!r}")
        return {frozenset(r) for r in reqs if isinstance(r, dict)}

    # ---------------------------------------------------------------- usage
    def usage(self) -> tuple[set[str], set[str]]:
        """Component schema names reached from requests and from responses."""
        writes: set[str] = set()
        reads: set[str] = set()
        for op, item in self.operations().values():
            for param in self.parameters(op, item).values():
                self._collect(param, writes)
            self._collect(self.resolve(op.get("requestBody", {})), writes)
            for response in op.get("responses", {}).values():
                self._collect(self.resolve(response), reads)
        return self._closure(writes), self._closure(reads)

    def _collect(self, node: Any, into: set[str], visited: frozenset[str] = frozenset()) -> None:
        for ref in _refs(node):
            if ref.startswith(SCHEMA_PREFIX):
                into.add(ref[len(SCHEMA_PREFIX) :])
            elif ref not in visited:
                self._collect(self.lookup(ref), into, visited | {ref})

    def _closure(self, names: set[str]) -> set[str]:
        schemas = self.doc.get("components", {}).get("schemas", {})
        todo = list(names)
        done: set[str] = set()
        while todo:
            name = todo.pop()
            if name in done:
                continue
            done.add(name)
            found: set[str] = set()
            self._collect(schemas.get(name), found)
            todo.extend(found - done)
        return done


def _types(schema: JSON) -> list[str]:
    """Declared types without "null" (OpenAPI 3.1 lists), in a stable order."""
    kind = schema.get("type")
    if isinstance(kind, str):
        return [] if kind == "null" else [kind]
    if isinstance(kind, list):
        return sorted(str(k) for k in kind if k != "null")
    return []


def _is_ref(schema: Any) -> bool:
    return isinstance(schema, dict) and "$ref" in schema


def _nullable(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    kind = schema.get("type")
    return schema.get("nullable") is True or (isinstance(kind, list) and "null" in kind)


def _with_nullability(kind: str, schema: Any) -> str:
    """A type description for an "added" line: ``number, nullable`` when null is allowed."""
    return f"{kind}, nullable" if _nullable(schema) else kind


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref
        for key, value in node.items():
            if key != "$ref":
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


# --------------------------------------------------------------------------- #
# Changes and verdicts
# --------------------------------------------------------------------------- #
@dataclass(frozen=True)
class Usage:
    """Where a schema travels: in requests (the client writes) and/or responses (reads)."""

    write: bool
    read: bool

    @property
    def role(self) -> str:
        if self.write and self.read:
            return "in requests and responses"
        return "in a request" if self.write else "in a response"


WRITE = Usage(write=True, read=False)
READ = Usage(write=False, read=True)
BOTH = Usage(write=True, read=True)

SECTIONS = ("operations", "schemas", "security", "document")


@dataclass(frozen=True)
class Change:
    section: str
    breaking: bool
    text: str

    def line(self) -> str:
        return f"{'BREAKING' if self.breaking else 'non-breaking':<13} {self.text}"


def retype_breaking(old: str, new: str, usage: Usage) -> bool:
    """Retyped is breaking, except integer -> number where the client only writes."""
    widened = old.split("(", 1)[0] == "integer" and new == "number"
    return not (widened and not usage.read)


def _enum_values(schema: Any) -> set[str] | None:
    if isinstance(schema, dict) and isinstance(schema.get("enum"), list):
        return {json.dumps(v, sort_keys=True) for v in schema["enum"]}
    return None


def _field_label(fields: tuple[str, ...]) -> str:
    return "field '" + ".".join(fields) + "'" if fields else ""


@dataclass
class Differ:
    old: Spec
    new: Spec
    changes: list[Change] = field(default_factory=list)

    def add(self, section: str, breaking: bool, text: str) -> None:
        self.changes.append(Change(section, breaking, text))

    # ---------------------------------------------------------------- schemas
    def compare_schema(
        self,
        section: str,
        context: str,
        old: Any,
        new: Any,
        usage: Usage,
        fields: tuple[str, ...] = (),
    ) -> None:
        """Compare two schemas found at the same place; ``fields`` is the path in it."""
        label = _field_label(fields)
        prefix = f"{context}: {label} " if label else f"{context}: "
        old_type, new_type = self.old.describe(old), self.new.describe(new)
        if old_type != new_type:
            breaking = retype_breaking(old_type, new_type, usage)
            self.add(section, breaking, f"{prefix}retyped {old_type} -> {new_type}")
            return
        if _is_ref(old) or _is_ref(new):
            return  # the referenced component is compared in the schemas section
        if not isinstance(old, dict) or not isinstance(new, dict):
            return
        was, now = _nullable(old), _nullable(new)
        if was != now:
            if now:
                self.add(section, usage.read, f"{prefix}made nullable ({usage.role})")
            else:
                self.add(section, usage.write, f"{prefix}made non-nullable ({usage.role})")
        self._compare_enums(section, prefix, old, new, usage)
        if old_type == "object":
            self._compare_fields(section, context, old, new, usage, fields)
        if old_type.startswith("array["):
            self.compare_schema(
                section, context, old.get("items"), new.get("items"), usage, (*fields, "[]")
            )
        extra_old, extra_new = old.get("additionalProperties"), new.get("additionalProperties")
        if isinstance(extra_old, dict) and isinstance(extra_new, dict):
            self.compare_schema(section, context, extra_old, extra_new, usage, (*fields, "*"))

    def _compare_enums(self, section: str, prefix: str, old: JSON, new: JSON, usage: Usage) -> None:
        before, after = _enum_values(old), _enum_values(new)
        if before == after:
            return
        if before is None:
            values = ", ".join(sorted(after or ()))
            self.add(section, usage.write, f"{prefix}restricted to enum {values}")
        elif after is None:
            self.add(section, usage.read, f"{prefix}enum constraint dropped ({usage.role})")
        else:
            if after - before:
                added = ", ".join(sorted(after - before))
                self.add(section, usage.read, f"{prefix}enum value(s) added: {added}")
            if before - after:
                removed = ", ".join(sorted(before - after))
                self.add(section, usage.write, f"{prefix}enum value(s) removed: {removed}")

    def _compare_fields(
        self,
        section: str,
        context: str,
        old: JSON,
        new: JSON,
        usage: Usage,
        fields: tuple[str, ...],
    ) -> None:
        old_props, old_required = self.old.fields(old)
        new_props, new_required = self.new.fields(new)
        for name in old_props:
            if name not in new_props:
                self.add(section, True, f"{context}: {_field_label((*fields, name))} removed")
        for name, schema in new_props.items():
            label = _field_label((*fields, name))
            if name not in old_props:
                kind = _with_nullability(self.new.describe(schema), schema)
                if name in new_required:
                    text = f"{context}: {label} added (required, {kind}, {usage.role})"
                    self.add(section, usage.write, text)
                else:
                    self.add(section, False, f"{context}: {label} added (optional, {kind})")
                continue
            if name in new_required and name not in old_required:
                self.add(section, usage.write, f"{context}: {label} made required ({usage.role})")
            elif name in old_required and name not in new_required:
                self.add(section, usage.read, f"{context}: {label} made optional ({usage.role})")
            self.compare_schema(section, context, old_props[name], schema, usage, (*fields, name))

    def compare_components(self) -> None:
        old_schemas = self.old.doc.get("components", {}).get("schemas", {})
        new_schemas = self.new.doc.get("components", {}).get("schemas", {})
        old_writes, old_reads = self.old.usage()
        new_writes, new_reads = self.new.usage()
        writes, reads = old_writes | new_writes, old_reads | new_reads
        for name in old_schemas:
            if name not in new_schemas:
                self.add("schemas", True, f"schema {name} removed")
        for name, schema in new_schemas.items():
            if name not in old_schemas:
                self.add("schemas", False, f"schema {name} added")
                continue
            if name in writes or name in reads:
                usage = Usage(write=name in writes, read=name in reads)
            else:
                usage = BOTH
            self.compare_schema("schemas", f"schema {name}", old_schemas[name], schema, usage)

    # ---------------------------------------------------------------- operations
    def compare_operations(self) -> None:
        old_ops, new_ops = self.old.operations(), self.new.operations()
        order = {m.upper(): i for i, m in enumerate(HTTP_METHODS)}
        keys = sorted(set(old_ops) | set(new_ops), key=lambda k: (k[0], order[k[1]]))
        for route, method in keys:
            if (route, method) not in old_ops:
                op = new_ops[(route, method)][0]
                self.add("operations", False, f"{_op_label(method, route, op)}: operation added")
            elif (route, method) not in new_ops:
                op = old_ops[(route, method)][0]
                self.add("operations", True, f"{_op_label(method, route, op)}: operation removed")
            else:
                self.compare_operation(
                    method, route, old_ops[(route, method)], new_ops[(route, method)]
                )

    def compare_tags(self, label: str, old: list[Any], new: list[Any]) -> None:
        """The first tag names the generated module (``cmsdials_api.api.<tag>.<op>``, the
        public low-level client): a change that moves it is BREAKING; other tag changes
        are listed as non-breaking."""
        if old == new:
            return
        text = f"{label}: tags {old} -> {new}"
        module_old, module_new = _tag_module(old), _tag_module(new)
        if module_old != module_new:
            text += f" (the generated module moves: api.{module_old} -> api.{module_new})"
            self.add("operations", True, text)
        else:
            self.add("operations", False, text + f" (the generated module stays api.{module_new})")

    def compare_operation(
        self, method: str, route: str, old: tuple[JSON, JSON], new: tuple[JSON, JSON]
    ) -> None:
        (old_op, old_item), (new_op, new_item) = old, new
        label = _op_label(method, route, new_op)
        if old_op.get("operationId") != new_op.get("operationId"):
            renamed = f"operationId {old_op.get('operationId')} -> {new_op.get('operationId')}"
            self.add("operations", True, f"{label}: {renamed} (the generated function is renamed)")
        self.compare_tags(label, old_op.get("tags") or [], new_op.get("tags") or [])
        if bool(old_op.get("deprecated")) != bool(new_op.get("deprecated")):
            state = "deprecated" if new_op.get("deprecated") else "no longer deprecated"
            self.add("operations", False, f"{label}: {state}")
        self.compare_parameters(
            label, self.old.parameters(old_op, old_item), self.new.parameters(new_op, new_item)
        )
        self.compare_body(label, old_op.get("requestBody"), new_op.get("requestBody"))
        self.compare_responses(label, old_op.get("responses", {}), new_op.get("responses", {}))
        self.compare_security(label, self.old.security(old_op), self.new.security(new_op))

    def compare_parameters(
        self, label: str, old: dict[tuple[str, str], JSON], new: dict[tuple[str, str], JSON]
    ) -> None:
        for key, param in old.items():
            if key not in new:
                self.add("operations", True, f"{label}: {key[0]} parameter {param['name']} removed")
        for key, param in new.items():
            where = f"{label}: {key[0]} parameter {param['name']}"
            if key not in old:
                kind = _with_nullability(
                    self.new.describe(_param_schema(param)), _param_schema(param)
                )
                if param.get("required") is True:
                    self.add("operations", True, f"{where} added (required, {kind})")
                else:
                    self.add("operations", False, f"{where} added (optional, {kind})")
                continue
            before = old[key]
            if before.get("required") is True and param.get("required") is not True:
                self.add("operations", False, f"{where} made optional")
            elif before.get("required") is not True and param.get("required") is True:
                self.add("operations", True, f"{where} made required")
            if bool(before.get("deprecated")) != bool(param.get("deprecated")):
                state = "deprecated" if param.get("deprecated") else "no longer deprecated"
                self.add("operations", False, f"{where} {state}")
            old_schema, new_schema = _param_schema(before), _param_schema(param)
            self.compare_schema("operations", where, old_schema, new_schema, WRITE)
            self.compare_repair_records(
                where, before.get(REPAIRED), param.get(REPAIRED), old_schema, new_schema
            )
            kind = self.new.describe(new_schema)
            if kind == self.old.describe(old_schema) and _structured(kind):
                was, now = _serialisation(before), _serialisation(param)
                if was != now:
                    text = f"{where} serialisation {was} -> {now}"
                    self.add("operations", True, text)

    def compare_repair_records(
        self, where: str, old: Any, new: Any, old_schema: Any, new_schema: Any
    ) -> None:
        """What upstream declared under a parameter that a pull repair rewrote (``x-repaired``).

        The parameter itself may be unchanged, since the repair writes the same result, but
        upstream changed: a real change (say a filter turned from integer to string) that
        only looks like the defect.  Non-breaking for a client built from OLD, which sees
        the same repaired parameter, and still a difference."""
        if old == new:
            return
        was, have = self.old.describe(old_schema), self.new.describe(new_schema)
        if old is None:
            text = (
                f"upstream now declares {self._upstream(new)} where it declared {was}; "
                f"{_by(new)} repairs it to {have}: check whether the server changed"
            )
        elif new is None:
            text = f"upstream now declares {have} itself (was {self._upstream(old)}, repaired)"
        else:
            text = (
                f"upstream declaration changed {self._upstream(old)} -> {self._upstream(new)} "
                f"(repaired by {_by(new)})"
            )
        self.add("operations", False, f"{where}: {text}")

    def _upstream(self, record: Any) -> str:
        upstream = record.get("upstream") if isinstance(record, dict) else None
        if not isinstance(upstream, dict):
            return "something unknown"
        text = self.new.describe(upstream.get("schema"))
        if "style" in upstream or "explode" in upstream:
            text += f" ({_serialisation({'in': 'query', **upstream})})"
        return text

    def compare_body(self, label: str, old_raw: Any, new_raw: Any) -> None:
        old, new = _object(self.old, old_raw, label), _object(self.new, new_raw, label)
        if old is None and new is None:
            return
        if old is None:
            assert new is not None
            required = bool(new.get("required"))
            text = f"{label}: request body added ({'required' if required else 'optional'})"
            self.add("operations", required, text)
            return
        if new is None:
            self.add("operations", True, f"{label}: request body removed")
            return
        if bool(old.get("required")) != bool(new.get("required")):
            made = "required" if new.get("required") else "optional"
            self.add("operations", made == "required", f"{label}: request body made {made}")
        self.compare_content(label, "request body", old, new, WRITE)

    def compare_responses(self, label: str, old: JSON, new: JSON) -> None:
        for code in old:
            if code not in new:
                self.add("operations", True, f"{label}: response {code} removed")
        for code, raw in new.items():
            if code not in old:
                self.add("operations", False, f"{label}: response {code} added")
                continue
            before, after = _object(self.old, old[code], label), _object(self.new, raw, label)
            self.compare_content(label, f"response {code}", before, after, READ)

    def compare_content(
        self, label: str, what: str, old: JSON | None, new: JSON | None, usage: Usage
    ) -> None:
        old_media = _media(self.old, old, f"{label}: {what}")
        new_media = _media(self.new, new, f"{label}: {what}")
        for media in old_media:
            if media not in new_media:
                self.add("operations", True, f"{label}: {what} {media} removed")
        for media, body in new_media.items():
            if media not in old_media:
                self.add("operations", False, f"{label}: {what} {media} added")
                continue
            self.compare_schema(
                "operations",
                f"{label}: {what} {media}",
                old_media[media].get("schema"),
                body.get("schema"),
                usage,
            )

    def compare_security(
        self, label: str, old: set[frozenset[str]], new: set[frozenset[str]]
    ) -> None:
        for way in sorted(old - new, key=sorted):
            self.add("operations", True, f"{label}: no longer accepts {_auth(way)}")
        for way in sorted(new - old, key=sorted):
            self.add("operations", False, f"{label}: now also accepts {_auth(way)}")

    def compare_security_schemes(self) -> None:
        old = self.old.doc.get("components", {}).get("securitySchemes", {})
        new = self.new.doc.get("components", {}).get("securitySchemes", {})
        for name in old:
            if name not in new:
                self.add("security", True, f"security scheme {name!r} removed")
        for name, scheme in new.items():
            if name not in old:
                self.add("security", False, f"security scheme {name!r} added")
            elif _scheme(old[name]) != _scheme(scheme):
                text = (
                    f"security scheme {name!r} changed: {_scheme(old[name])} -> {_scheme(scheme)}"
                )
                self.add("security", True, text)

    # ---------------------------------------------------------------- all
    def run(self) -> list[Change]:
        self.compare_operations()
        self.compare_components()
        self.compare_security_schemes()
        places = list(_differences(self.old.doc, self.new.doc))
        if not self.changes and places:
            shown = ", ".join(places[:5]) + (", ..." if len(places) > 5 else "")
            text = (
                f"document: {len(places)} difference(s) outside the compared API surface "
                f"(descriptions, examples, metadata): {shown}"
            )
            self.add("document", False, text)
        rank = {s: i for i, s in enumerate(SECTIONS)}
        return sorted(self.changes, key=lambda c: rank[c.section])  # stable within a section


def _object(spec: Spec, node: Any, where: str) -> JSON | None:
    """A resolved request body or response: an object, or None when absent."""
    resolved = spec.resolve(node)
    if resolved is not None and not isinstance(resolved, dict):
        raise BadInput(f"{spec.label}: malformed OpenAPI document ({where}: {resolved!r})")
    return resolved


def _media(spec: Spec, node: JSON | None, where: str) -> dict[str, JSON]:
    """The ``content`` map of a request body or response: media type -> media object."""
    content = (node or {}).get("content") or {}
    if not isinstance(content, dict) or not all(isinstance(m, dict) for m in content.values()):
        raise BadInput(f"{spec.label}: malformed OpenAPI document ({where}: content {content!r})")
    return content


def _tag_module(tags: list[Any]) -> str:
    """The generated module of an operation with ``tags``: its first tag, cleaned as the
    pull cleans it (``MEs`` -> ``mes``); the generator's ``default`` without one."""
    return clean_tag(str(tags[0])) if tags else "default"


def _op_label(method: str, route: str, op: JSON) -> str:
    op_id = op.get("operationId")
    return f"{method} {route}" + (f" ({op_id})" if op_id else "")


def _param_schema(param: JSON) -> Any:
    if "schema" in param:
        return param["schema"]
    for media in (param.get("content") or {}).values():
        return (media or {}).get("schema")
    return None


def _structured(kind: str) -> bool:
    return kind.split("(", 1)[0] not in SCALAR_TYPES


def _serialisation(param: JSON) -> str:
    where = param.get("in")
    style = param.get("style", "form" if where in ("query", "cookie") else "simple")
    explode = param.get("explode", style == "form")
    return f"style={style} explode={str(bool(explode)).lower()}"


def _by(record: Any) -> str:
    by = record.get("by") if isinstance(record, dict) else None
    return str(by) if by else "a repair"


def _auth(way: frozenset[str]) -> str:
    return " + ".join(sorted(way)) if way else "anonymous access"


def _scheme(scheme: Any) -> str:
    if not isinstance(scheme, dict):
        return repr(scheme)
    parts = [str(scheme.get("type"))]
    if scheme.get("type") == "http":
        parts.append(str(scheme.get("scheme", "")).lower())
    if scheme.get("type") == "apiKey":
        parts += [str(scheme.get("in")), str(scheme.get("name"))]
    if "openIdConnectUrl" in scheme:
        parts.append(str(scheme["openIdConnectUrl"]))
    if "flows" in scheme:
        parts.append(json.dumps(scheme["flows"], sort_keys=True))
    return " ".join(parts)


def _pointer_part(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _differences(old: Any, new: Any, where: str = "") -> Iterator[str]:
    """JSON pointers of the places where two documents differ."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new), key=str):
            here = f"{where}/{_pointer_part(str(key))}"
            if key not in old or key not in new:
                yield here
            else:
                yield from _differences(old[key], new[key], here)
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            yield from _differences(a, b, f"{where}/{i}")
    elif old != new or isinstance(old, bool) != isinstance(new, bool):
        yield where or "/"  # 1 and 1.0 are the same JSON number; true and 1 are not


# --------------------------------------------------------------------------- #
# Entry point
# --------------------------------------------------------------------------- #
def diff(
    old_doc: JSON, new_doc: JSON, old_label: str = "OLD", new_label: str = "NEW"
) -> list[Change]:
    """The API differences between two loaded documents (empty when equal)."""
    if next(_differences(old_doc, new_doc), None) is None:
        return []
    return Differ(Spec(old_doc, old_label), Spec(new_doc, new_label)).run()


def summary(changes: list[Change]) -> str:
    breaking = sum(c.breaking for c in changes)
    return (
        f"{len(changes)} difference(s): {breaking} BREAKING, {len(changes) - breaking} non-breaking"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Compare two OpenAPI 3 documents at the API level.",
        epilog="Exit status: 0 equal, 1 different, 2 bad input.",
    )
    parser.add_argument("old", help="the OpenAPI document as it was (e.g. openapi.json)")
    parser.add_argument("new", help="the OpenAPI document as it is now")
    args = parser.parse_args(argv)
    try:
        old_doc, new_doc = load(args.old), load(args.new)
        changes = diff(old_doc, new_doc, args.old, args.new)
    except BadInput as exc:
        print(f"spec-diff: error: {exc}", file=sys.stderr)
        return 2
    if not changes:
        print("no API differences")
        return 0
    print(f"API differences from {args.old} to {args.new}:")
    section = ""
    for change in changes:
        if change.section != section:
            section = change.section
            print(f"{section}:")
        print(f"  {change.line()}")
    print(summary(changes))
    return 1


if __name__ == "__main__":
    sys.exit(main())
