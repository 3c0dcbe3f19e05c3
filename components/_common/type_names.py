"""Readable names of the annotations components use: ``dict[Slug, PrincipalArn]``, ``BucketName | None``.

``Annotated`` aliases (``Slug``, ``PrincipalArn``, ``KeyChoice``...) are shown by the name a
``components`` module gave them; ``Literal`` values are always spelled out (a grant's roles are
what a reader needs to see); pydantic generic models show their parameters
(``Grant[PrincipalArn, Literal['read', 'write']]``), and a grant class with settings of its own its
base (``SecretGrant(Grant[RoleArn, Literal['read', 'write']])``); a choice between models is spelled
out (``CreateKey | ExistingKey``). Used by the generated inputs tables and by the
names (and JSON-schema titles) of parametrized grants.
"""

from __future__ import annotations

import sys
import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

_NONE = type(None)


def _alias_name(annotation: Any) -> str | None:
    """The module-level name of an ``Annotated`` alias in a loaded ``components`` module, if any."""
    for module_name, module in list(sys.modules.items()):
        if module is None or not (module_name == "components" or module_name.startswith("components.")):
            continue
        for name, value in list(vars(module).items()):
            if value is annotation and not name.startswith("_"):
                return name
    return None


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and hasattr(annotation, "model_fields")


def type_name(annotation: Any) -> str:
    """``annotation`` as a reader would write it (see the module docstring)."""
    if annotation is None or annotation is _NONE:
        return "None"
    if annotation is Any:
        return "Any"
    origin = get_origin(annotation)
    if origin is Annotated:
        base = get_args(annotation)[0]
        if get_origin(base) in (Union, types.UnionType) and all(_is_model(a) for a in get_args(base)):
            return type_name(base)  # a choice between models (`CreateKey | ExistingKey`): show the models
        return _alias_name(annotation) or type_name(base)
    if origin is Literal:
        return "Literal[" + ", ".join(repr(a) for a in get_args(annotation)) + "]"
    if origin in (Union, types.UnionType):
        args = get_args(annotation)
        named = [type_name(a) for a in args if a is not _NONE]
        return " | ".join(named + (["None"] if _NONE in args else []))
    metadata = getattr(annotation, "__pydantic_generic_metadata__", None)
    if metadata and metadata.get("origin") is not None:
        return f"{metadata['origin'].__name__}[{', '.join(type_name(a) for a in metadata['args'])}]"
    if origin is not None:
        args = get_args(annotation)
        name = getattr(origin, "__name__", str(origin))
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            return f"tuple[{type_name(args[0])}, ...]"
        return f"{name}[{', '.join(type_name(a) for a in args)}]" if args else name
    if isinstance(annotation, type):
        generic_base = next(
            (
                b
                for b in annotation.__bases__
                if getattr(b, "__pydantic_generic_metadata__", {}).get("origin")
            ),
            None,
        )
        if generic_base is not None:  # a grant class with settings of its own: show what it grants
            return f"{annotation.__name__}({type_name(generic_base)})"
        return annotation.__name__
    return str(annotation).replace("typing.", "")
