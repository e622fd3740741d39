OK_FORMAT = True

test = {   'name': 'l05_mass_inside_box',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': '>>> import torch\n'
                                               '>>> _m = torch.arange(24, dtype=torch.float32).reshape(4, 6)\n'
                                               '>>> _r = mass_inside_box(_m, (1, 0, 3, 2))\n'
                                               ">>> assert type(_r) is float, f'파이썬 float를 돌려주세요 (float(...) 또는 .item()): {type(_r).__name__} 받음'\n"
                                               ">>> assert abs(_r - 18 / 276) < 1e-06, f'값이 다릅니다: {_r:.4f}. x는 열(가로), y는 행(세로)입니다: cam_map[y1:y2, x1:x2] 인가요? 끝은 포함하지 않습니다.'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import torch\n'
                                               '>>> _r = mass_inside_box(torch.zeros(5, 5), (0, 0, 3, 3))\n'
                                               ">>> assert type(_r) is float and _r == 0.0, f'히트맵 전체가 0이면 0.0을 돌려주세요 (nan이 아니라): {_r} 받음'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
