OK_FORMAT = True

test = {   'name': 'l05_cam_from_fc',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': '>>> import torch\n'
                                               '>>> _A = torch.tensor([[[[1.0, 0.0], [0.0, 2.0]], [[0.0, 1.0], [3.0, 0.0]]]])\n'
                                               '>>> _W = torch.tensor([[1.0, 1.0], [2.0, -1.0], [0.0, 5.0]])\n'
                                               '>>> _m = cam_from_fc(_A, _W, 1)\n'
                                               ">>> assert isinstance(_m, torch.Tensor), '텐서를 돌려주세요 (함수가 값을 return 하나요?)'\n"
                                               ">>> assert _m.shape == (1, 2, 2), f'모양이 (N, h, w) = (1, 2, 2)이어야 합니다: {tuple(_m.shape)} 받음. 채널 축(dim=1)을 따라 더했나요?'\n"
                                               ">>> assert torch.allclose(_m, torch.tensor([[[2.0, -1.0], [-3.0, 4.0]]])), '값이 다릅니다: 클래스 1의 가중치 행 fc_weight[1]로 채널을 가중합했나요? ReLU나 정규화는 하지 마세요 (음수도 "
                                               "그대로).'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import torch\n'
                                               '>>> _A = torch.tensor([[[[1.0, 0.0], [0.0, 2.0]], [[0.0, 1.0], [3.0, 0.0]]]])\n'
                                               '>>> _W = torch.tensor([[1.0, 1.0], [2.0, -1.0], [0.0, 5.0]])\n'
                                               '>>> _A_before, _W_before = (_A.clone(), _W.clone())\n'
                                               '>>> _m = cam_from_fc(_A, _W, 1)\n'
                                               ">>> assert torch.equal(_A, _A_before) and torch.equal(_W, _W_before), '입력 텐서(features 또는 fc_weight)가 바뀌었습니다. 제자리 연산(*=, +=, relu_ 등) 대신 새 텐서를 만드세요.'\n"
                                               ">>> assert isinstance(_m, torch.Tensor) and _m.data_ptr() != _A.data_ptr(), '입력과 다른 새 텐서를 돌려주세요.'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
