"""A slider where widgets work, a static figure everywhere.

Lessons use :func:`explore` for "turn the knob and watch" demos (softmax temperature, decision
threshold, box overlap). The static small-multiples figure is always drawn, so the idea is visible
in a saved notebook, on GitHub and in CI; in a live Jupyter kernel with ipywidgets an interactive
slider is added below it.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import matplotlib.pyplot as plt

from helpers import environment

HEADLESS_NOTE = "(노트북(Jupyter, Colab)에서 직접 실행하면 여기에 {name}을(를) 바꾸는 슬라이더가 나옵니다.)"

def widgets_available() -> bool:
    """True inside a Jupyter kernel (where ipywidgets can render) with ipywidgets installed,
    unless ``COURSE_NO_WIDGETS`` marks the kernel headless (:func:`helpers.environment.widgets_disabled`)."""
    if environment.widgets_disabled():
        return False
    try:
        import ipywidgets  # noqa: F401
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


def explore(
    draw: Callable[[float, plt.Axes], None],
    values: Sequence[float],
    name: str = "값",
    slider_range: tuple[float, float, float] | None = None,
    start: float | None = None,
    panel_size: tuple[float, float] = (3.2, 2.6),
) -> plt.Figure:
    """Draw ``draw(value, ax)`` for each of ``values`` side by side, then offer a slider.

    Args:
        draw: callable drawing one state into the given Axes.
        values: the values shown in the static figure (at least one).
        name: label of the knob, shown in panel titles and on the slider (Korean).
        slider_range: (min, max, step) of the slider; defaults to the span of ``values``.
        start: the slider's initial value (default: the first of ``values``).
    Returns:
        The static figure.
    """
    values = list(values)
    if not values:
        raise ValueError("explore(values=...)에 보여 줄 값을 하나 이상 넣으세요.")
    fig, axes = plt.subplots(1, len(values), figsize=(panel_size[0] * len(values), panel_size[1]),
                             squeeze=False)
    for value, ax in zip(values, axes[0], strict=True):
        draw(value, ax)
        if not ax.get_title():
            ax.set_title(f"{name} = {value:g}")
    fig.tight_layout()
    plt.show()

    if environment.widgets_disabled():  # a headless run (grading, tests, the website): say what is missing
        print(HEADLESS_NOTE.format(name=name))
    elif widgets_available():
        import ipywidgets as widgets
        from IPython.display import display

        lo, hi, step = slider_range or (min(values), max(values), (max(values) - min(values)) / 50 or 0.1)
        slider = widgets.FloatSlider(value=start if start is not None else values[0], min=lo, max=hi,
                                     step=step, description=name, continuous_update=False)
        out = widgets.Output()

        def redraw(change: Any = None) -> None:
            with out:
                out.clear_output(wait=True)
                f, ax = plt.subplots(figsize=(panel_size[0] * 1.6, panel_size[1] * 1.3))
                draw(slider.value, ax)
                if not ax.get_title():
                    ax.set_title(f"{name} = {slider.value:g}")
                f.tight_layout()
                plt.show()

        slider.observe(redraw, names="value")
        display(widgets.VBox([widgets.HTML(f"<b>슬라이더로 {name}을(를) 바꿔 보세요</b>"), slider, out]))
        redraw()
    return fig
