OK_FORMAT = True

test = {   'name': 'l07_label_proposals',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': '>>> import torch\n'
                                               '>>> _gt = torch.tensor([[0.0, 0.0, 10.0, 10.0], [50.0, 50.0, 70.0, 70.0]])\n'
                                               '>>> _props = torch.tensor([[0.0, 0.0, 10.0, 10.0], [100.0, 100.0, 110.0, 110.0], [0.0, 0.0, 10.0, 4.0], [52.0, 52.0, 70.0, 70.0]])\n'
                                               '>>> _l = label_by_iou(_props, _gt, torch.tensor([3, 1]))\n'
                                               ">>> assert isinstance(_l, torch.Tensor) and tuple(_l.shape) == (4,), '제안마다 레이블 하나인 Tensor[P]를 돌려주세요.'\n"
                                               ">>> assert _l.dtype == torch.int64, f'레이블은 int64여야 합니다. 받은 dtype: {_l.dtype}'\n"
                                               ">>> assert _l.tolist() == [3, 0, -1, 1], f'레이블이 다릅니다: {_l.tolist()} (기대: 양성=클래스, 음성=0, 사이=-1)'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import torch\n'
                                               '>>> _l = label_by_iou(torch.tensor([[0.0, 0.0, 5.0, 5.0], [1.0, 1.0, 3.0, 3.0]]), torch.zeros(0, 4), torch.zeros(0, dtype=torch.int64))\n'
                                               ">>> assert isinstance(_l, torch.Tensor) and _l.tolist() == [0, 0], '정답 상자가 없으면 모든 제안이 배경(0)입니다.'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
