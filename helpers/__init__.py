"""비전 딥러닝 실습 코스의 공용 도구 (the course's shared helpers).

One import in every notebook::

    from helpers import environment, data, training, plotting

Importing the package registers the bundled Korean font with matplotlib, so every figure can
show Korean labels.
"""
from helpers.fonts import register_korean_font
from helpers.environment import by_profile, get_device, get_profile, preflight, seed_everything

__version__ = "0.1.0"

register_korean_font()

__all__ = ["by_profile", "get_device", "get_profile", "preflight", "seed_everything", "__version__"]
