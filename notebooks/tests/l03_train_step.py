OK_FORMAT = True

test = {   'name': 'l03_train_step',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': '>>> import torch\n'
                                               '>>> from torch import nn\n'
                                               '>>> _ = torch.manual_seed(0)\n'
                                               '>>> _m = nn.Sequential(nn.Flatten(), nn.Linear(12, 3))\n'
                                               '>>> _x, _y = (torch.randn(8, 3, 2, 2), torch.randint(0, 3, (8,)))\n'
                                               '>>> _expected = nn.functional.cross_entropy(_m(_x), _y).item()\n'
                                               '>>> _w = _m[1].weight.detach().clone()\n'
                                               '>>> _loss = l03_train_step(_m, _x, _y, torch.optim.SGD(_m.parameters(), lr=0.1), nn.CrossEntropyLoss())\n'
                                               ">>> assert type(_loss) is float, f'손실을 파이썬 float로 돌려주세요 (loss.item()). 받은 타입: {type(_loss).__name__}'\n"
                                               ">>> assert abs(_loss - _expected) < 1e-05, f'가중치를 고치기 전의 손실 {_expected:.4f}를 돌려주세요 (받은 값 {_loss:.4f})'\n"
                                               ">>> assert not torch.equal(_m[1].weight, _w), '가중치가 바뀌지 않았습니다: loss.backward()와 optimizer.step()을 호출했나요?'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import copy\n'
                                               '>>> import torch\n'
                                               '>>> from torch import nn\n'
                                               '>>> _ = torch.manual_seed(4)\n'
                                               '>>> _m = nn.Sequential(nn.Flatten(), nn.Linear(12, 3))\n'
                                               '>>> _ref = copy.deepcopy(_m)\n'
                                               '>>> for _p in _m.parameters():\n'
                                               '...     _p.grad = torch.full_like(_p, 50.0)\n'
                                               '>>> _x, _y = (torch.randn(8, 3, 2, 2), torch.randint(0, 3, (8,)))\n'
                                               '>>> _loss = l03_train_step(_m, _x, _y, torch.optim.SGD(_m.parameters(), lr=0.1), nn.CrossEntropyLoss())\n'
                                               '>>> _ref_opt = torch.optim.SGD(_ref.parameters(), lr=0.1)\n'
                                               '>>> nn.functional.cross_entropy(_ref(_x), _y).backward()\n'
                                               '>>> _ref_opt.step()\n'
                                               ">>> assert type(_loss) is float, '손실을 파이썬 float로 돌려주세요'\n"
                                               ">>> assert all((torch.allclose(_p, _q, atol=1e-06) for _p, _q in zip(_m.parameters(), _ref.parameters()))), '남아 있던 기울기가 섞였습니다: backward() 전에 "
                                               "optimizer.zero_grad()를 호출하세요'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import torch\n'
                                               '>>> from torch import nn\n'
                                               '>>> _ = torch.manual_seed(5)\n'
                                               '>>> _m = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.Dropout(0.5), nn.AdaptiveAvgPool2d(1), nn.Flatten(), '
                                               'nn.Linear(4, 3))\n'
                                               '>>> _ = _m.eval()\n'
                                               '>>> _before = _m[1].running_mean.clone()\n'
                                               '>>> _loss = l03_train_step(_m, torch.randn(8, 3, 5, 5) + 1, torch.randint(0, 3, (8,)), torch.optim.SGD(_m.parameters(), lr=0.1), '
                                               'nn.CrossEntropyLoss())\n'
                                               ">>> assert type(_loss) is float, '손실을 파이썬 float로 돌려주세요'\n"
                                               ">>> assert _m.training, '평가 모드로 넘어온 모델을 학습 모드로 바꾸세요: model.train()'\n"
                                               ">>> assert not torch.equal(_m[1].running_mean, _before), '학습 모드의 BN은 이동 평균을 갱신해야 합니다: model.train()을 호출했나요?'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
