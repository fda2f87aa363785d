"""desk.reports.base: what every sheet's layout shares."""

from __future__ import annotations

from xml.sax.saxutils import escape

from hypothesis import given
from hypothesis import strategies as st

from desk.reports.base import esc


@given(st.text())
def test_esc_escapes_as_saxutils_does_and_keeps_line_breaks(text):
    assert esc(text) == escape(text).replace("\n", "<br/>")


def test_esc_of_nothing_is_empty_and_markup_stays_text():
    assert esc(None) == ""
    assert esc("A&B <b>太字</b>\n次") == "A&amp;B &lt;b&gt;太字&lt;/b&gt;<br/>次"
