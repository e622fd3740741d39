OK_FORMAT = True

test = {   'name': 'l01_top_k',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': '>>> import torch\n'
                                               ">>> _r = top_k(torch.tensor([0.1, 0.7, 0.2]), 2, ['고양이', '강아지', '새'])\n"
                                               ">>> assert type(_r) is list and len(_r) == 2, '길이 k인 리스트를 돌려주세요'\n"
                                               ">>> assert all((type(_t) is tuple and len(_t) == 2 for _t in _r)), '리스트의 원소는 (클래스 이름, 확률) 튜플이어야 합니다'\n"
                                               ">>> assert [name for name, _ in _r] == ['강아지', '새'], f'확률이 큰 순서여야 합니다: {_r}'\n"
                                               ">>> assert abs(_r[0][1] - 0.7) < 1e-06 and type(_r[0][1]) is float, '확률은 파이썬 float로 돌려주세요 (float(...) 또는 .item())'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
