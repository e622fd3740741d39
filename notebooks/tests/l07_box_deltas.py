OK_FORMAT = True

test = {   'name': 'l07_box_deltas',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': '>>> import math\n'
                                               '>>> import torch\n'
                                               '>>> _p = torch.tensor([[0.0, 0.0, 10.0, 20.0]])\n'
                                               '>>> _g = torch.tensor([[2.0, 4.0, 22.0, 24.0]])\n'
                                               '>>> _t = encode_deltas(_p, _g)\n'
                                               ">>> assert type(_t) is torch.Tensor and tuple(_t.shape) == (1, 4), f'Tensor[P, 4]를 돌려주세요. 받은 것: {type(_t).__name__}'\n"
                                               ">>> assert _t.is_floating_point(), '보정값은 실수 텐서입니다.'\n"
                                               ">>> assert torch.allclose(_t, torch.tensor([[0.7, 0.2, math.log(2.0), 0.0]]), atol=1e-06), f'(tx, ty, tw, th)가 다릅니다: {_t.tolist()}. tx = (Gx - Px) / "
                                               "Pw, tw = log(Gw / Pw) 입니다.'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import math\n'
                                               '>>> import torch\n'
                                               '>>> _p = torch.tensor([[0.0, 0.0, 10.0, 20.0]])\n'
                                               '>>> _d = decode_deltas(_p, torch.tensor([[0.7, 0.2, math.log(2.0), 0.0]]))\n'
                                               ">>> assert type(_d) is torch.Tensor and tuple(_d.shape) == (1, 4), 'Tensor[P, 4] (x1, y1, x2, y2)를 돌려주세요.'\n"
                                               ">>> assert torch.allclose(_d, torch.tensor([[2.0, 4.0, 22.0, 24.0]]), atol=1e-05), f'디코딩한 상자가 다릅니다: {_d.tolist()}. 크기는 Pw · exp(tw) 입니다.'\n"
                                               '>>> _P = torch.tensor([[10.0, 20.0, 30.0, 60.0], [50.0, 50.0, 58.0, 54.0]])\n'
                                               '>>> _G = torch.tensor([[12.0, 18.0, 36.0, 62.0], [49.0, 48.0, 61.0, 56.0]])\n'
                                               ">>> assert torch.allclose(decode_deltas(_P, encode_deltas(_P, _G)), _G, atol=0.0001), 'decode_deltas(P, encode_deltas(P, G))는 G여야 합니다.'\n"
                                               '>>> _z = encode_deltas(torch.zeros(0, 4), torch.zeros(0, 4))\n'
                                               ">>> assert type(_z) is torch.Tensor and tuple(_z.shape) == (0, 4), 'P = 0이면 모양 [0, 4]입니다.'\n"
                                               ">>> assert tuple(decode_deltas(torch.zeros(0, 4), torch.zeros(0, 4)).shape) == (0, 4), 'P = 0이면 모양 [0, 4]입니다.'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
