OK_FORMAT = True

test = {   'name': 'l01_cross_entropy',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': '>>> import torch\n'
                                               '>>> import torch.nn.functional as F\n'
                                               '>>> _z = torch.tensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])\n'
                                               '>>> _t = torch.tensor([0, 1])\n'
                                               '>>> _l = cross_entropy(_z, _t)\n'
                                               ">>> assert type(_l) is torch.Tensor and _l.dim() == 0, '스칼라 텐서(배치 평균)를 돌려주세요'\n"
                                               ">>> assert torch.allclose(_l, F.cross_entropy(_z, _t), atol=1e-06), f'F.cross_entropy와 다릅니다: {float(_l):.4f} vs {float(F.cross_entropy(_z, _t)):.4f} "
                                               "(부호와 평균을 확인하세요)'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import torch\n'
                                               '>>> import torch.nn.functional as F\n'
                                               '>>> from helpers.torch_calls import record_torch_calls\n'
                                               '>>> _z = torch.tensor([[1000.0, 0.0, -5.0], [0.0, 1000.0, 999.0]])\n'
                                               '>>> _t = torch.tensor([2, 1])\n'
                                               '>>> with record_torch_calls() as _calls:\n'
                                               '...     _l = cross_entropy(_z, _t)\n'
                                               ">>> _used = {'cross_entropy', 'log_softmax', 'logsumexp'} & _calls\n"
                                               ">>> assert not _used, f'{sorted(_used)} 없이 exp, log, sum, amax로 직접 계산하세요 (F.cross_entropy, F.log_softmax, torch.logsumexp 금지)'\n"
                                               ">>> assert type(_l) is torch.Tensor and _l.dim() == 0, '스칼라 텐서를 돌려주세요'\n"
                                               ">>> assert torch.isfinite(_l), '로짓이 1000이면 inf/nan이 나옵니다. 최댓값 m을 빼서 계산하세요 (힌트의 식)'\n"
                                               ">>> assert torch.allclose(_l, F.cross_entropy(_z, _t), rtol=1e-05), f'큰 로짓에서 값이 다릅니다: {float(_l):.4f} vs {float(F.cross_entropy(_z, _t)):.4f}'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
