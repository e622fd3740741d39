OK_FORMAT = True

test = {   'name': 'l05_grad_cam',
    'points': 5,
    'suites': [   {   'cases': [   {   'code': '>>> import torch\n'
                                               '>>> _ = torch.manual_seed(1)\n'
                                               '>>> _net = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Conv2d(4, 6, 3, padding=1), '
                                               'torch.nn.ReLU(), torch.nn.Flatten(), torch.nn.Linear(6 * 5 * 6, 3)).eval()\n'
                                               '>>> _x = torch.rand(3, 1, 10, 12)\n'
                                               '>>> _m = grad_cam(_net, _net[3], _x, [0, 2, 1])\n'
                                               ">>> assert isinstance(_m, torch.Tensor), f'텐서를 돌려주세요 (받은 타입: {type(_m).__name__}). 함수가 값을 return 하나요?'\n"
                                               ">>> assert tuple(_m.shape) == (3, 10, 12), f'모양이 (N, H, W) = (3, 10, 12)여야 합니다: {tuple(_m.shape)} 받음. 층의 크기 (h, w)에서 이미지 크기 (H, W)로 키웠나요?'\n"
                                               ">>> assert _m.dtype == torch.float32, f'float32 텐서를 돌려주세요 (받은 dtype: {_m.dtype}).'\n"
                                               '>>> _m = _m.detach()\n'
                                               ">>> assert not torch.isnan(_m).any(), 'nan이 있습니다. 값이 모두 같은 히트맵은 0으로 채우세요.'\n"
                                               ">>> assert _m.min() >= 0 and _m.max() <= 1 + 1e-06, f'값이 0–1 범위를 벗어납니다 (최솟값 {_m.min():.3g}, 최댓값 {_m.max():.3g}). 이미지마다 min-max로 맞췄나요?'\n"
                                               ">>> assert torch.allclose(_m.amax(dim=(1, 2)), torch.ones(3)) and torch.allclose(_m.amin(dim=(1, 2)), torch.zeros(3), atol=1e-06), '이미지마다 최솟값 0, 최댓값 "
                                               "1이 되도록 맞추세요 (배치 전체가 아니라 이미지 한 장씩).'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import torch\n'
                                               '>>> from helpers import cam as _cam\n'
                                               '>>> _ = torch.manual_seed(1)\n'
                                               '>>> _net = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Conv2d(4, 6, 3, padding=1), '
                                               'torch.nn.ReLU(), torch.nn.Flatten(), torch.nn.Linear(6 * 5 * 6, 3)).eval()\n'
                                               '>>> _x = torch.rand(3, 1, 10, 12)\n'
                                               '>>> _m = grad_cam(_net, _net[3], _x, [0, 2, 1])\n'
                                               ">>> assert isinstance(_m, torch.Tensor) and tuple(_m.shape) == (3, 10, 12), '모양이 (3, 10, 12)인 텐서를 돌려주세요.'\n"
                                               '>>> with _cam.GradCAM(_net, _net[3]) as _reference:\n'
                                               '...     _ref = _reference(_x, target_classes=[0, 2, 1])\n'
                                               ">>> assert torch.allclose(_m.detach(), _ref, atol=1e-05), '값이 기준 구현과 다릅니다. 이미지마다 class_idx[i]의 로짓(소프트맥스 전)을 미분했나요? α는 기울기의 위치 평균이고, 순서는 ReLU → 쌍선형 "
                                               "보간(align_corners=False) → 이미지마다 min-max입니다.'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import torch\n'
                                               '>>> _ = torch.manual_seed(1)\n'
                                               '>>> _net = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Conv2d(4, 6, 3, padding=1), '
                                               'torch.nn.ReLU(), torch.nn.Flatten(), torch.nn.Linear(6 * 5 * 6, 3)).eval()\n'
                                               '>>> _x = torch.rand(3, 1, 10, 12)\n'
                                               '>>> _first = grad_cam(_net, _net[3], _x, [0, 2, 1])\n'
                                               ">>> _hooks = {name: len(getattr(_net[3], name)) for name in ('_forward_hooks', '_forward_pre_hooks', '_backward_hooks', '_backward_pre_hooks')}\n"
                                               ">>> assert sum(_hooks.values()) == 0, f'호출이 끝난 뒤에도 layer에 훅이 남아 있습니다: {_hooks}. register_forward_hook이 돌려주는 handle의 remove()를 try/finally로 부르세요.'\n"
                                               '>>> _second = grad_cam(_net, _net[3], _x, [0, 2, 1])\n'
                                               ">>> assert isinstance(_second, torch.Tensor) and torch.allclose(_first.detach(), _second.detach()), '같은 입력으로 두 번 부르면 결과가 같아야 합니다. 이전 호출의 훅이나 저장한 값이 남아 "
                                               "있지 않나요?'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import torch\n'
                                               '>>> _flat = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3, padding=1), torch.nn.ReLU(), torch.nn.Flatten(), torch.nn.Linear(2 * 6 * 6, 2)).eval()\n'
                                               '>>> with torch.no_grad():\n'
                                               '...     _ = (_flat[0].weight.zero_(), _flat[0].bias.zero_())\n'
                                               '>>> _m = grad_cam(_flat, _flat[0], torch.rand(2, 1, 6, 6), [0, 1])\n'
                                               ">>> assert isinstance(_m, torch.Tensor) and tuple(_m.shape) == (2, 6, 6), '모양이 (2, 6, 6)인 텐서를 돌려주세요.'\n"
                                               ">>> assert not torch.isnan(_m).any() and (_m == 0).all(), '값이 모두 같은 히트맵(여기서는 모두 0)은 nan이 아니라 0으로 채워야 합니다.'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
