OK_FORMAT = True

test = {   'name': 'l01_stable_softmax',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': '>>> import torch\n'
                                               '>>> _p = stable_softmax(torch.tensor([1.0, 2.0, 3.0]))\n'
                                               ">>> assert type(_p) is torch.Tensor, '텐서를 돌려주세요 (함수가 값을 return 하나요?)'\n"
                                               ">>> assert _p.shape == (3,), f'모양이 입력과 같아야 합니다: (3,) 기대, {tuple(_p.shape)} 받음'\n"
                                               ">>> assert torch.allclose(_p, torch.tensor([0.09, 0.2447, 0.6652]), atol=0.0001), '값이 소프트맥스와 다릅니다: exp를 취한 뒤 합으로 나눴나요?'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import torch\n'
                                               '>>> _p = stable_softmax(torch.tensor([1000.0, 999.0, 0.0]))\n'
                                               ">>> assert type(_p) is torch.Tensor, '텐서를 돌려주세요'\n"
                                               ">>> assert not torch.isnan(_p).any(), '로짓이 1000이면 nan이 나옵니다. 최댓값을 먼저 빼 보세요 (5절).'\n"
                                               ">>> assert torch.allclose(_p, torch.tensor([0.7311, 0.2689, 0.0]), atol=0.0001), '큰 로짓에서 값이 틀렸습니다.'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import torch\n'
                                               '>>> from helpers.torch_calls import record_torch_calls\n'
                                               '>>> with record_torch_calls() as _calls:\n'
                                               '...     _p = stable_softmax(torch.tensor([[1.0, 2.0], [3.0, 5.0], [0.0, 0.0]], dtype=torch.float64), dim=1)\n'
                                               ">>> assert not {'softmax', 'log_softmax'} & _calls, 'torch.softmax / F.softmax / Tensor.softmax 없이 exp, sum, amax로 직접 구현하세요'\n"
                                               ">>> assert type(_p) is torch.Tensor and _p.shape == (3, 2), '입력과 같은 모양 (3, 2)를 돌려주세요'\n"
                                               ">>> assert _p.dtype == torch.float64, f'입력과 같은 자료형을 돌려주세요: float64 입력에 {_p.dtype} 출력'\n"
                                               ">>> assert torch.allclose(_p.sum(dim=1), torch.ones(3, dtype=torch.float64)), 'dim=1을 따라 합이 1이어야 합니다 (keepdim=True)'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
