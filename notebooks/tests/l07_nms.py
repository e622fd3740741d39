OK_FORMAT = True

test = {   'name': 'l07_nms',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': '>>> import torch\n'
                                               '>>> _b = torch.tensor([[0.0, 0.0, 10.0, 10.0], [1.0, 1.0, 11.0, 11.0], [20.0, 20.0, 30.0, 30.0]])\n'
                                               '>>> _k = nms_greedy(_b, torch.tensor([0.6, 0.9, 0.5]), 0.5)\n'
                                               ">>> assert type(_k) is torch.Tensor, f'torch.Tensor를 돌려주세요. 받은 타입: {type(_k).__name__}'\n"
                                               ">>> assert _k.dtype == torch.int64, f'인덱스는 int64여야 합니다. 받은 dtype: {_k.dtype}'\n"
                                               ">>> assert _k.tolist() == [1, 2], f'남길 상자는 [1, 2] (점수 순)입니다. 받은 값: {_k.tolist()}. 점수가 가장 높은 상자부터 보았나요?'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import torch\n'
                                               '>>> _b = torch.tensor([[0.0, 0.0, 10.0, 10.0], [0.0, 0.0, 10.0, 5.0]])\n'
                                               '>>> _k = nms_greedy(_b, torch.tensor([0.9, 0.8]), 0.5)\n'
                                               ">>> assert _k.tolist() == [0, 1], f'IoU가 임계값과 정확히 같으면 지우지 않습니다 (> 만 지움). 받은 값: {_k.tolist()}'\n"
                                               ">>> assert nms_greedy(_b, torch.tensor([0.9, 0.8]), 0.49).tolist() == [0], 'IoU 0.5 > 0.49 이므로 두 번째 상자를 지워야 합니다.'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import torch\n'
                                               '>>> _b = torch.tensor([[0.0, 0.0, 10.0, 10.0], [0.0, 0.0, 10.0, 9.0], [0.0, 0.0, 10.0, 8.0]])\n'
                                               '>>> _k = nms_greedy(_b, torch.tensor([0.7, 0.7, 0.7]), 0.5)\n'
                                               ">>> assert _k.tolist() == [0], f'점수가 같으면 입력 순서가 앞인 상자를 먼저 봅니다 (stable=True). 받은 값: {_k.tolist()}'\n"
                                               '>>> _e = nms_greedy(torch.zeros(0, 4), torch.zeros(0), 0.5)\n'
                                               ">>> assert type(_e) is torch.Tensor and tuple(_e.shape) == (0,) and (_e.dtype == torch.int64), '상자가 없으면 모양 [0]인 int64 텐서를 돌려주세요.'\n"
                                               '>>> _c = nms_greedy(_b, torch.tensor([0.9, 0.8, 0.7]), 0.5, labels=torch.tensor([1, 2, 1]))\n'
                                               ">>> assert _c.tolist() == [0, 1], f'labels를 주면 같은 레이블끼리만 지웁니다 (클래스별 NMS). 받은 값: {_c.tolist()}'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
