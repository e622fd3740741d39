"""helpers.interactive.explore: the static figure always, a slider only inside a kernel."""
import pytest

from helpers import interactive


def test_static_panels_one_per_value():
    calls = []

    def draw(value, ax):
        calls.append(value)
        ax.bar([0, 1], [value, 1])

    fig = interactive.explore(draw, values=[0.5, 1, 2], name="온도 T")
    assert calls == [0.5, 1, 2]
    assert len(fig.axes) == 3
    assert [ax.get_title() for ax in fig.axes] == ["온도 T = 0.5", "온도 T = 1", "온도 T = 2"]


def test_no_widgets_outside_a_kernel():
    assert interactive.widgets_available() is False


def test_empty_values_is_a_clear_error():
    with pytest.raises(ValueError, match="하나 이상"):
        interactive.explore(lambda v, ax: None, values=[])
