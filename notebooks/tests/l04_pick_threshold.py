OK_FORMAT = True

test = {   'name': 'l04_pick_threshold',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': '>>> import torch\n'
                                               '>>> _s = torch.tensor([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05])\n'
                                               '>>> _y = torch.tensor([1, 1, 0, 1, 1, 0, 0, 1, 0, 0])\n'
                                               '>>> _t = pick_threshold(_s, _y, min_recall=0.8)\n'
                                               ">>> assert isinstance(_t, float), f'임계값을 파이썬 float로 돌려주세요 (받은 타입: {type(_t).__name__}). float(...)이나 .item()을 써 보세요.'\n"
                                               ">>> assert abs(_t - 0.5) < 1e-06, f'min_recall=0.8의 답은 0.5인데 {_t}를 받았습니다. 양성 5개 중 4개 이상을 찾는 임계값 중 정밀도가 가장 높은 것을 고르세요.'\n"
                                               '>>> _t1 = pick_threshold(_s, _y, min_recall=1.0)\n'
                                               ">>> assert isinstance(_t1, float) and abs(_t1 - 0.2) < 1e-06, f'min_recall=1.0이면 양성을 모두 찾아야 하므로 답은 0.2인데 {_t1}를 받았습니다.'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import torch\n'
                                               '>>> _t = pick_threshold(torch.tensor([0.8, 0.8, 0.3]), torch.tensor([1, 0, 1]), min_recall=0.5)\n'
                                               ">>> assert isinstance(_t, float) and abs(_t - 0.3) < 1e-06, f'같은 점수 0.8인 두 샘플은 함께 양성이 됩니다(정밀도 0.5). 답은 0.3(정밀도 2/3)인데 {_t}를 받았습니다. 후보는 서로 다른 점수입니다.'\n"
                                               '>>> _t = pick_threshold(torch.tensor([0.9, 0.7, 0.6, 0.4]), torch.tensor([1, 1, 1, 0]), min_recall=0.3)\n'
                                               ">>> assert isinstance(_t, float) and abs(_t - 0.6) < 1e-06, f'0.9, 0.7, 0.6 모두 정밀도 1.0입니다. 정밀도가 같으면 가장 낮은 임계값 0.6을 골라야 하는데 {_t}를 받았습니다.'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import torch\n'
                                               '>>> _s = torch.arange(21, 0, -1, dtype=torch.float32) / 21\n'
                                               '>>> _y = torch.tensor([1] * 19 + [0] + [1])\n'
                                               '>>> _t = pick_threshold(_s, _y)\n'
                                               '>>> assert isinstance(_t, float) and abs(_t - 3 / 21) < 1e-06, f"min_recall을 주지 않으면 기본값 0.95입니다: 양성 20개 중 19개(재현율 0.95, 조건은 \'이상\')를 찾는 3/21 ≈ 0.1429가 '
                                               '답인데 {_t}를 받았습니다."\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
