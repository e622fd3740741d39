"""Which torch functions a piece of code calls, for exercise checks ("without ``F.softmax``").

    with record_torch_calls() as calls:
        p = stable_softmax(x)
    assert not {"softmax", "log_softmax"} & calls     # names such as "exp", "sum", "softmax"

Every ``torch.*`` function, ``torch.nn.functional`` function and ``Tensor`` method called inside
the block is recorded by its ``__name__`` (``torch.softmax``, ``F.softmax`` and
``Tensor.softmax`` are all ``"softmax"``), through PyTorch's ``TorchFunctionMode``. The calls run
unchanged.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from torch.overrides import TorchFunctionMode

__all__ = ["record_torch_calls"]


class _Recorder(TorchFunctionMode):
    def __init__(self, names: set[str]) -> None:
        super().__init__()
        self.names = names

    def __torch_function__(
        self,
        func: Callable[..., Any],
        types: Any,
        args: tuple[Any, ...] = (),
        kwargs: Mapping[str, Any] | None = None,
    ) -> Any:
        self.names.add(getattr(func, "__name__", str(func)))
        return func(*args, **(kwargs or {}))


@contextmanager
def record_torch_calls() -> Iterator[set[str]]:
    """Record the names of the torch functions called in the ``with`` block; yields the set."""
    names: set[str] = set()
    with _Recorder(names):
        yield names
