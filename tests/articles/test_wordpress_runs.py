"""Whole runs of the WordPress importer on an empty database: the command, a dry run, an
interrupted run resumed, files that are not exports, media that cannot be found."""

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from articles.wordpress.importer import import_export
from articles.wordpress.models import ExportedSite, Imported
from articles.wordpress.parser import NotAnExport
from comments.models import Comment
from tests.wordpress_export import EXPORT, UPLOADS, article_for, table_counts


def test_the_command_prints_the_report(db, tmp_path, settings, capsys):
    settings.MEDIA_ROOT = str(tmp_path)
    call_command("import_wordpress", str(EXPORT), "--uploads", str(UPLOADS), "--no-fetch")
    out = capsys.readouterr().out
    assert "WordPress site: http://127.0.0.1:8081" in out
    assert "comment: 842 imported (785 approved, 31 pending, 26 trash)" in out
    assert "mention: 12 imported (6 pingback, 6 trackback)" in out


def test_a_dry_run_writes_nothing_and_says_what_it_would_do(db, tmp_path, settings, capsys):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    before = table_counts()
    call_command("import_wordpress", str(EXPORT), "--uploads", str(UPLOADS), "--dry-run")
    out = capsys.readouterr().out
    assert table_counts() == before
    assert not (tmp_path / "media").exists()
    assert "Dry run: nothing was written." in out
    assert "post: 21 would import (4 draft, 16 published, 1 scheduled)" in out
    assert "comment: 842 would import (785 approved, 31 pending, 26 trash)" in out


def test_an_interrupted_import_keeps_what_it_finished_and_resumes(
    db, tmp_path, settings, monkeypatch
):
    settings.MEDIA_ROOT = str(tmp_path)
    from articles.wordpress import importer

    real = importer._Importer.comments

    def fail_on_post_15(self, item, article, records):
        if item.wp_id == 15:
            next(records)  # a comment read, then the failure
            raise RuntimeError("the disk is full")
        return real(self, item, article, records)

    monkeypatch.setattr(importer._Importer, "comments", fail_on_post_15)
    report = import_export(EXPORT, uploads_dir=UPLOADS, fetch_media=False)
    assert report.skipped["post"]["failed: the disk is full"] == 1
    assert report.skipped["comment"]["on a post that failed"] == 31
    assert report.imported["comment"] == 842 - 31
    # Post 15 is rolled back whole (its article too); the others are in.
    assert not Imported.objects.filter(kind="post", wp_id=15).exists()
    assert not Article.objects.filter(headline="Inside the ministry’s Telegram strategy").exists()
    assert Imported.objects.filter(kind="post").count() == 20

    monkeypatch.setattr(importer._Importer, "comments", real)
    again = import_export(EXPORT, uploads_dir=UPLOADS, fetch_media=False)
    assert again.imported["post"] == 1 and again.already["post"] == 20
    assert article_for(15).comments.count() == 31
    assert Comment.objects.count() == 842


def test_a_file_that_is_not_an_export_is_refused_clearly(db, tmp_path):
    html = tmp_path / "page.xml"
    html.write_text("<html><body>not an export</body></html>")
    with pytest.raises(CommandError, match="is not a WordPress export"):
        call_command("import_wordpress", str(html))
    broken = tmp_path / "broken.xml"
    broken.write_text("<rss><channel><item>")
    with pytest.raises(NotAnExport):
        import_export(broken)
    assert not ExportedSite.objects.exists()


def test_an_export_with_entity_expansion_is_refused(db, tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>&b;</title>'
        "</channel></rss>"
    )
    with pytest.raises(NotAnExport):
        import_export(bomb)


def test_missing_media_is_reported_not_fatal(db, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    report = import_export(EXPORT, uploads_dir=tmp_path, fetch_media=False)
    assert report.skipped["attachment"] == {"its file is not in the uploads folder": 9}
    assert article_for(9).featured_image is None
    assert report.imported["post"] == 21
