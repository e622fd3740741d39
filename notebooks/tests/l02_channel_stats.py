OK_FORMAT = True

test = {   'name': 'l02_channel_stats',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': '>>> import torch\n'
                                               '>>> _x = torch.zeros(2, 3, 4, 4)\n'
                                               '>>> _x[:, 0] = 0.5\n'
                                               '>>> _x[0, 1], _x[1, 1] = (0.0, 1.0)\n'
                                               '>>> _x[:, 2, :, :2], _x[:, 2, :, 2:] = (0.2, 0.6)\n'
                                               '>>> _r = channel_mean_std(_x)\n'
                                               ">>> assert type(_r) is tuple and len(_r) == 2, '(mean, std) 두 텐서의 튜플을 돌려주세요 (return mean, std)'\n"
                                               '>>> _m, _s = _r\n'
                                               ">>> assert type(_m) is torch.Tensor and type(_s) is torch.Tensor, 'mean과 std는 텐서여야 합니다'\n"
                                               ">>> assert _m.shape == (3,) and _s.shape == (3,), f'채널마다 값 하나씩, 모양 (3,)이어야 합니다: {tuple(_m.shape)}, {tuple(_s.shape)} 받음. 채널 축(dim=1)만 남기고 평균하세요.'\n"
                                               ">>> assert torch.allclose(_m, torch.tensor([0.5, 0.5, 0.4]), atol=1e-06), f'채널별 평균이 틀렸습니다: {_m.tolist()}'\n"
                                               ">>> assert torch.allclose(_s, torch.tensor([0.0, 0.5, 0.2]), atol=1e-06), f'채널별 표준편차가 틀렸습니다: {_s.tolist()} (모집단 표준편차: 개수 그대로 나누기)'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import torch\n'
                                               '>>> _g = torch.Generator().manual_seed(0)\n'
                                               '>>> _x = torch.rand(5, 1, 6, 6, generator=_g)\n'
                                               '>>> _m, _s = channel_mean_std(_x)\n'
                                               ">>> assert type(_m) is torch.Tensor and type(_s) is torch.Tensor, 'mean과 std는 텐서여야 합니다'\n"
                                               ">>> assert _m.shape == (1,) and _s.shape == (1,), '흑백 이미지(C=1)에서는 모양 (1,)을 돌려주세요'\n"
                                               ">>> assert torch.allclose(_m, _x.mean().view(1), atol=1e-06), '흑백 이미지의 평균이 틀렸습니다'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import torch\n'
                                               '>>> _x = torch.rand(3, 3, 4, 5, generator=torch.Generator().manual_seed(2), dtype=torch.float64)\n'
                                               '>>> _m, _s = channel_mean_std(_x)\n'
                                               ">>> assert type(_m) is torch.Tensor and type(_s) is torch.Tensor, 'mean과 std는 텐서여야 합니다'\n"
                                               ">>> assert _m.dtype == torch.float64 and _s.dtype == torch.float64, f'float64 입력에는 float64를 돌려주세요 (받은 dtype {_m.dtype}, {_s.dtype})'\n"
                                               ">>> assert torch.allclose(_m, _x.mean(dim=(0, 2, 3))), 'float64 입력에서 평균이 틀렸습니다'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
