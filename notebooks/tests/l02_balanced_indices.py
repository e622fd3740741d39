OK_FORMAT = True

test = {   'name': 'l02_balanced_indices',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': '>>> import torch\n'
                                               '>>> _labels = torch.tensor([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 0, 0, 2, 1])\n'
                                               '>>> _idx = balanced_indices(_labels, 3, seed=0)\n'
                                               ">>> assert isinstance(_idx, torch.Tensor), '인덱스를 텐서로 돌려주세요 (torch.cat 또는 torch.tensor)'\n"
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
                                               ">>> assert sorted(_a.tolist()) == sorted(_b.tolist()), '같은 seed에서는 같은 인덱스가 나와야 합니다: torch.Generator().manual_seed(seed)를 쓰세요'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
