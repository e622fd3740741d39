OK_FORMAT = True

test = {   'name': 'l03_predict',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': '>>> import torch\n'
                                               '>>> from torch import nn\n'
                                               '>>> _ = torch.manual_seed(0)\n'
                                               '>>> _m = nn.Sequential(nn.Flatten(), nn.Linear(12, 32), nn.ReLU(), nn.Dropout(0.5), nn.Linear(32, 4))\n'
                                               '>>> _x = torch.randn(64, 3, 2, 2)\n'
                                               '>>> _ = _m.eval()\n'
                                               '>>> with torch.no_grad():\n'
                                               '...     _expected = _m(_x).argmax(dim=1)\n'
                                               '>>> _ = _m.train()\n'
                                               '>>> _labels = l03_predict(_m, _x)\n'
                                               ">>> assert type(_labels) is torch.Tensor, f'클래스 번호 텐서를 돌려주세요 (받은 타입: {type(_labels).__name__})'\n"
                                               ">>> assert _labels.shape == (64,) and _labels.dtype == torch.int64, f'모양 (64,), dtype int64여야 합니다: argmax(dim=1)을 쓰세요 (받은 값: {tuple(_labels.shape)}, "
                                               "{_labels.dtype})'\n"
                                               ">>> assert torch.equal(_labels, _expected), '예측이 평가 모드의 결과와 다릅니다: model.eval()로 드롭아웃을 껐나요?'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import torch\n'
                                               '>>> from torch import nn\n'
                                               '>>> class _GradSpy(nn.Module):\n'
                                               '...     def __init__(self):\n'
                                               '...         super().__init__()\n'
                                               '...         self.fc = nn.Linear(4, 3)\n'
                                               '...         self.grad_enabled = []\n'
                                               '...     def forward(self, x):\n'
                                               '...         self.grad_enabled.append(torch.is_grad_enabled())\n'
                                               '...         return self.fc(x.flatten(1))\n'
                                               '>>> _spy = _GradSpy()\n'
                                               '>>> _labels = l03_predict(_spy, torch.randn(5, 1, 2, 2))\n'
                                               ">>> assert type(_labels) is torch.Tensor and _labels.shape == (5,), '클래스 번호 텐서 [N]을 돌려주세요'\n"
                                               ">>> assert _spy.grad_enabled, 'model(images)를 호출하세요'\n"
                                               ">>> assert not any(_spy.grad_enabled), '기울기를 기록하고 있습니다: torch.no_grad() 또는 torch.inference_mode() 안에서 model(images)를 계산하세요'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
