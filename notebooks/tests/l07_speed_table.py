OK_FORMAT = True

test = {   'name': 'l07_speed_table',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': '>>> _r = speed_table([2.0, 0.5, 0.5], [8, 8, 8], 1)\n'
                                               ">>> assert type(_r) is tuple and len(_r) == 2, '(images_per_s, ms_per_image) 튜플을 돌려주세요.'\n"
                                               ">>> assert abs(_r[0] - 16.0) < 1e-09, f'워밍업 배치(2초)를 빼면 16장 / 1초 = 16 이미지/초입니다. 받은 값: {_r[0]}'\n"
                                               ">>> assert abs(_r[1] - 62.5) < 1e-09, 'ms_per_image = 1000 / images_per_s 입니다.'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> try:\n'
                                               '...     speed_table([0.3, 0.3], [4, 4], 2)\n'
                                               '... except ValueError:\n'
                                               '...     pass\n'
                                               '... else:\n'
                                               "...     raise AssertionError('워밍업을 빼면 남는 배치가 없을 때 ValueError를 일으켜야 합니다.')\n"
                                               '>>> try:\n'
                                               '...     speed_table([0.3, 0.3], [4], 0)\n'
                                               '... except ValueError:\n'
                                               '...     pass\n'
                                               '... else:\n'
                                               "...     raise AssertionError('batch_seconds와 images_per_batch의 길이가 다르면 ValueError를 일으켜야 합니다.')\n"
                                               '>>> _r = speed_table([1.0, 2.0], [3, 1], 0)\n'
                                               ">>> assert type(_r[0]) is float and type(_r[1]) is float, 'images_per_s와 ms_per_image는 파이썬 float여야 합니다 (float(...)로 바꾸세요).'\n"
                                               ">>> assert abs(_r[0] - 4 / 3) < 1e-09, '이미지 수 합 / 시간 합입니다 (배치마다 이미지 수가 다를 수 있습니다).'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
