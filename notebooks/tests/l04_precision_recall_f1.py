OK_FORMAT = True

test = {   'name': 'l04_precision_recall_f1',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': '>>> _r = precision_recall_f1(3, 1, 5)\n'
                                               ">>> assert isinstance(_r, (tuple, list)) and len(_r) == 3, f'(정밀도, 재현율, F1) 세 값을 튜플로 돌려주세요 (받은 값: {_r!r}).'\n"
                                               '>>> _p, _rc, _f = _r\n'
                                               ">>> assert all((isinstance(_v, float) for _v in _r)), f'세 값 모두 파이썬 float여야 합니다 (받은 타입: {[type(_v).__name__ for _v in _r]}).'\n"
                                               ">>> assert abs(_p - 0.75) < 1e-09, f'정밀도가 다릅니다: {_p}. TP / (TP + FP)인가요?'\n"
                                               ">>> assert abs(_rc - 0.375) < 1e-09, f'재현율이 다릅니다: {_rc}. TP / (TP + FN)인가요?'\n"
                                               ">>> assert abs(_f - 0.5) < 1e-09, f'F1이 다릅니다: {_f}. 산술 평균이 아니라 조화 평균 2PR / (P + R)입니다 (8절).'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> _r = precision_recall_f1(0, 0, 10)\n'
                                               ">>> assert isinstance(_r, (tuple, list)) and len(_r) == 3, '(정밀도, 재현율, F1) 세 값을 튜플로 돌려주세요.'\n"
                                               ">>> assert all((isinstance(_v, float) and _v == 0.0 for _v in _r)), f'양성 예측이 하나도 없으면(TP + FP = 0) 정밀도는 0.0, 그러면 F1도 0.0이어야 합니다 (받은 값: {_r!r}).'\n"
                                               '>>> _r = precision_recall_f1(0, 5, 0)\n'
                                               ">>> assert isinstance(_r, (tuple, list)) and len(_r) == 3 and all((isinstance(_v, float) and _v == 0.0 for _v in _r)), f'실제 양성이 없으면(TP + FN = 0) 재현율도 "
                                               "0.0입니다. (0, 5, 0)의 답은 (0.0, 0.0, 0.0)인데 {_r!r}를 받았습니다.'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> import numpy as np\n'
                                               '>>> _r = precision_recall_f1(np.int64(3), np.int64(1), np.int64(5))\n'
                                               ">>> assert isinstance(_r, (tuple, list)) and len(_r) == 3, '(정밀도, 재현율, F1) 세 값을 튜플로 돌려주세요.'\n"
                                               ">>> assert all((type(_v) is float for _v in _r)), f'numpy 정수(혼동 행렬의 칸)를 받아도 세 값 모두 파이썬 float여야 합니다 (받은 타입: {[type(_v).__name__ for _v in _r]}). "
                                               "float(...)로 바꾸세요.'\n"
                                               ">>> assert abs(_r[0] - 0.75) < 1e-09 and abs(_r[1] - 0.375) < 1e-09 and (abs(_r[2] - 0.5) < 1e-09), f'numpy 정수 입력에서 값이 다릅니다: {_r!r}'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
