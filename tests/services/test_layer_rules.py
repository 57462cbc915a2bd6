"""Rules of the service layer that a reader should not have to check by hand.

- No public service function returns ``dict[str, Any]`` (or a list of them) across the layer boundary:
  results are typed models that the CLI prints, the API declares and the tests build.
- Services take a unit of work (or a value like the catalogue) first and everything else by keyword, so a
  FastAPI handler, a Typer command and a test each call them the same way in one line.
- No service opens a database or reads the environment (also an import-linter contract in pyproject).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import typing
from types import ModuleType

import pytest

import innocity.services as services_pkg
from innocity.services.context import UnitOfWork


def _modules() -> list[ModuleType]:
    out = []
    for info in pkgutil.walk_packages(services_pkg.__path__, prefix="innocity.services."):
        out.append(importlib.import_module(info.name))
    return out


def _public_functions() -> list[tuple[str, typing.Callable[..., object]]]:
    found = []
    for mod in _modules():
        for name, fn in vars(mod).items():
            if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != mod.__name__:
                continue
            found.append((f"{mod.__name__}.{name}", fn))
    return found


FUNCTIONS = _public_functions()


def _hints(fn: typing.Callable[..., object]) -> dict[str, object]:
    """Type hints, with names a module imports only for type checking resolved from where they live."""
    import sys

    import pandas as pd

    extra: dict[str, object] = {"pd": pd}
    for mod_name, mod in list(sys.modules.items()):
        if mod_name.startswith("innocity.") and mod is not None:
            extra.update({k: v for k, v in vars(mod).items() if isinstance(v, type) and not k.startswith("_")})
    return typing.get_type_hints(fn, globalns={**extra, **fn.__globals__})


def _is_untyped_dict(tp: object) -> bool:
    origin = typing.get_origin(tp)
    if origin in (list, tuple, typing.Union) or (origin is not None and str(origin) == "<class 'types.UnionType'>"):
        return any(_is_untyped_dict(a) for a in typing.get_args(tp))
    if tp is dict or origin is dict:
        args = typing.get_args(tp)
        return not args or args[1] is typing.Any
    return False


@pytest.mark.parametrize(("name", "fn"), FUNCTIONS, ids=[n for n, _ in FUNCTIONS])
def test_no_service_returns_an_untyped_dict(name: str, fn: typing.Callable[..., object]) -> None:
    hints = _hints(fn)
    assert "return" in hints, f"{name} has no return annotation"
    assert not _is_untyped_dict(hints["return"]), f"{name} returns {hints['return']}"


UOW_FUNCTIONS = [(n, f) for n, f in FUNCTIONS if next(iter(inspect.signature(f).parameters.values()), None)
                 is not None and _hints(f).get(
                     next(iter(inspect.signature(f).parameters))) is UnitOfWork]


def test_there_are_unit_of_work_services() -> None:
    assert len(UOW_FUNCTIONS) > 20


@pytest.mark.parametrize(("name", "fn"), UOW_FUNCTIONS, ids=[n for n, _ in UOW_FUNCTIONS])
def test_services_take_the_unit_of_work_then_keywords(name: str, fn: typing.Callable[..., object]) -> None:
    params = list(inspect.signature(fn).parameters.values())[1:]
    positional = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    # a few internal helpers called inside one transaction take an id positionally; public use cases don't
    assert not positional or name.endswith(("resolve_in", "step_in")), f"{name}: positional {positional}"


def test_no_service_imports_settings_loading_or_opens_a_store() -> None:
    for mod in _modules():
        src = inspect.getsource(mod)
        assert "Settings.from_env" not in src, mod.__name__
        assert "open_store(" not in src, mod.__name__
        assert "os.environ" not in src and "getenv(" not in src, mod.__name__


@pytest.mark.parametrize("name", ["", "   ", "市科\x07技局", "x" * 201, "市\u200b科技局"])
def test_a_department_needs_a_printable_name_that_fits(name: str) -> None:
    from innocity.errors import UserInputError
    from innocity.storage.regions import check_department_name

    with pytest.raises(UserInputError) as err:
        check_department_name(name, field="lead")
    assert err.value.field == "lead"
