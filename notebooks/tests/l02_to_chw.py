OK_FORMAT = True

test = {   'name': 'l02_to_chw',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': '>>> import numpy as np\n'
                                               '>>> import torch\n'
                                               '>>> _img = np.zeros((2, 3, 3), dtype=np.uint8)\n'
                                               '>>> _img[0, 1, 2] = 255\n'
                                               '>>> _img[1, 2, 0] = 51\n'
                                               '>>> _copy = _img.copy()\n'
                                               '>>> _t = to_chw(_img)\n'
                                               ">>> assert type(_t) is torch.Tensor, 'torch 텐서를 돌려주세요 (torch.from_numpy)'\n"
                                               ">>> assert np.array_equal(_img, _copy), '입력 배열이 바뀌었습니다: 제자리(in-place) 연산 대신 새 텐서를 만드세요'\n"
                                               ">>> assert _t.shape == (3, 2, 3), f'모양이 (C, H, W) = (3, 2, 3)이어야 합니다: {tuple(_t.shape)} 받음'\n"
                                               ">>> assert _t.dtype == torch.float32, f'float32여야 합니다: {_t.dtype} 받음'\n"
                                               ">>> assert _t[2, 0, 1] == 1.0 and abs(float(_t[0, 1, 2]) - 0.2) < 1e-06, '픽셀이 제자리에 있지 않거나 255로 나누지 않았습니다. reshape/view 대신 축의 순서를 바꾸는 permute를 쓰세요'\n"
                                               ">>> assert float(_t.sum()) == float(_t[2, 0, 1] + _t[0, 1, 2]), '값이 0이어야 할 자리에 다른 값이 있습니다'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import numpy as np\n'
                                               '>>> import torch\n'
                                               '>>> _img = np.arange(12, dtype=np.uint8).reshape(3, 4)\n'
                                               '>>> _t = to_chw(_img)\n'
                                               ">>> assert type(_t) is torch.Tensor and _t.shape == (1, 3, 4), '흑백 (H, W) 이미지는 (1, H, W)로 돌려주세요 (unsqueeze)'\n"
                                               ">>> assert torch.allclose(_t[0], torch.from_numpy(_img).float() / 255), '흑백 이미지의 값이 틀렸습니다'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
