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
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
