"""chipclass: classify AI chips under US export controls (ECCN 3A090).

The Python API (spec-format.md section 8), loaded on first use so that importing
chipclass stays cheap (no click, rich or matplotlib):

    chipclass.load_sheet(path)          -> ChipSpec, or raises chipclass.SheetError
    chipclass.classify(paths, editions=..., destination=..., as_of=..., rules=...)
                                        -> results; results[0].to_dict() is the JSON result
    chipclass.editions(rules=...)       -> every edition, oldest first
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.3.0"

__all__ = ["SheetError", "__version__", "classify", "editions", "load_sheet"]

if TYPE_CHECKING:
    from chipclass.api import load_sheet
    from chipclass.spec import SheetError

_LAZY = {
    "load_sheet": ("chipclass.api", "load_sheet"),
    "SheetError": ("chipclass.spec", "SheetError"),
}


def __getattr__(name: str) -> Any:
    found = _LAZY.get(name)
    if found is not None:
        return getattr(import_module(found[0]), found[1])
    if name in ("classify", "editions"):
        # the modules chipclass.classify and chipclass.editions, which are callable: once
        # imported, a submodule is the package's attribute of that name
        return import_module(f"chipclass.{name}")
    raise AttributeError(f"module 'chipclass' has no attribute {name!r}")
