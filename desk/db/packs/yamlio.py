"""YAML for data packs: a safe reader that remembers lines, a deterministic writer.

The reader builds plain dicts and lists (no tags, no code, no aliases, no duplicate
keys), and every mapping it returns is a :class:`LineDict` that knows the line it
starts on, so validation errors can point into the file. The writer sorts nothing
(the schema decides the key order) and puts short scalar lists on one line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import yaml
from yaml.nodes import CollectionNode, MappingNode, Node

from desk.db.packs.limits import MAX_YAML_DEPTH

# libyaml's parser when available (5× faster on the bundled packs); both keep marks.
if TYPE_CHECKING:
    _SafeLoader = yaml.SafeLoader
else:
    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineDict(dict[str, Any]):
    """A mapping read from YAML, with the 1-based line it starts on."""

    line: int | None = None


class PackSyntaxError(ValueError):
    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.line = line


class _PackLoader(_SafeLoader):
    def construct_document(self, node: Node) -> Any:
        _check_depth(node)
        return super().construct_document(node)

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        # Only an alias brings a node back a second time. Aliases let a few bytes
        # expand into gigabytes, and packs never need them.
        if node in self.constructed_objects:
            raise PackSyntaxError("YAML のアンカーとエイリアス（&name, *name）は使えません", node.start_mark.line + 1)
        try:
            return super().construct_object(node, deep)
        except PackSyntaxError:
            raise
        except (ValueError, OverflowError) as exc:
            # A scalar YAML reads but Python cannot hold: 2025-02-30, an integer of thousands of digits.
            line = node.start_mark.line + 1
            raise PackSyntaxError(f"値を読めません: {_scalar_text(node)}（{_why(exc)}）", line) from exc

    def construct_line_mapping(self, node: MappingNode, deep: bool = False) -> LineDict:
        self.flatten_mapping(node)
        seen: dict[Any, int] = {}
        mapping = LineDict()
        mapping.line = node.start_mark.line + 1
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str):
                raise PackSyntaxError(f"キーは文字列でなければなりません: {key!r}", key_node.start_mark.line + 1)
            if key in seen:
                raise PackSyntaxError(
                    f"キー '{key}' が重複しています（{seen[key]}行目にもあります）", key_node.start_mark.line + 1)
            seen[key] = key_node.start_mark.line + 1
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


def _check_depth(root: Node) -> None:
    """Refuse nesting past MAX_YAML_DEPTH before anything is built (without recursion: the
    walk itself must not be what a deep file breaks)."""
    stack: list[tuple[Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if not isinstance(node, CollectionNode):
            continue
        if depth > MAX_YAML_DEPTH:
            raise PackSyntaxError(f"入れ子が深すぎます（上限 {MAX_YAML_DEPTH} 段）", node.start_mark.line + 1)
        children = [v for pair in node.value for v in pair] if isinstance(node, MappingNode) else node.value
        stack.extend((child, depth + 1) for child in children)


def _scalar_text(node: Node) -> str:
    text = str(node.value) if isinstance(node.value, str) else node.tag
    return repr(text if len(text) <= 40 else text[:37] + "…")


def _why(exc: BaseException) -> str:
    text = str(exc)
    if "day is out of range" in text or "month must be" in text:
        return "存在しない日付です"
    if "integer string conversion" in text or isinstance(exc, OverflowError):
        return "数値の桁が多すぎます"
    return "形式が正しくありません"


_PackLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _PackLoader.construct_line_mapping)


def load(text: str) -> Any:
    """Parse pack text; syntax errors become :class:`PackSyntaxError` with a line."""
    try:
        return yaml.load(text, Loader=_PackLoader)
    except PackSyntaxError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise PackSyntaxError(f"YAML の書式が正しくありません: {exc.problem or exc.context}", line) from exc
    except yaml.YAMLError as exc:
        raise PackSyntaxError(f"YAML の書式が正しくありません: {exc}", None) from exc


class _PackDumper(yaml.SafeDumper):
    pass


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool)) or hasattr(value, "isoformat")


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = bool(data) and all(_is_scalar(v) and not (isinstance(v, str) and len(v) > 40) for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _represent_dict(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    # Short all-scalar mappings (rate tiers, service areas) read best on one line.
    flow = (
        0 < len(data) <= 5
        and all(_is_scalar(v) for v in data.values())
        and sum(len(str(v)) for v in data.values()) <= 60
    )
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flow)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_PackDumper.add_representer(list, _represent_list)
_PackDumper.add_representer(dict, _represent_dict)
_PackDumper.add_representer(LineDict, _represent_dict)
_PackDumper.add_representer(str, _represent_str)
_PackDumper.ignore_aliases = lambda self, data: True  # type: ignore[method-assign]


def dump(data: Any) -> str:
    return yaml.dump(
        data, Dumper=_PackDumper, allow_unicode=True, sort_keys=False, width=100_000,
        default_flow_style=False, indent=2,
    )
