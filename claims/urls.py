"""URL shapes follow one pattern: <noun>s/, <noun>s/new/, <noun>s/<pk>/, <noun>s/<pk>/<verb>/."""

from django.urls import path

from claims.views import archive, articles, board, claim_panel, reports

app_name = "claims"

urlpatterns = [
    path("", board.home, name="home"),
    # Board
    path("board/", board.board, name="board"),
    path("board/column/<str:status>/", board.board_column, name="board-column"),
    path("board/stamp/", board.board_stamp, name="board-stamp"),
    path("board/bulk/", board.claims_bulk, name="claims-bulk"),
    path("board/export/", reports.board_export, name="board-export"),
    path("my/", board.my_claims, name="my-claims"),
    # Articles and triage
    path("articles/", articles.article_list, name="article-list"),
    path("articles/new/", articles.article_create, name="article-create"),
    path("articles/import/", articles.article_import, name="article-import"),
    path("articles/<int:pk>/", articles.article_detail, name="article-detail"),
    path("articles/<int:pk>/extract/", articles.article_extract, name="article-extract"),
    path("articles/<int:pk>/rescore/", articles.article_rescore_status, name="article-rescore"),
    path("articles/<int:pk>/close/", articles.article_close, name="article-close"),
    path("articles/<int:pk>/reopen/", articles.article_reopen, name="article-reopen"),
    path("articles/<int:pk>/keep/", articles.claims_keep, name="claims-keep"),
    path("articles/<int:pk>/assign/", articles.article_assign, name="article-assign"),
    path("articles/<int:pk>/add-claim/", articles.claim_add, name="claim-add"),
    path("articles/<int:pk>/merge/", articles.claims_merge, name="claims-merge"),
    path("claims/<int:pk>/dismiss/", articles.claim_dismiss, name="claim-dismiss"),
    path("claims/<int:pk>/restore/", articles.claim_restore, name="claim-restore"),
    path("articles/<int:pk>/report/", reports.article_report, name="article-report"),
    path("jobs/<int:pk>/", articles.job_detail, name="job-detail"),
    # Claims
    path("claims/<int:pk>/", claim_panel.claim_detail, name="claim-detail"),
    path("claims/<int:pk>/edit/", articles.claim_edit, name="claim-edit"),
    path("claims/<int:pk>/split/", articles.claim_split, name="claim-split"),
    path("claims/<int:pk>/move/", board.claim_move, name="claim-move"),
    path("claims/<int:pk>/tools/", board.claim_tools, name="claim-tools"),
    path("claims/<int:pk>/assign/", claim_panel.claim_assign, name="claim-assign"),
    path("claims/<int:pk>/due/", claim_panel.claim_due, name="claim-due"),
    path("claims/<int:pk>/step/<slug:action>/", claim_panel.claim_step, name="claim-step"),
    path("claims/<int:pk>/verdict/", claim_panel.claim_verdict, name="claim-verdict"),
    path("claims/<int:pk>/sources/new/", claim_panel.source_add, name="source-add"),
    path("claims/<int:pk>/comments/new/", claim_panel.comment_add, name="comment-add"),
    path("sources/<int:pk>/edit/", claim_panel.source_edit, name="source-edit"),
    path("sources/<int:pk>/delete/", claim_panel.source_delete, name="source-delete"),
    # Fact-check archive and "Checked before"
    path("archive/", archive.archive_list, name="archive-list"),
    path("archive/import/", archive.archive_import, name="archive-import"),
    path("claims/<int:pk>/same/", archive.claim_same, name="claim-same"),
    path("claims/<int:pk>/reuse/", archive.claim_reuse, name="claim-reuse"),
    path("exports/<int:pk>/", reports.export_job, name="export-job"),
]
