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
                                               ">>> assert isinstance(_l, torch.Tensor) and _l.tolist() == [0, 0], '정답 상자가 없으면 모든 제안이 배경(0)입니다.'\n"
                                               '>>> _e = label_by_iou(torch.zeros(0, 4), torch.tensor([[0.0, 0.0, 5.0, 5.0]]), torch.tensor([1]))\n'
                                               ">>> assert isinstance(_e, torch.Tensor) and tuple(_e.shape) == (0,) and (_e.dtype == torch.int64), '제안이 없으면 모양 [0]인 int64 텐서를 돌려주세요.'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import torch\n'
                                               '>>> _gt = torch.tensor([[0.0, 0.0, 10.0, 10.0]])\n'
                                               '>>> _props = torch.tensor([[0.0, 0.0, 10.0, 5.0], [0.0, 0.0, 10.0, 3.0], [0.0, 0.0, 10.0, 4.0]])\n'
                                               '>>> _l = label_by_iou(_props, _gt, torch.tensor([2]), pos_iou=0.5, neg_iou=0.3)\n'
                                               ">>> assert type(_l) is torch.Tensor and _l.tolist() == [2, -1, -1], f'IoU = pos_iou 이면 양성, IoU = neg_iou 이면 무시(-1)입니다. 받은 값: {_l.tolist()}'\n"
                                               '>>> _ft = label_by_iou(_props, _gt, torch.tensor([2]), pos_iou=0.5, neg_iou=0.5)\n'
                                               ">>> assert _ft.tolist() == [2, 0, 0], f'미세 조정 규칙(pos_iou = neg_iou = 0.5)에는 무시(-1)가 없습니다. 받은 값: {_ft.tolist()}'\n"
                                               '>>> _svm_props = torch.cat([_gt, torch.tensor([[0.0, 0.0, 10.0, 9.0]])])\n'
                                               ">>> assert label_by_iou(_svm_props, _gt, torch.tensor([2]), pos_iou=1.0, neg_iou=0.3).tolist() == [2, -1], 'SVM 규칙(pos_iou=1.0)에서는 정답 상자 자신만 양성입니다.'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
