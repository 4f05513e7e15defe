"""Reads a JUnit report (pytest --junitxml) for the conformance runners' summaries."""
import xml.etree.ElementTree as ET


def count(report, area_of):
    """{area: (ran, passed)} over the test cases that ran (skipped ones left out), and one line per
    failure or error, `area<TAB>test<TAB>first line of its message`, sorted; area_of(case) names a case's area."""
    counts = {}
    failed = []
    for case in ET.parse(report).getroot().iter('testcase'):
        if case.find('skipped') is not None:
            continue
        problem = case.find('failure') if case.find('failure') is not None else case.find('error')
        key = area_of(case)
        ran, ok = counts.get(key, (0, 0))
        counts[key] = (ran + 1, ok + (problem is None))
        if problem is not None:
            message = (problem.get('message') or '').splitlines()
            failed.append('{}\t{}\t{}'.format(key, case.get('name'), message[0][:200] if message else ''))
    return counts, sorted(failed)
