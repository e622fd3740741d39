OK_FORMAT = True

test = {   'name': 'l01_cross_entropy',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': '>>> import torch\n'
                                               '>>> import torch.nn.functional as F\n'
                                               '>>> _z = torch.tensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])\n'
                                               '>>> _t = torch.tensor([0, 1])\n'
                                               '>>> _l = cross_entropy(_z, _t)\n'
                                               ">>> assert isinstance(_l, torch.Tensor) and _l.dim() == 0, '스칼라 텐서(배치 평균)를 돌려주세요'\n"
                                               ">>> assert torch.allclose(_l, F.cross_entropy(_z, _t), atol=1e-06), f'F.cross_entropy와 다릅니다: {float(_l):.4f} vs {float(F.cross_entropy(_z, _t)):.4f} "
                                               "(부호와 평균을 확인하세요)'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
