OK_FORMAT = True

test = {   'name': 'l06_match',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': '>>> import torch\n'
                                               '>>> _gt = torch.tensor([[20.0, 20.0, 100.0, 100.0], [130.0, 30.0, 200.0, 110.0], [60.0, 140.0, 120.0, 200.0]])\n'
                                               '>>> _pred = torch.tensor([[25.0, 22.0, 102.0, 98.0], [135.0, 45.0, 205.0, 120.0], [22.0, 25.0, 95.0, 105.0], [150.0, 150.0, 200.0, 200.0], [75.0, '
                                               '150.0, 140.0, 215.0]])\n'
                                               '>>> _r = l06_match(_pred, torch.tensor([0.95, 0.85, 0.8, 0.6, 0.4]), _gt, 0.5)\n'
                                               ">>> assert _r is not None and _r is not ..., 'TP 여부 목록을 return 하세요'\n"
                                               '>>> _r = [bool(v) for v in _r]\n'
                                               ">>> assert len(_r) == 5, f'예측마다 하나씩, 5개를 돌려주세요. {len(_r)}개 받음'\n"
                                               ">>> assert _r == [True, True, False, False, False], f'4절의 예시와 다릅니다: [True, True, False, False, False] 기대, {_r} 받음'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import torch\n'
                                               '>>> _gt = torch.tensor([[0.0, 0.0, 10.0, 10.0]])\n'
                                               '>>> _pred = torch.tensor([[0.0, 0.0, 10.0, 9.0], [0.0, 0.0, 10.0, 10.0]])\n'
                                               '>>> _r = [bool(v) for v in l06_match(_pred, torch.tensor([0.3, 0.9]), _gt, 0.5)]\n'
                                               ">>> assert _r == [True, False], f'점수 0.9인 예측이 먼저 GT를 가져가고, 0.3인 예측은 중복(FP)이어야 합니다: [True, False] 기대, {_r} 받음. 점수 순서로 정렬했나요? 짝이 생긴 GT를 다시 쓰지 않았나요?'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import torch\n'
                                               '>>> _gt = torch.tensor([[0.0, 0.0, 10.0, 10.0]])\n'
                                               '>>> _r = [bool(v) for v in l06_match(torch.tensor([[0.0, 0.0, 10.0, 20.0]]), torch.tensor([0.7]), _gt, 0.5)]\n'
                                               ">>> assert _r == [True], f'IoU가 임계값과 정확히 같으면(0.5) TP입니다 (이상, >=): [True] 기대, {_r} 받음'\n"
                                               '>>> _r = [bool(v) for v in l06_match(torch.zeros(0, 4), torch.zeros(0), _gt, 0.5)]\n'
                                               ">>> assert _r == [], f'예측이 없으면 빈 리스트를 돌려주세요: {_r} 받음'\n"
                                               '>>> _r = [bool(v) for v in l06_match(torch.tensor([[0.0, 0.0, 5.0, 5.0], [1.0, 1.0, 6.0, 6.0]]), torch.tensor([0.2, 0.6]), torch.zeros(0, 4), 0.5)]\n'
                                               ">>> assert _r == [False, False], f'정답 상자가 없으면 모두 False입니다: {_r} 받음'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import torch\n'
                                               '>>> _gt = torch.tensor([[0.0, 0.0, 10.0, 10.0], [3.0, 0.0, 13.0, 10.0]])\n'
                                               '>>> _pred = torch.tensor([[0.0, 0.0, 10.0, 10.0], [1.0, 0.0, 11.0, 10.0]])\n'
                                               '>>> _r = [bool(v) for v in l06_match(_pred, torch.tensor([0.9, 0.8]), _gt, 0.5)]\n'
                                               ">>> assert _r == [True, True], f'가장 많이 겹친 정답 상자에 이미 짝이 있으면, 아직 짝이 없는 정답 상자 중 IoU가 가장 큰 것을 고릅니다: [True, True] 기대, {_r} 받음'\n"
                                               '>>> _r = [bool(v) for v in l06_match(torch.tensor([[0.0, 0.0, 10.0, 9.0], [0.0, 0.0, 10.0, 10.0]]), torch.tensor([0.5, 0.5]), torch.tensor([[0.0, 0.0, '
                                               '10.0, 10.0]]), 0.5)]\n'
                                               ">>> assert _r == [True, False], f'점수가 같으면 입력 순서대로 방문합니다(앞의 예측이 먼저 짝을 가져감): [True, False] 기대, {_r} 받음. argsort에 stable=True를 주었나요?'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
