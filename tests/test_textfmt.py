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


def test_yen_reads_as_people_write_amounts_negative_ones_too():
    from desk.textfmt import yen

    assert [yen(v) for v in (80_000_000, 160_000_000, 5_000_000, 12_345, 0, None)] == \
        ["8,000万円", "1億6,000万円", "500万円", "12,345円", "0円", "—"]
    assert yen(-5_000_000) == "-500万円"   # was 「-1億9,500万円」 (floor division)
    assert yen(-12_345) == "-12,345円"


def test_a_contacts_distance_reads_as_roughly_and_never_as_zero():
    assert [textfmt.distance(km) for km in (None, 0.0, 0.9, 1.0, 3.44, 9.96, 12.3)] == [
        "", "1km以内", "1km以内", "約1.0km", "約3.4km", "約10km", "約12km"]
