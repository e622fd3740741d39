OK_FORMAT = True

test = {   'name': 'l03_make_transforms',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': '>>> import numpy as np\n'
                                               '>>> import torch\n'
                                               '>>> from PIL import Image as _PILImage\n'
                                               '>>> from torchvision.tv_tensors import Image as _TVImage\n'
                                               '>>> _img = _PILImage.fromarray(np.random.default_rng(0).integers(0, 256, (32, 32, 3), dtype=np.uint8))\n'
                                               '>>> _mean, _std = ((0.3, 0.5, 0.7), (0.1, 0.2, 0.3))\n'
                                               '>>> _pair = l03_make_transforms(_mean, _std)\n'
                                               ">>> assert type(_pair) is tuple and len(_pair) == 2, '(train_tf, test_tf) 두 개를 튜플로 돌려주세요'\n"
                                               '>>> _train_tf, _test_tf = _pair\n'
                                               '>>> _out = _test_tf(_img)\n'
                                               '>>> assert type(_out) in (torch.Tensor, _TVImage) and _out.shape == (3, 32, 32) and (_out.dtype == torch.float32), f"test_tf는 float32 텐서 [3, 32, 32]를 '
                                               '돌려줘야 합니다 (받은 값: {type(_out).__name__} {getattr(_out, \'shape\', \'\')} {getattr(_out, \'dtype\', \'\')})"\n'
                                               '>>> _expected = (torch.from_numpy(np.array(_img)).permute(2, 0, 1).float() / 255 - torch.tensor(_mean).view(3, 1, 1)) / torch.tensor(_std).view(3, 1, '
                                               '1)\n'
                                               ">>> assert torch.allclose(_out, _expected, atol=1e-05), 'test_tf의 값이 (x/255 - mean) / std 와 다릅니다: 주어진 mean, std로 정규화했나요? 테스트용에 증강이 들어가지 않았나요?'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import numpy as np\n'
                                               '>>> import torch\n'
                                               '>>> from PIL import Image as _PILImage\n'
                                               '>>> from torchvision.tv_tensors import Image as _TVImage\n'
                                               '>>> _train_tf, _test_tf = l03_make_transforms((0.2, 0.4, 0.6), (0.1, 0.2, 0.3))\n'
                                               '>>> _img, _img2 = (_PILImage.fromarray(np.random.default_rng(k).integers(0, 256, (32, 32, 3), dtype=np.uint8)) for k in (1, 7))\n'
                                               ">>> assert torch.equal(_test_tf(_img), _test_tf(_img)), 'test_tf가 호출할 때마다 다릅니다: 테스트용에는 무작위 증강을 넣지 마세요'\n"
                                               '>>> _ = torch.manual_seed(0)\n'
                                               '>>> _outs = [_train_tf(_img) for _ in range(10)]\n'
                                               ">>> assert all((type(o) in (torch.Tensor, _TVImage) and o.shape == (3, 32, 32) and (o.dtype == torch.float32) for o in _outs)), 'train_tf도 float32 텐서 "
                                               "[3, 32, 32]를 돌려줘야 합니다'\n"
                                               ">>> assert any((not torch.equal(_outs[0], o) for o in _outs[1:])), 'train_tf가 매번 같은 결과를 냅니다: 무작위 증강을 넣으세요'\n"
                                               '>>> _ = torch.manual_seed(2)\n'
                                               '>>> _back = _train_tf(_img2) * torch.tensor([0.1, 0.2, 0.3]).view(3, 1, 1) + torch.tensor([0.2, 0.4, 0.6]).view(3, 1, 1)\n'
                                               ">>> assert _back.min() > -0.05 and _back.max() < 1.05, 'train_tf의 끝에서 주어진 mean, std로 정규화하세요 (정규화를 되돌렸는데 0–1 범위가 아닙니다)'\n"
                                               ">>> assert (_back.amax(dim=(1, 2)) - _back.amin(dim=(1, 2))).min() > 0.6, 'train_tf가 주어진 mean, std로 정규화하지 않은 것 같습니다'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
