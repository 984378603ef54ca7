"""`chipclass check --format junit`: JUnit XML for test-report viewers.

A testsuite per edition, a testcase per part (classname = vendor, name = chip
id), a `failure` for each failing part; input errors go in a suite of their
own, as `error` elements. Built with xml.etree.ElementTree, which escapes
markup; characters XML 1.0 cannot carry at all are replaced.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from chipclass.numbers import show
from chipclass.policy import Check, CheckRun
from chipclass.report.check_text import policy_line
from chipclass.report.where import destination_text
from chipclass.words import short_change

_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
INPUT_SUITE = "chipclass input errors"


def xml_text(text: str) -> str:
    """Text XML 1.0 can carry: control characters and lone surrogates become U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def _element(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    child = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        child.text = xml_text(text)
    return child


def _testcase(suite: ET.Element, check: Check) -> None:
    spec = check.spec
    case = _element(
        suite,
        "testcase",
        classname=spec.vendor or spec.path,
        name=spec.id,
        time="0",
    )
    # junit-4.xsd allows no file or line attribute on a testcase (and no properties in
    # one): the place is in the failure's message and text
    if check.passed:
        return
    details = [
        f"{spec.name} ({spec.id}), {spec.path}:{check.line}",
        f"edition {check.edition}: {check.label} (allowed: {check.allowed or 'any label'})",
        f"nearest stricter: {short_change(check.verdict.nearest_stricter)}",
        "",
        *(f"- [{r.rule}] {r.message}" for r in check.reasons),
    ]
    _element(
        case,
        "failure",
        "\n".join(details),
        message=f"{spec.path}:{check.line}: " + "; ".join(r.message for r in check.reasons),
        type=check.reasons[0].rule,
    )


def junit_tree(run: CheckRun) -> ET.Element:
    root = ET.Element("testsuites", {"name": "chipclass check"})
    total = failures = 0
    for edition in run.editions:
        checks = [c for c in run.checks if c.edition == edition.id]
        failed = sum(1 for c in checks if not c.passed)
        suite = _element(
            root,
            "testsuite",
            name=edition.id,
            tests=str(len(checks)),
            failures=str(failed),
            errors="0",
            skipped="0",
            time="0",
        )
        properties = _element(suite, "properties")
        _element(properties, "property", name="policy", value=policy_line(run.policy, run.config))
        _element(properties, "property", name="citation", value=edition.citation)
        _element(
            properties,
            "property",
            name="destination",
            value=destination_text(run.policy.editions),
        )
        margin = run.policy.min_margin_pct
        _element(
            properties,
            "property",
            name="min-margin",
            value="none" if margin is None else show(margin),
        )
        for check in checks:
            _testcase(suite, check)
        total += len(checks)
        failures += failed
    errors = len(run.problems)
    if errors:
        suite = _element(
            root,
            "testsuite",
            name=INPUT_SUITE,
            tests=str(errors),
            failures="0",
            errors=str(errors),
            skipped="0",
            time="0",
        )
        for problem in run.problems:
            message = f"{problem.key}: {problem.message}" if problem.key else problem.message
            case = _element(
                suite, "testcase", classname=problem.file, name=problem.key or "sheet", time="0"
            )
            where = f"{problem.file}:{problem.line}: " if problem.line else f"{problem.file}: "
            _element(case, "error", str(problem), message=where + message, type="input")
    root.set("tests", str(total + errors))
    root.set("failures", str(failures))
    root.set("errors", str(errors))
    return root


def junit(run: CheckRun) -> str:
    root = junit_tree(run)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
