"""A long article's background re-score in a real browser: the article page
shows the progress while the job runs, says when the full model's scores are
ready, and shows them after the reload it offers."""

from __future__ import annotations

from playwright.sync_api import expect

from claims import jobs, services
from claims.extraction import scoring
from claims.extraction.attribution import strip_all
from claims.models import Job

TEXT = (
    "The council spent $4.2 million on road repairs in 2023, up 12% from 2022. "
    "Residents hope the park will reopen soon. "
    "Unemployment stands at 3.9%, the lowest in a decade, the mayor said. "
    "It was a lovely evening."
)


def test_the_article_page_follows_a_re_score_to_the_new_scores(new_page, live_server, editor):
    article = services.article_create(actor=editor, title="Budget", body=TEXT, url="")
    article = services.article_extract(actor=editor, article=article)
    sentences = [TEXT[c["start"] : c["end"]] for c in article.candidates]
    # As extraction leaves a long text: fast scores, and a queued re-score.
    fast = scoring.fast_scores(scoring.get_model().encode(strip_all(sentences)))
    for candidate, score in zip(article.candidates, fast, strict=True):
        candidate["score"] = round(float(score), 4)
    article.save(update_fields=["candidates"])
    job = Job.objects.create(
        kind=Job.Kind.RESCORE,
        created_by=editor,
        total=len(sentences),
        params={"article_id": article.pk, "extracted_at": article.extracted_at.isoformat()},
    )
    page = new_page(editor)
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    status = page.locator("#rescore-status")
    expect(status).to_contain_text("The full model is re-scoring these 4 sentences: 0 of 4 done.")
    first_pill = page.locator(".triage-row .score-pill").first
    expect(first_pill).to_have_text(f"{fast[0]:.2f}")

    jobs.enqueue(job)  # the worker runs it (the immediate backend, here in the test)

    expect(status).to_contain_text("The full model has re-scored these sentences.", timeout=6000)
    status.get_by_role("link", name="Reload to see the new scores").click()
    article.refresh_from_db()
    expect(page.locator("#rescore-status")).to_have_count(0)
    expect(first_pill).to_have_text(f"{article.candidates[0]['score']:.2f}")
    assert article.candidates[0]["score"] == round(scoring.score_sentences(sentences)[0], 4)
    assert problems == []
