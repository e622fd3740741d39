OK_FORMAT = True

test = {   'name': 'l06_iou',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': '>>> _r = l06_iou([0, 0, 10, 10], [5, 5, 15, 15])\n'
                                               ">>> assert isinstance(_r, float), f'파이썬 float를 돌려주세요 (float(...) 또는 .item()). 받은 타입: {type(_r).__name__}'\n"
                                               ">>> assert abs(_r - 25 / 175) < 1e-06, f'겹치는 두 상자의 IoU가 틀렸습니다: 25/175 = 0.1429 기대, {_r} 받음 (합집합 = 넓이 합 - 교집합)'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> _r = l06_iou([0, 0, 10, 10], [20, 20, 30, 30])\n'
                                               ">>> assert isinstance(_r, float), f'떨어진 상자에서도 파이썬 float(0이 아니라 0.0)를 돌려주세요. 받은 타입: {type(_r).__name__}'\n"
                                               ">>> assert _r == 0.0, f'떨어진 두 상자의 IoU는 0이어야 합니다. {_r} 받음: 교집합의 너비·높이를 max(0, ...)로 잘랐나요?'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> _r = l06_iou([0, 0, 4, 4], [4, 1, 8, 3])\n'
                                               ">>> assert isinstance(_r, float) and _r == 0.0, f'변만 맞닿은 상자의 IoU는 0.0이어야 합니다: {_r} 받음'\n"
                                               '>>> _r = l06_iou([2, 2, 2, 2], [2, 2, 2, 2])\n'
                                               ">>> assert isinstance(_r, float) and _r == 0.0, f'두 상자 모두 넓이 0이면(합집합 0) nan이 아니라 0.0을 돌려주세요: {_r} 받음'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import torch\n'
                                               '>>> _r = l06_iou(torch.tensor([0.0, 0.0, 4.0, 4.0]), (2, 0, 6, 4))\n'
                                               ">>> assert isinstance(_r, float), f'텐서나 튜플을 받아도 파이썬 float를 돌려주세요: {type(_r).__name__} 받음 (float(...) 또는 .item())'\n"
                                               ">>> assert abs(_r - 8 / 24) < 1e-06, f'텐서 입력에서 IoU가 틀렸습니다: 8/24 기대, {_r} 받음'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
