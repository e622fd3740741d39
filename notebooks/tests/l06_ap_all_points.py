OK_FORMAT = True

test = {   'name': 'l06_ap_all_points',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': '>>> import torch\n'
                                               '>>> _r = l06_ap_all_points(torch.tensor([0.5, 1.0]), torch.tensor([1.0, 0.5]))\n'
                                               ">>> assert isinstance(_r, float), f'파이썬 float를 돌려주세요 (float(...) 또는 .item()). 받은 타입: {type(_r).__name__}'\n"
                                               ">>> assert abs(_r - 0.75) < 1e-06, f'재현율 0→0.5 구간 높이 1.0, 0.5→1.0 구간 높이 0.5: AP 0.75 기대, {_r} 받음'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import torch\n'
                                               '>>> _r = l06_ap_all_points(torch.tensor([0.25, 0.25, 0.5, 0.75]), torch.tensor([1.0, 0.5, 2 / 3, 0.75]))\n'
                                               '>>> assert isinstance(_r, float)\n'
                                               '>>> assert abs(_r - 0.625) < 1e-06, f"0.625 기대, {_r} 받음. 0.6042가 나왔다면 포락선을 빠뜨렸습니다: 정밀도를 \'그 뒤 모든 값과의 최댓값\'으로 바꾼 뒤 넓이를 재세요 (5절 ④)."\n',
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import torch\n'
                                               '>>> _r = l06_ap_all_points(torch.zeros(0), torch.zeros(0))\n'
                                               ">>> assert isinstance(_r, float) and _r == 0.0, f'빈 입력(예측이 하나도 없음)의 AP는 0.0입니다: {_r!r} 받음'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
