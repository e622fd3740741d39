OK_FORMAT = True

test = {   'name': 'l02_balanced_indices',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': '>>> import torch\n'
                                               '>>> _labels = torch.tensor([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 0, 0, 2, 1])\n'
                                               '>>> _idx = balanced_indices(_labels, 3, seed=0)\n'
                                               ">>> assert type(_idx) is torch.Tensor, '인덱스를 텐서로 돌려주세요 (torch.cat 또는 torch.tensor)'\n"
                                               ">>> assert _idx.dtype == torch.int64 and _idx.dim() == 1, f'1차원 int64 텐서여야 합니다 (받은 dtype {_idx.dtype}, 모양 {tuple(_idx.shape)})'\n"
                                               ">>> assert len(_idx) == 9, f'클래스 3개 × 3개 = 9개여야 합니다: {len(_idx)}개 받음'\n"
                                               ">>> assert len(set(_idx.tolist())) == 9, '같은 인덱스가 두 번 나왔습니다'\n"
                                               ">>> assert torch.bincount(_labels[_idx]).tolist() == [3, 3, 3], f'클래스마다 3개씩이어야 합니다: {torch.bincount(_labels[_idx]).tolist()}'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import torch\n'
                                               '>>> _labels = torch.arange(200) % 4\n'
                                               '>>> _a = balanced_indices(_labels, 5, seed=1)\n'
                                               '>>> _b = balanced_indices(_labels, 5, seed=1)\n'
                                               ">>> assert type(_a) is torch.Tensor and type(_b) is torch.Tensor, '인덱스를 텐서로 돌려주세요'\n"
                                               ">>> assert sorted(_a.tolist()) == sorted(_b.tolist()), '같은 seed에서는 같은 인덱스가 나와야 합니다: torch.Generator().manual_seed(seed)를 쓰세요'\n"
                                               '>>> _picks = {tuple(sorted(balanced_indices(_labels, 5, seed=_s).tolist())) for _s in range(3)}\n'
                                               ">>> assert len(_picks) == 3, 'seed가 다르면 다른 표본이 나와야 합니다: 클래스 안에서 무작위로(randperm) 고르세요'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import torch\n'
                                               '>>> _labels = torch.tensor([3, 7, 9, 3, 7, 9, 3, 9, 9, 3])\n'
                                               '>>> _idx = balanced_indices(_labels, 2, seed=0)\n'
                                               ">>> assert type(_idx) is torch.Tensor and _idx.dtype == torch.int64, 'int64 텐서를 돌려주세요'\n"
                                               ">>> assert sorted(_labels[_idx].tolist()) == [3, 3, 7, 7, 9, 9], f'클래스 번호가 3, 7, 9처럼 연속이 아니어도 클래스마다 2개씩이어야 합니다: {sorted(_labels[_idx].tolist())}'\n"
                                               '>>> try:\n'
                                               '...     balanced_indices(_labels, 3, seed=0)\n'
                                               '... except ValueError:\n'
                                               '...     pass\n'
                                               '... else:\n'
                                               "...     raise AssertionError('클래스 7의 이미지가 2개뿐인데 3개를 요청했습니다: ValueError를 내세요')\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
