OK_FORMAT = True

test = {   'name': 'l04_confusion_matrix',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': '>>> import numpy as np\n'
                                               '>>> import torch\n'
                                               '>>> _cm = confusion_matrix(torch.tensor([0, 1, 2, 2, 1]), torch.tensor([0, 2, 2, 2, 1]), 3)\n'
                                               ">>> assert isinstance(_cm, (torch.Tensor, np.ndarray)), f'텐서(또는 numpy 배열)를 돌려주세요 (받은 값: {type(_cm).__name__}). 함수가 값을 return 하나요?'\n"
                                               '>>> _cm = torch.as_tensor(_cm)\n'
                                               ">>> assert tuple(_cm.shape) == (3, 3), f'모양이 (num_classes, num_classes) = (3, 3)이어야 하는데 {tuple(_cm.shape)}입니다.'\n"
                                               ">>> assert not _cm.is_floating_point() and _cm.dtype != torch.bool, f'개수이므로 정수 자료형이어야 합니다 (받은 dtype: {_cm.dtype}).'\n"
                                               ">>> assert _cm.tolist() == [[1, 0, 0], [0, 1, 1], [0, 0, 2]], f'값이 다릅니다: {_cm.tolist()}. 행이 정답, 열이 예측인지 확인하세요 (정답 1을 2로 예측한 1장은 cm[1, 2]).'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import numpy as np\n'
                                               '>>> import torch\n'
                                               '>>> _cm = confusion_matrix(torch.tensor([1, 1, 0]), torch.tensor([1, 0, 0]), 4)\n'
                                               ">>> assert isinstance(_cm, (torch.Tensor, np.ndarray)), f'텐서(또는 numpy 배열)를 돌려주세요 (받은 값: {type(_cm).__name__}).'\n"
                                               '>>> _cm = torch.as_tensor(_cm)\n'
                                               ">>> assert tuple(_cm.shape) == (4, 4), f'클래스 2와 3은 한 번도 나오지 않지만 num_classes=4이므로 모양이 (4, 4)여야 합니다: {tuple(_cm.shape)} 받음. 레이블의 최댓값이 아니라 num_classes로 "
                                               "크기를 정하세요.'\n"
                                               ">>> assert _cm.tolist() == [[1, 0, 0, 0], [1, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], f'값이 다릅니다: {_cm.tolist()}. 나오지 않는 클래스의 행과 열은 모두 0입니다.'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
