from __future__ import annotations

import html

from hypothesis import given
from hypothesis import strategies as st

from desk import textfmt


@given(st.text())
def test_escape_html_is_html_escape(text):
    assert textfmt.escape_html(text) == html.escape(text)


def test_escape_html_keeps_japanese_and_escapes_markup():
    assert textfmt.escape_html("横須賀商工会議所 <b>&") == "横須賀商工会議所 &lt;b&gt;&amp;"
