"""The overview leaflet: one page, the Nissan-related and sales-decline funds in force."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
from sqlalchemy.orm import Session

from desk import cli
from desk.db.loaders import load_catalogue
from desk.sheets.leaflet import build_leaflet


def test_the_leaflet_picks_its_funds_from_their_conditions(catalogue_engine):
    with Session(catalogue_engine) as session:
        catalogue = load_catalogue(session)
    names = [r.name for r in build_leaflet(catalogue, on=dt.date(2026, 11, 22), windows=[]).rows]
    assert "日産自動車関連対策特別融資" in names and "売上・利益減少対策融資" in names
    assert "原油・原材料高騰等対策特別融資" in names and "景気対策特別資金" in names
    assert not any("災害" in n for n in names)          # disaster funds have their own grounds
    assert not any("創業" in n for n in names)
    before = [r.name for r in build_leaflet(catalogue, on=dt.date(2026, 3, 1), windows=[]).rows]
    assert "日産自動車関連対策特別融資" not in before      # FY2026 not yet in force


def test_desk_handout_is_one_page_with_the_windows(capsys, tmp_path, _catalogue_file):
    db = tmp_path / "h.sqlite3"
    db.write_bytes(_catalogue_file.read_bytes())
    out = tmp_path / "leaflet.pdf"
    assert cli.main(["--db", str(db), "handout", "--date", "2026-11-22", "-o", str(out)]) == 0
    reader = pypdf.PdfReader(io.BytesIO(out.read_bytes()))
    assert len(reader.pages) == 1
    text = "".join(reader.pages[0].extract_text().split())
    assert "045-210-5695" in text and "046-822-3821" in text and "日産自動車関連対策特別融資" in text


def test_a_term_that_differs_by_use_is_given_for_each_use(catalogue_engine):
    """「最長15年」 alone read as fifteen years for working capital too."""
    with Session(catalogue_engine) as session:
        catalogue = load_catalogue(session)
    terms = {r.name: r.term for r in build_leaflet(catalogue, on=dt.date(2026, 11, 22), windows=[]).rows}
    assert terms["日産自動車関連対策特別融資"].splitlines() == ["運転10年", "設備15年", "借換10年"]
    assert terms["景気対策特別資金"] == "7年"      # one term for every use: said once
