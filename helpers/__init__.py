"""비전 딥러닝 실습 코스의 공용 도구 (the course's shared helpers).

One import in every notebook::

    from helpers import environment, data, sizes, training, plotting

Importing the package registers the bundled Korean font with matplotlib, so every figure can
show Korean labels.
"""
from helpers.environment import get_device, get_profile, preflight, seed_everything
from helpers.fonts import register_korean_font

__version__ = "0.1.0"

register_korean_font()

__all__ = ["get_device", "get_profile", "preflight", "seed_everything", "__version__"]
