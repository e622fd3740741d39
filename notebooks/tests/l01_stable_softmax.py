OK_FORMAT = True

test = {   'name': 'l01_stable_softmax',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': '>>> import torch\n'
                                               '>>> _p = stable_softmax(torch.tensor([1.0, 2.0, 3.0]))\n'
                                               ">>> assert isinstance(_p, torch.Tensor), '텐서를 돌려주세요 (함수가 값을 return 하나요?)'\n"
                                               ">>> assert _p.shape == (3,), f'모양이 입력과 같아야 합니다: (3,) 기대, {tuple(_p.shape)} 받음'\n"
                                               ">>> assert torch.allclose(_p, torch.tensor([0.09, 0.2447, 0.6652]), atol=0.0001), '값이 소프트맥스와 다릅니다: exp를 취한 뒤 합으로 나눴나요?'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import torch\n'
                                               '>>> _p = stable_softmax(torch.tensor([1000.0, 999.0, 0.0]))\n'
                                               ">>> assert not torch.isnan(_p).any(), '로짓이 1000이면 nan이 나옵니다. 최댓값을 먼저 빼 보세요 (5절).'\n"
                                               ">>> assert torch.allclose(_p, torch.tensor([0.7311, 0.2689, 0.0]), atol=0.0001), '큰 로짓에서 값이 틀렸습니다.'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
