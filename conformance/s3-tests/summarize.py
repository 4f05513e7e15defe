"""Counts an s3-tests JUnit report by subset: auth, policy, acl, core (the first that matches)."""
import sys
import xml.etree.ElementTree as ET


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
    counts = {}
    failed = []
    for case in ET.parse(report).getroot().iter('testcase'):
        if case.find('skipped') is not None:
            continue
        passed = case.find('failure') is None and case.find('error') is None
        key = subset(case)
        ran, ok = counts.get(key, (0, 0))
        counts[key] = (ran + 1, ok + passed)
        if not passed:
            problem = case.find('failure') if case.find('failure') is not None else case.find('error')
            failed.append('{}\t{}\t{}'.format(key, case.get('name'), (problem.get('message') or '').splitlines()[0][:200] if problem.get('message') else ''))
    total_ran = sum(r for r, _ in counts.values())
    total_ok = sum(o for _, o in counts.values())
    for key in ('acl', 'policy', 'auth', 'core'):
        ran, ok = counts.get(key, (0, 0))
        print('{:7} {:4} of {:4} passed'.format(key, ok, ran))
    print('{:7} {:4} of {:4} passed'.format('total', total_ok, total_ran))
    with open(failures_out, 'w') as out:
        out.write('\n'.join(sorted(failed)) + '\n')


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
