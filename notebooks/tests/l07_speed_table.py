OK_FORMAT = True

test = {   'name': 'l07_speed_table',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': '>>> _r = speed_table([2.0, 0.5, 0.5], [8, 8, 8], 1)\n'
                                               ">>> assert isinstance(_r, tuple) and len(_r) == 2, '(images_per_s, ms_per_image) 튜플을 돌려주세요.'\n"
                                               ">>> assert abs(_r[0] - 16.0) < 1e-09, f'워밍업 배치(2초)를 빼면 16장 / 1초 = 16 이미지/초입니다. 받은 값: {_r[0]}'\n"
                                               ">>> assert abs(_r[1] - 62.5) < 1e-09, 'ms_per_image = 1000 / images_per_s 입니다.'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> try:\n'
                                               '...     speed_table([0.3, 0.3], [4, 4], 2)\n'
                                               '... except ValueError:\n'
                                               '...     pass\n'
                                               '... else:\n'
                                               "...     raise AssertionError('워밍업을 빼면 남는 배치가 없을 때 ValueError를 일으켜야 합니다.')\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
