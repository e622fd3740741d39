OK_FORMAT = True

test = {   'name': 'l05_gradcam_weights',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': '>>> import torch\n'
                                               '>>> _g = torch.arange(24, dtype=torch.float32).reshape(2, 3, 2, 2)\n'
                                               '>>> _w = gradcam_weights(_g)\n'
                                               ">>> assert isinstance(_w, torch.Tensor), '텐서를 돌려주세요 (함수가 값을 return 하나요?)'\n"
                                               ">>> assert _w.shape == (2, 3), f'모양이 (N, K) = (2, 3)이어야 합니다: {tuple(_w.shape)} 받음. 어느 축을 따라 줄였나요?'\n"
                                               ">>> assert torch.allclose(_w, torch.tensor([[1.5, 5.5, 9.5], [13.5, 17.5, 21.5]])), '값이 다릅니다: 위치 (h, w)에 대한 합이 아니라 평균인가요?'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import torch\n'
                                               '>>> _w = gradcam_weights(torch.ones(1, 2, 3, 4, dtype=torch.float64))\n'
                                               ">>> assert isinstance(_w, torch.Tensor) and _w.shape == (1, 2), '모양이 (N, K) = (1, 2)인 텐서를 돌려주세요.'\n"
                                               ">>> assert _w.dtype == torch.float64, f'입력과 같은 dtype(float64)을 돌려주세요 (받은 dtype: {_w.dtype}). float32로 바꾸지 마세요.'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
