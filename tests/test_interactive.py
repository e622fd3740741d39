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


def test_headless_kernels_get_no_widget_but_a_note(monkeypatch, capsys):
    """course-build/course-grade/course-site and the tests mark their kernels headless: a widget
    there is never seen, and its comm messages once made nbclient wait a whole cell timeout."""
    pytest.importorskip("ipywidgets")  # imported before get_ipython is faked: its import registers with the shell

    class FakeShell:
        config = {"IPKernelApp": {}}

    with monkeypatch.context() as patched:  # only the availability check sees a fake kernel
        patched.setattr("IPython.get_ipython", lambda: FakeShell())
        patched.delenv("COURSE_NO_WIDGETS", raising=False)
        assert interactive.widgets_available() is True  # a live kernel
        patched.setenv("COURSE_NO_WIDGETS", "1")
        assert interactive.widgets_available() is False
    monkeypatch.setenv("COURSE_NO_WIDGETS", "1")
    interactive.explore(lambda v, ax: ax.bar([0], [v]), values=[1, 2], name="온도 T")
    assert "온도 T을(를) 바꾸는 슬라이더" in capsys.readouterr().out


def test_tools_start_headless_kernels_with_text_progress_bars(tmp_path):
    from helpers.authoring import runtime

    env = runtime.subprocess_env("quick", tmp_path)
    assert env["COURSE_NO_WIDGETS"] == "1"
    startup = (tmp_path / "ipython" / "profile_default" / "startup" / "00_course.py").read_text(encoding="utf-8")
    namespace: dict = {}
    exec(startup, namespace)  # the start-up file as a kernel runs it
    import tqdm.auto
    import tqdm.std
    try:
        assert tqdm.auto.tqdm is tqdm.std.tqdm
    finally:
        import importlib

        importlib.reload(tqdm.auto)
