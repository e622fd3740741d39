OK_FORMAT = True

test = {   'name': 'l07_decode_cells',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': '>>> import torch\n'
                                               '>>> _out = torch.zeros(2, 2, 7)\n'
                                               '>>> _out[1, 0] = torch.tensor([0.5, 0.5, 0.25, 0.5, 0.9, 0.2, 0.8])\n'
                                               '>>> _d = decode_cells(_out, 64, 0.01)\n'
                                               ">>> assert isinstance(_d, dict) and set(_d) >= {'boxes', 'scores', 'labels'}, 'boxes, scores, labels 키가 있는 dict를 돌려주세요.'\n"
                                               '>>> assert tuple(_d[\'boxes\'].shape) == (1, 4), f"상자가 1개여야 합니다 (점수 > 임계값인 칸은 하나). 받은 모양: {tuple(_d[\'boxes\'].shape)}"\n'
                                               ">>> assert torch.allclose(_d['boxes'].float(), torch.tensor([[8.0, 32.0, 24.0, 64.0]])), '상자 좌표가 다릅니다. 중심 = (j + x)·cell, (i + y)·cell 이고 w, h는 이미지 대비 "
                                               "크기입니다.'\n"
                                               ">>> assert abs(float(_d['scores'][0]) - 0.72) < 1e-05, '점수 = objectness × 가장 큰 클래스 확률입니다.'\n"
                                               ">>> assert int(_d['labels'][0]) == 2 and _d['labels'].dtype == torch.int64, '레이블은 1부터 세는 int64입니다 (두 번째 클래스 → 2).'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import torch\n'
                                               '>>> from helpers import detectors, shapes\n'
                                               '>>> _ds = shapes.generate(shapes.ShapesConfig(image_size=64, num_images=3, min_size=6, max_size=20, seed=3))\n'
                                               '>>> for _img, _t in _ds:\n'
                                               '...     _grid = detectors.encode_targets([_t], 8, 64, 3)[0]\n'
                                               '...     _d = decode_cells(_grid, 64, 0.5)\n'
                                               "...     _a, _b = (_d['boxes'][_d['boxes'][:, 0].argsort()], _t['boxes'][_t['boxes'][:, 0].argsort()])\n"
                                               "...     assert _a.shape == _b.shape and torch.allclose(_a.float(), _b, atol=0.001), '정답을 격자로 만든(encode_targets) 뒤 디코딩하면 정답 상자가 그대로 나와야 합니다.'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import torch\n'
                                               '>>> _out = torch.zeros(2, 2, 6)\n'
                                               '>>> _out[0, 0] = torch.tensor([0.0, 0.0, 1.0, 1.0, 0.9, 1.0])\n'
                                               '>>> _out[1, 1] = torch.tensor([0.5, 0.5, 0.25, 0.25, 0.5, 1.0])\n'
                                               '>>> _out[0, 1] = torch.tensor([0.5, 0.5, 0.25, 0.25, 0.95, 1.0])\n'
                                               '>>> _d = decode_cells(_out, 32, 0.5)\n'
                                               ">>> assert type(_d['boxes']) is torch.Tensor and type(_d['scores']) is torch.Tensor and (type(_d['labels']) is torch.Tensor), 'boxes, scores, labels는 "
                                               "모두 torch.Tensor여야 합니다.'\n"
                                               '>>> assert tuple(_d[\'boxes\'].shape) == (2, 4), f"점수 > 0.5인 상자만 남겨야 합니다 (점수가 정확히 0.5이면 버림). 받은 개수: {tuple(_d[\'boxes\'].shape)}"\n'
                                               ">>> assert _d['scores'].tolist() == sorted(_d['scores'].tolist(), reverse=True), '점수 내림차순으로 정렬하세요.'\n"
                                               ">>> assert torch.allclose(_d['boxes'][1].float(), torch.tensor([0.0, 0.0, 16.0, 16.0])), '이미지 밖으로 나간 좌표는 0..image_size로 자르세요(clip).'\n"
                                               '>>> _e = decode_cells(torch.zeros(3, 3, 7), 24, 0.5)\n'
                                               ">>> assert tuple(_e['boxes'].shape) == (0, 4) and tuple(_e['scores'].shape) == (0,) and (tuple(_e['labels'].shape) == (0,)), '남는 상자가 없으면 모양 [0, 4], "
                                               "[0], [0]인 텐서를 돌려주세요.'\n"
                                               ">>> assert _e['labels'].dtype == torch.int64, '상자가 없어도 labels는 int64입니다.'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
