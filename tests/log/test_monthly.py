"""The monthly report, on SQLite and PostgreSQL: its figures are `desk log stats`'s, no visitor's or
business's name or phone reaches its PDF or its CSV, and its pages render."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import subprocess

import pytest

from desk.cli import main
from desk.db import setup
from desk.db.store import Store
from desk.log import monthly
from tests import synthetic_log
from tests.synthetic_log import made

MONTH = "2022-05"


def RECORDS() -> list[dict]:  # noqa: N802 - a constant, made afresh for each test
    """Three months of records (April to June 2022), the same each time."""
    return made(300) + made(250, seed=9, shift=dt.timedelta(days=33)) + made(200, seed=10, shift=dt.timedelta(days=64))


@pytest.fixture
def log_url(log_engine):
    """A ready database holding months of synthetic records, some followed up; its URL."""
    setup.ensure_ready(log_engine)
    rows = RECORDS()
    synthetic_log.fill_engine(log_engine, rows)
    log = Store.for_engine(log_engine).log
    for n, row in enumerate(rows[::7]):
        log.set_follow_up(row["reference_no"], status=("applied", "executed", "declined", "undecided")[n % 4],
                          day=dt.date(2022, 12, 1))   # after every record
    return log_engine.url.render_as_string(hide_password=False)


def cli(capsys, url, *argv):
    code = main(["--db", url, "log", *argv])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_the_reports_figures_are_desk_log_stats(log_url, capsys, tmp_path):
    report = monthly.build(Store.open(log_url).log, MONTH, today=dt.date(2022, 7, 1))
    assert report.consultations > 100 and report.businesses < report.consultations
    period = ("--since", "2022-05-01", "--until", "2022-05-31")
    for section in report.sections:
        stats = json.loads(cli(capsys, log_url, "stats", "--by", section.dimension, *period, "--json"))["groups"]
        assert [(g.key, g.label, g.consultations, g.businesses) for g in section.groups] == [
            (s["key"], s["label"], s["consultations"], s["businesses"]) for s in stats], section.dimension
    months = json.loads(cli(capsys, log_url, "stats", "--by", "month", "--since", "2021-06-01", *period[2:],
                            "--json"))["groups"]
    assert {g.key: (g.consultations, g.businesses) for g in report.trend if g.consultations} == {
        s["key"]: (s["consultations"], s["businesses"]) for s in months}
    assert [g.key for g in report.trend] == [f"{y}-{m:02d}" for y, m in [(2021, n) for n in range(6, 13)]
                                             + [(2022, n) for n in range(1, 6)]]
    assert report.previous is not None and report.previous.key == "2022-04"
    # The CSV holds the same figures.
    pdf, table = tmp_path / "r.pdf", tmp_path / "r.csv"
    cli(capsys, log_url, "report", "--month", MONTH, "-o", str(pdf), "--csv", str(table))
    rows = list(csv.reader(io.StringIO(table.read_bytes().decode("utf-8-sig"), newline="")))
    assert rows[0] == ["区分", "項目", "相談件数", "相談事業者数"]
    assert rows[1][2:] == [str(report.consultations), str(report.businesses)]
    for section in report.sections:
        assert [r[1:] for r in rows if r[0] == section.title] == [
            [g.label, str(g.consultations), str(g.businesses)] for g in section.groups]


def pdf_text(path) -> str:
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True)
    return "".join(done.stdout.split())


@pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None, reason="poppler-utils")
def test_no_personal_field_reaches_the_report_and_its_pages_render(log_url, capsys, tmp_path):
    pdf, table = tmp_path / "r.pdf", tmp_path / "r.csv"
    out = cli(capsys, log_url, "report", "--month", MONTH, "-o", str(pdf), "--csv", str(table))
    assert "2022年5月 相談実績報告" in out
    text, sheet = pdf_text(pdf), "".join(table.read_bytes().decode("utf-8-sig").split())
    report = monthly.build(Store.open(log_url).log, MONTH)
    assert "2022年5月相談実績報告" in text and f"{report.consultations:,}" in text   # the text is read
    shown_window = report.sections[3].groups[0].label
    assert "".join(shown_window.split()) in text and shown_window.replace(" ", "") in sheet
    names = set()
    for record in RECORDS():
        names |= {"".join((record[key] or "").split()) for key in ("business_name", "visitor_name", "visitor_phone")}
    names.discard("")
    assert len(names) > 300
    assert not [name for name in names if name in text or name in sheet]
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True)
    assert 1 <= len(list(tmp_path.glob("page-*.png"))) <= 2


def test_a_month_without_consultations_still_makes_a_report(log_engine, tmp_path):
    from desk.reports.monthly import MonthlyReportRenderer

    report = monthly.build(Store.for_engine(log_engine).log, "2030-01")
    assert report.consultations == 0 and all(g.consultations == 0 for s in report.sections for g in s.groups)
    assert MonthlyReportRenderer(report).render().startswith(b"%PDF")


def test_change_against_the_month_before_in_words():
    assert monthly.change(110, 100) == "+10件（+10.0%）"
    assert monthly.change(90, 100) == "−10件（−10.0%）"
    assert monthly.change(5, 0) == "+5件（前月 0件）" and monthly.change(3, 3) == "±0件"


@pytest.mark.parametrize("argv, said", [
    (("--month", "2026-13", "-o", "r.pdf"), "--month は YYYY-MM"),
    (("--month", "202611", "-o", "r.pdf"), "--month は YYYY-MM"),
    (("--month", "2026-11", "-o", "r.txt"), "PDF のファイル名"),
])
def test_bad_input_is_one_japanese_line_and_exit_2(tmp_path, capsys, monkeypatch, argv, said):
    monkeypatch.chdir(tmp_path)
    code = main(["--db", str(tmp_path / "never.sqlite3"), "log", "report", *argv])
    out, err = capsys.readouterr()
    assert code == 2 and said in err and err.count("\n") == 1 and out == ""
    assert not (tmp_path / "never.sqlite3").exists()


def test_the_municipality_breakdown_counts_municipalities_not_towns_or_streets(log_engine, capsys, tmp_path):
    """A record keeps its place's label, its town from the postal code (神奈川県横須賀市本町), or an
    address another device stored: the report and `desk log stats` count its municipality."""
    setup.ensure_ready(log_engine)
    places = ["神奈川県横須賀市本町", "神奈川県横須賀市大滝町", "神奈川県横須賀市", "神奈川県横浜市金沢区釜利谷東",
              "神奈川県横浜市金沢区", "神奈川県横浜市", "東京都大田区蒲田1-2-3", "神奈川県三浦郡葉山町堀内", None]
    rows = made(len(places), seed=4)
    for row, place, day in zip(rows, places, range(1, 10), strict=True):
        row["municipality"] = place
        row["created_at"] = dt.datetime(2022, 5, day, 1, tzinfo=dt.UTC)
        row["business_name"] = f"追浜精工{day}"
    synthetic_log.fill_engine(log_engine, rows)
    log = Store.for_engine(log_engine).log
    expected = [("神奈川県横須賀市", 3, 3), ("神奈川県横浜市金沢区", 2, 2), ("", 1, 1), ("東京都大田区", 1, 1),
                ("神奈川県横浜市", 1, 1), ("神奈川県葉山町", 1, 1)]
    report = monthly.build(log, MONTH, today=dt.date(2022, 7, 1))
    section = next(s for s in report.sections if s.dimension == "municipality")
    assert sorted((g.key, g.consultations, g.businesses) for g in section.groups) == sorted(expected)
    assert section.adds_up and sum(g.consultations for g in section.groups) == len(places)
    url = log_engine.url.render_as_string(hide_password=False)
    stats = json.loads(cli(capsys, url, "stats", "--by", "municipality", "--since", "2022-05-01",
                           "--until", "2022-05-31", "--json"))["groups"]
    assert [(s["key"], s["consultations"], s["businesses"]) for s in stats] == [
        (g.key, g.consultations, g.businesses) for g in section.groups]
    table = tmp_path / "r.csv"
    table.write_bytes(monthly.to_csv(report))
    sheet = table.read_bytes().decode("utf-8-sig")
    assert "神奈川県横須賀市," in sheet
    assert not [street for street in ("本町", "大滝町", "釜利谷東", "蒲田", "堀内") if street in sheet]


def test_one_business_with_and_without_its_town_is_one_business_in_the_report(log_engine, capsys):
    """A visit with a postal code stores the town (神奈川県横須賀市夏島町), one without does not: the
    report counts the business once, in its figures, its 所在地別 section and `desk log stats`; the
    same name in another city is another business."""
    setup.ensure_ready(log_engine)
    visits = [("株式会社追浜精工", "神奈川県横須賀市夏島町", 2), ("㈱追浜精工", "神奈川県横須賀市", 9),
              ("追浜精工", "神奈川県横須賀市夏島町", 20), ("追浜精工", "神奈川県横浜市", 21),
              ("追浜精工", "神奈川県横浜市中区本町", 22), ("追浜精工", "東京都大田区蒲田1-2-3", 23)]
    rows = made(len(visits), seed=5)
    for row, (name, place, day) in zip(rows, visits, strict=True):
        row.update(business_name=name, municipality=place, created_at=dt.datetime(2022, 5, day, 1, tzinfo=dt.UTC))
    synthetic_log.fill_engine(log_engine, rows)
    report = monthly.build(Store.for_engine(log_engine).log, MONTH, today=dt.date(2022, 7, 1))
    assert (report.consultations, report.businesses) == (6, 3)
    assert (report.trend[-1].consultations, report.trend[-1].businesses) == (6, 3)
    section = next(s for s in report.sections if s.dimension == "municipality")
    assert [(g.key, g.consultations, g.businesses) for g in section.groups] == [
        ("神奈川県横須賀市", 3, 1), ("東京都大田区", 1, 1), ("神奈川県横浜市", 1, 1), ("神奈川県横浜市中区", 1, 1)]
    url = log_engine.url.render_as_string(hide_password=False)
    stats = json.loads(cli(capsys, url, "stats", "--by", "month", "--since", "2022-05-01", "--json"))["groups"]
    assert [(s["key"], s["consultations"], s["businesses"]) for s in stats] == [("2022-05", 6, 3)]
