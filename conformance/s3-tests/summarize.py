"""Counts an s3-tests JUnit report by subset: auth, policy, acl, core (the first that matches)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from junit_counts import count  # noqa: E402 (conformance/, beside this folder)


def subset(case):
    name = case.get('name', '')
    module = case.get('classname', '')
    if module.endswith('test_headers') or any(w in name for w in ('_sign', 'presigned', 'auth', 'expires')):
        return 'auth'
    if 'policy' in name:
        return 'policy'
    if 'acl' in name or 'grant' in name:
        return 'acl'
    return 'core'


def main(report, failures_out):
    counts, failed = count(report, subset)
    total_ran = sum(r for r, _ in counts.values())
    total_ok = sum(o for _, o in counts.values())
    for key in ('acl', 'policy', 'auth', 'core'):
        ran, ok = counts.get(key, (0, 0))
        print('{:7} {:4} of {:4} passed'.format(key, ok, ran))
    print('{:7} {:4} of {:4} passed'.format('total', total_ok, total_ran))
    with open(failures_out, 'w') as out:
        out.write('\n'.join(failed) + '\n')


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
