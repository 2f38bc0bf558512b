"""Checks of the run's reports with third-party readers (run by .ci/validate-reports).

    check_reports.py sarif-log LOG...   the logs of `sarif-multitool validate -o LOG`:
                                        prints every finding, fails on an error-level one
    check_reports.py junit FILE         junit.xml read by junitparser: counts agree with the
                                        test cases, no name carries a position, every
                                        failure has a body
"""

import json
import re
import sys


def sarif_log(paths):
    errors = 0
    for path in paths:
        with open(path, encoding="utf-8") as file:
            log = json.load(file)
        for run in log["runs"]:
            rules = run.get("tool", {}).get("driver", {}).get("rules", [])
            for invocation in run.get("invocations", []):
                if not invocation.get("executionSuccessful", False):
                    print(f"{path}: the validator did not run to completion")
                    errors += 1
                for note in invocation.get("toolExecutionNotifications", []):
                    print(f"{path}: validator notification: {note.get('message', {}).get('text')}")
                    if note.get("level") == "error":
                        errors += 1
            for result in run.get("results", []):
                level = result.get("level")
                if level is None:
                    index = result.get("ruleIndex")
                    rule = rules[index] if isinstance(index, int) and index < len(rules) else {}
                    level = rule.get("defaultConfiguration", {}).get("level", "warning")
                message = result.get("message", {})
                text = message.get("text") or " ".join(message.get("arguments", []))
                print(f"{path}: {level} {result.get('ruleId')}: {text}")
                if level == "error":
                    errors += 1
    print(f"{len(paths)} validator logs read, {errors} error(s)")
    return 1 if errors else 0


def junit(path):
    from junitparser import Error, Failure, JUnitXml

    xml = JUnitXml.fromfile(path)
    problems = []
    position = re.compile(r":\d+")
    cases = 0
    failing = 0
    for suite in xml:
        suite_cases = list(suite)
        cases += len(suite_cases)
        if suite.tests != len(suite_cases):
            problems.append(f"suite {suite.name}: tests={suite.tests} but {len(suite_cases)} test cases")
        suite_failures = 0
        for case in suite_cases:
            if position.search(case.name or "") or position.search(case.classname or ""):
                problems.append(f"test case {case.classname} {case.name} names a position")
            results = [r for r in case.result if isinstance(r, (Failure, Error))]
            if results:
                suite_failures += 1
                for result in results:
                    if not (result.text or "").strip() or not result.message:
                        problems.append(f"test case {case.classname} {case.name}: a failure without a message or body")
        failing += suite_failures
        if suite.failures != suite_failures:
            problems.append(f"suite {suite.name}: failures={suite.failures} but {suite_failures} failing test cases")
    if xml.tests != cases or xml.failures != failing:
        problems.append(f"testsuites: tests={xml.tests} failures={xml.failures}, counted {cases} and {failing}")
    for problem in problems:
        print(f"{path}: {problem}")
    print(f"{path}: {cases} test cases, {failing} failing, {len(problems)} problem(s)")
    return 1 if problems else 0


def main(argv):
    if len(argv) >= 3 and argv[1] == "sarif-log":
        return sarif_log(argv[2:])
    if len(argv) == 3 and argv[1] == "junit":
        return junit(argv[2])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
