"""Figures of the fault and security tests, shown in the test output even when
pytest captures it (CI runs without ``-s``)."""

from __future__ import annotations


def report(request, text: str) -> None:
    text = text.strip()
    capture = request.config.pluginmanager.getplugin("capturemanager")
    reporter = request.config.pluginmanager.getplugin("terminalreporter")
    if capture is None or reporter is None:
        print(text)
        return
    with capture.global_and_fixture_disabled():
        reporter.write("\n")
        reporter.write_line(text)
