"""Counts a JUnit report of cos-python-sdk-v5's ut/test.py by area: each bucket or object feature of issue 19
on its own line, the other COS tests together, and the tests of Tencent services beside COS (CI 数据万象,
AI, MetaInsight, vector buckets), which coslocal does not serve."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from junit_counts import count  # noqa: E402 (conformance/, beside this folder)

# Issue 19's features, by a word of the test's name; the first that matches counts.
FEATURES = ('tagging', 'lifecycle', 'website', 'domain', 'origin', 'logging', 'inventory', 'accelerate',
            'encryption', 'replication', 'referer', 'restore', 'append')
OTHER_SERVICES = ('_ci_', 'cos_ai_', '_ai_', 'meta_insight', 'vectors', 'qrcode', 'media', 'snapshot',
                  'pm3u8', 'live_', 'asr', 'pic_process', 'process_on_cloud', 'goods_matting', 'image_search', 'search_image',
                  'aigc', 'hls', 'action_sequence', 'liveness', 'auto_translation', 'image_repair',
                  'sensitive_content', 'async_fetch', 'rtmp')


def area(case):
    name = case.get('name', '')
    if any(word in name for word in OTHER_SERVICES):
        return 'other services'
    for feature in FEATURES:
        if feature in name:
            return feature
    return 'other COS'


def main(report, failures_out):
    counts, failed = count(report, area)
    for key in FEATURES + ('other COS', 'other services'):
        if key in counts:
            print('{:4} of {:4} passed  {}'.format(counts[key][1], counts[key][0], key))
    print('{:4} of {:4} passed  total'.format(sum(o for _, o in counts.values()), sum(r for r, _ in counts.values())))
    with open(failures_out, 'w') as out:
        out.write(''.join(line + '\n' for line in failed))


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
