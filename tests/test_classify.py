"""Topics: every article gets at least one; explicit ones win; the labelled set keeps us honest."""

from news.classify import classify, topic_from_category
from news.evaluation import evaluate, load_labelled
from news.importers import parse_aggregator_page

from .conftest import DATA


def test_every_aggregator_headline_gets_a_topic_and_obvious_ones_are_right():
    text = (DATA / "aggregator-page.txt").read_text(encoding="utf-8")
    articles = [a for _, a in parse_aggregator_page(text, "agg")]
    assert all(a.topics for a in articles)
    by_title = {a.title: a.topics for a in articles}
    rain = next(t for t in by_title if "أمطار رعدية غزيرة" in t)
    assert by_title[rain][0] == "weather"


def test_explicit_topics_are_final_and_categories_count():
    assert classify("مباراة الخضر أمام أوغندا", given=["politics"]) == ("politics",)
    assert classify("نص بلا دلالة", categories=["Sport"])[0] == "sports"
    assert topic_from_category("https://www.example.dz/economie/article-1") == "economy"
    assert topic_from_category("الثقافة") == "culture"
    assert classify("نص بلا دلالة") == ("society",)  # nothing speaks: the broadest desk


def test_lexicon_does_not_confuse_riyadh_with_sport_or_imam_with_in_front_of():
    assert "sports" not in classify("رئيس الجمهورية يشارك في أشغال القمة العربية بالرياض")
    assert "religion" not in classify("ريال مدريد يتعادل أمام إشبيلية")


def test_accuracy_on_the_held_out_headlines_stays_at_the_measured_level():
    # Measured when the lexicon was last tuned (on dev.jsonl only): holdout 0.79 / dev 0.91.
    holdout = evaluate(load_labelled(DATA / "topics" / "holdout.jsonl"))
    dev = evaluate(load_labelled(DATA / "topics" / "dev.jsonl"))
    assert holdout.headlines >= 100 and dev.headlines >= 200
    assert holdout.primary_accuracy >= 0.75
    assert dev.primary_accuracy >= 0.85
    assert all(row.support >= 8 for row in holdout.per_topic)
