"""claims.archive_formats: every shape, good and bad records (no database)."""

from __future__ import annotations

import json

from claims.archive_formats import parse


def review(**overrides) -> dict:
    node = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://checks.example/water",
        "claimReviewed": "Drinking hot water cures the flu.",
        "datePublished": "2024-02-03",
        "author": {"@type": "Organization", "name": "Checks Daily"},
        "reviewRating": {
            "@type": "Rating",
            "alternateName": "False",
            "ratingValue": 1,
            "bestRating": 5,
        },
        "headline": "No, hot water does not cure the flu",
        "inLanguage": "en",
    }
    node.update(overrides)
    return node


def as_bytes(document) -> bytes:
    return json.dumps(document).encode()


def test_one_claimreview_object():
    parsed = parse("one.json", as_bytes(review()))
    assert parsed.problems == []
    [(where, record)] = parsed.records
    assert where == "item 1"
    assert record.claim_text == "Drinking hot water cures the flu."
    assert record.rating == "False"
    assert record.publisher == "Checks Daily"
    assert record.conclusion == "No, hot water does not cure the flu"
    assert record.published_on == "2024-02-03"
    assert record.language == "en"


def test_list_reports_bad_items_by_index_and_keeps_the_rest():
    items = [
        review(),
        review(url="javascript:alert(1)"),
        review(url="https://checks.example/2", claimReviewed=""),
        {"@type": "NewsArticle"},
        review(url="https://checks.example/3", reviewRating={"ratingValue": 2, "bestRating": 5}),
        review(url="https://checks.example/4", datePublished="last week"),
    ]
    parsed = parse("many.json", as_bytes(items))
    assert [w for w, _ in parsed.records] == ["item 1", "item 5"]
    assert parsed.records[1][1].rating == "2/5"  # a rating with no words keeps its number
    reasons = {p.where: p.reason for p in parsed.problems}
    assert "http:// or https://" in reasons["item 2"]
    assert reasons["item 3"] == "no claim text."
    assert "not a ClaimReview" in reasons["item 4"]
    assert "not a date" in reasons["item 6"]


def test_graph_skips_other_node_types():
    graph = {
        "@context": "https://schema.org",
        "@graph": [{"@type": "WebPage", "name": "x"}, review()],
    }
    parsed = parse("graph.jsonld", as_bytes(graph))
    assert parsed.problems == []
    assert [w for w, _ in parsed.records] == ["@graph item 2"]


def test_html_page_with_script_tags():
    page = (
        "<html><head><script type='application/ld+json'>"
        + json.dumps({"@type": "BreadcrumbList"})
        + '</script><script type="application/ld+json">'
        + json.dumps([review(), review(url="ftp://x.example/")])
        + "</script><script type='application/ld+json'>{broken</script></head><body>Hi</body></html>"
    )
    parsed = parse("page.html", page.encode())
    assert [w for w, _ in parsed.records] == ["script 2, item 1"]
    wheres = [p.where for p in parsed.problems]
    assert "script 2, item 2" in wheres and "script 3" in wheres
    assert all("script 1" not in w for w in wheres)  # other JSON-LD on a page is normal


def test_html_without_claimreview_says_so():
    parsed = parse("page.html", b"<html><body><p>Nothing here</p></body></html>")
    assert parsed.records == []
    assert "no ClaimReview" in parsed.problems[0].reason


def test_google_fact_check_tools_answer():
    answer = {
        "claims": [
            {
                "text": "The moon is made of cheese.",
                "claimant": "A blog",
                "claimDate": "2023-05-01T00:00:00Z",
                "claimReview": [
                    {
                        "publisher": {"name": "Lunar Facts", "site": "lunar.example"},
                        "url": "https://lunar.example/cheese",
                        "title": "The moon is rock, not cheese",
                        "reviewDate": "2023-05-03T10:00:00Z",
                        "textualRating": "Pants on fire",
                        "languageCode": "en",
                    },
                    {
                        "publisher": {"site": "other.example"},
                        "url": "https://other.example/c",
                        "textualRating": "",
                    },
                ],
            },
            {"text": "No reviews here.", "claimReview": []},
        ]
    }
    parsed = parse("search.json", as_bytes(answer))
    [(where, record)] = parsed.records
    assert where == "claim 1, review 1"
    assert (record.rating, record.publisher, record.published_on) == (
        "Pants on fire",
        "Lunar Facts",
        "2023-05-03",
    )
    assert record.conclusion == "The moon is rock, not cheese"
    assert [str(p) for p in parsed.problems] == [
        "claim 1, review 2: no rating.",
        "claim 2: no claimReview.",
    ]


def test_csv_reports_bad_lines_by_number():
    text = (
        "Claim,Rating,URL,Publisher,Date,Language\n"
        "Bananas are berries.,True,https://fruit.example/1,Fruit Check,2022-01-02,en\n"
        ",False,https://fruit.example/2,Fruit Check,2022-01-02,en\n"
        "Apples are pears.,False,mailto:a@b.example,Fruit Check,2022-01-02,en\n"
        "\n"
        '"Oranges, it is said, are blue.",False,https://fruit.example/4,Fruit Check,,fr\n'
    )
    parsed = parse("checks.csv", text.encode())
    assert [w for w, _ in parsed.records] == ["line 2", "line 6"]
    assert parsed.records[1][1].claim_text == "Oranges, it is said, are blue."
    assert parsed.records[1][1].published_on == ""
    assert [p.where for p in parsed.problems] == ["line 3", "line 4"]


def test_csv_missing_columns():
    parsed = parse("checks.csv", b"claim,url\nA,https://x.example\n")
    assert parsed.records == []
    assert str(parsed.problems[0]) == "line 1: missing column(s): rating, publisher, date."


def test_unreadable_files():
    assert "not UTF-8" in parse("x.json", b"\xff\xfe\x00bad").problems[0].reason
    assert "not valid JSON" in parse("x.json", b"{not json").problems[0].reason
    assert "empty" in parse("x.csv", b"  \n").problems[0].reason
