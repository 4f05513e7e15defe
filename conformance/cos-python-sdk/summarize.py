"""Counts a JUnit report of cos-python-sdk-v5's ut/test.py by area: each bucket or object feature of issue 19
on its own line, the other COS tests together, and the tests of Tencent services beside COS (CI 数据万象,
AI, MetaInsight, vector buckets), which coslocal does not serve."""
import sys
import xml.etree.ElementTree as ET

# Issue 19's features, by a word of the test's name; the first that matches counts.
FEATURES = ('tagging', 'lifecycle', 'website', 'domain', 'origin', 'logging', 'inventory', 'accelerate',
            'encryption', 'replication', 'referer', 'restore', 'append')
OTHER_SERVICES = ('_ci_', 'cos_ai_', '_ai_', 'meta_insight', 'vectors', 'qrcode', 'media', 'snapshot',
                  'pm3u8', 'live_', 'asr', 'pic_process', 'process_on_cloud', 'goods_matting', 'image_search',
                  'aigc', 'hls', 'action_sequence', 'liveness', 'auto_translation', 'image_repair',
                  'sensitive_content', 'async_fetch', 'rtmp')


def area(name):
    if any(word in name for word in OTHER_SERVICES):
        return 'other services'
    for feature in FEATURES:
        if feature in name:
            return feature
    return 'other COS'


def main(report, failures_out):
    counts = {}
    failed = []
    for case in ET.parse(report).getroot().iter('testcase'):
        if case.find('skipped') is not None:
            continue
        problem = case.find('failure') if case.find('failure') is not None else case.find('error')
        key = area(case.get('name', ''))
        ran, ok = counts.get(key, (0, 0))
        counts[key] = (ran + 1, ok + (problem is None))
        if problem is not None:
            message = (problem.get('message') or '').splitlines()
            failed.append('{}\t{}\t{}'.format(key, case.get('name'), message[0][:200] if message else ''))
    for key in FEATURES + ('other COS', 'other services'):
        if key in counts:
            print('{:4} of {:4} passed  {}'.format(counts[key][1], counts[key][0], key))
    print('{:4} of {:4} passed  total'.format(sum(o for _, o in counts.values()), sum(r for r, _ in counts.values())))
    with open(failures_out, 'w') as out:
        out.write(''.join(line + '\n' for line in sorted(failed)))


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
