"""One story told by many sources is shown once; stories that only share a name are not merged."""

import asyncio
import json
import sqlite3
import time
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from news.articles import article_story_key, make_article
from news.ingest import Ingestor
from news.stories import WINDOW, StoryMatcher, same_event, similarity, story_key
from news.story_evaluation import evaluate, load_pairs
from news.story_key import GUESSED
from storage.articles import ArticleRepository

from .conftest import DATA, interrupted_midway, some_stored, stored_articles

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
SAIDAL_A = 'تعيين مراد بلخلفة مديرا عاما بالنّيابة لمجمّع "صيدال"'
SAIDAL_B = "تنصيب مراد بلخلفة مديرًا عامًا بالنيابة لمجمع صيدال"
SAME_NAME = "مراد بلخلفة يزور وحدة صيدال بقسنطينة"
# Same-event pairs the hand-written rules joined and the learnt decision (news/story_trees.py,
# issue 14) does not: kept here, strict, so that a model that joins them again says so.  The
# learnt decision was adopted for what it does on sets it never saw (left out in turn: holdout5
# 53/80 joined and 3/80 merged where the rules join 46 and merge 16; train6a 51/73, 10/76
# against 43, 15; train6b 56/78, 8/76 against 52, 24; holdout3 37/50, 4/50 against 35, 7).
LEARNT_MISS = pytest.mark.xfail(strict=True, reason="a paraphrase the learnt decision misses (issue 14)")


def test_near_duplicate_headlines_from_two_sources_are_one_story():
    matcher = StoryMatcher()
    assert matcher.assign(1, story_key(SAIDAL_A), NOW) == 1
    assert matcher.assign(2, story_key(SAIDAL_B), NOW + timedelta(hours=2)) == 1


def test_headlines_that_share_a_name_are_different_stories():
    matcher = StoryMatcher()
    matcher.assign(1, story_key(SAIDAL_A), NOW)
    assert matcher.assign(2, story_key(SAME_NAME), NOW) == 2
    assert matcher.assign(3, story_key("أمطار رعدية على العديد من ولايات الوطن"), NOW) == 3


def joined(first: str, second: str, minutes: int = 30, first_body: str = "", second_body: str = "") -> bool:
    """Whether the matcher files `second`, arriving `minutes` after `first`, under its story."""
    return same_event(story_key(second, second_body), story_key(first, first_body), timedelta(minutes=minutes))


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # a different verb for the same act
        ("تعيين سليم حداد مديرا عاما لبنك الفلاحة", "تنصيب سليم حداد على رأس بنك الفلاحة والتنمية الريفية"),
        # a number in digits and in words, مسكن and وحدة سكنية
        ("إنجاز 20 ألف مسكن بصيغة البيع بالإيجار", "إنجاز عشرين ألف وحدة سكنية بصيغة البيع بالإيجار"),
        # word order and derivation
        ("الجزائر توقع اتفاقا غازيا جديدا مع إيطاليا", "اتفاق غازي جديد بين الجزائر وإيطاليا"),
        # a surname, then the full name
        ("بن ناصر يقود ميلان للفوز", "إسماعيل بن ناصر يسجل ويمنح ميلان الفوز"),
        # a dateline and a synonym
        ("تلمسان: توزيع 800 وحدة سكنية", "توزيع 800 مسكن بتلمسان"),
        # an outlet's prefix
        ("عاجل: أمطار طوفانية على ولايات الوسط", "أمطار طوفانية مرتقبة على ولايات الوسط"),
        # a score in one word and in words
        ("الخضر يفوزون على الطوغو بخماسية", "المنتخب الوطني يسحق الطوغو بخمسة أهداف"),
        # a capital for its country
        ("الجزائر تستدعي سفيرها في باريس للتشاور", "استدعاء سفير الجزائر بفرنسا للتشاور"),
    ],
)
def test_two_wordings_of_one_event_are_one_story(first, second):
    assert joined(first, second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # another wilaya
        ("وفاة شخصين في حادث مرور بالأغواط", "وفاة شخصين في حادث مرور بالبيض"),
        # another country, as a name and as an adjective; مالي is a country here
        ("رئيس الجمهورية يستقبل سفير اليابان", "رئيس الجمهورية يستقبل سفير البرازيل"),
        ("عطاف يحادث نظيره الموريتاني", "عطاف يحادث نظيره النيجيري"),
        ("الجزائر تدين الهجوم الإرهابي في مالي", "الجزائر تدين الهجوم الإرهابي في تشاد"),
        # two districts of one wilaya
        ("افتتاح ملعب جديد ببراقي", "افتتاح ملعب جديد بالدويرة"),
        # another number with the same template
        ("إنجاز 20 ألف مسكن بصيغة عدل", "إنجاز 40 ألف مسكن بصيغة عدل"),
        ("تعيين رئيس جديد لجامعة قسنطينة 1", "تعيين رئيس جديد لجامعة قسنطينة 3"),
        # another person, another organisation, another law, another ministry
        ("تعيين سليم حداد مديرا عاما لبنك الفلاحة", "تعيين كريم بوزيد مديرا عاما لبنك الفلاحة"),
        ("المجلس الرئاسي الليبي يدعو إلى الحوار", "مجلس النواب الليبي يدعو إلى الحوار"),
        ("مجلس الوزراء يدرس مشروع قانون المحروقات", "مجلس الوزراء يدرس مشروع قانون المناجم"),
        ("وزير العدل يرد على أسئلة النواب", "وزير المالية يرد على أسئلة النواب"),
        ("سوناطراك توقع مذكرة تفاهم مع شركة شل", "سوناطراك توقع مذكرة تفاهم مع شركة بريتش بتروليوم"),
    ],
)
def test_look_alike_headlines_of_different_events_are_different_stories(first, second):
    assert not joined(first, second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # the noun's whole complement names the organisation, not the word after it
        ("بنك الجزائر يرفع سعر الفائدة", "البنك الوطني الجزائري يرفع سعر الفائدة على القروض"),
        ("رئيس الاتحادية الجزائرية لكرة القدم يقدم استقالته", "رئيس الاتحادية الجزائرية لكرة اليد يقدم استقالته"),
        # a post named by a paraphrase (رئيس الوزراء) and one named by its words (رئيس مجلس الشيوخ)
        ("تبون يستقبل رئيس الوزراء الإيطالي", "تبون يستقبل رئيس مجلس الشيوخ الإيطالي"),
        ("رئيس مجلس الأمة يستقبل سفير قطر", "رئيس المجلس الشعبي الوطني يستقبل سفير قطر"),
    ],
)
def test_organisations_named_by_several_words_tell_events_apart(first, second):
    assert not joined(first, second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # a shorter name that begins the full one
        ("تعيين سليم حداد مديرا عاما لبنك الفلاحة", "تنصيب سليم حداد على رأس بنك الفلاحة والتنمية الريفية"),
        ("وزير الداخلية يشرف على تنصيب الولاة الجدد", "وزير الداخلية والجماعات المحلية يشرف على تنصيب الولاة الجدد"),
        # one post in two wordings, and the president by his name
        ("تبون يستقبل رئيسة الحكومة الإيطالية", "رئيس الجمهورية يستقبل رئيسة الوزراء الإيطالية"),
        ("رئيس البرلمان يستقبل وفدا برلمانيا تركيا", "رئيس المجلس الشعبي الوطني يستقبل وفدا من البرلمان التركي"),
    ],
)
def test_one_organisation_in_a_short_and_a_full_name_is_one_story(first, second):
    assert joined(first, second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("شنقريحة يشرف على تنفيذ تمرين تكتيكي بالذخيرة الحية", "الفريق أول السعيد شنقريحة يشرف على تمرين تكتيكي بالذخيرة الحية"),
        ("شنقريحة في زيارة عمل إلى الناحية العسكرية الخامسة", "الفريق أول شنقريحة يزور الناحية العسكرية الخامسة بقسنطينة"),
        ("محرز يقود الأهلي للفوز على الهلال", "النجم الجزائري رياض محرز يقود الأهلي للفوز على الهلال"),
        # بلمهدي is a family name, not the first name مهدي with a clitic
        ("بلمهدي يشرف على افتتاح المسابقة الوطنية لحفظ القرآن", "الدكتور يوسف بلمهدي يفتتح المسابقة الوطنية لحفظ القرآن الكريم"),
    ],
)
def test_a_title_or_rank_before_a_name_does_not_hide_the_surname(first, second):
    assert joined(first, second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # an act and its opposite, about the same man in the same post
        ("تعيين عبد الكريم بوزيد واليا على سطيف", "إنهاء مهام عبد الكريم بوزيد واليا على سطيف"),
        ("مولودية الجزائر تتأهل إلى ربع نهائي رابطة الأبطال", "إقصاء مولودية الجزائر من ربع نهائي رابطة الأبطال"),
        # a noun in the dual is the number 2
        ("الخضر يفوزون على بوتسوانا بثلاثية", "الخضر يفوزون على بوتسوانا بهدفين"),
        ("وفاة شخصين في حادث مرور بتيارت", "وفاة 3 أشخاص في حادث مرور بتيارت"),
    ],
)
def test_opposite_acts_and_numbers_said_by_a_dual_tell_events_apart(first, second):
    assert not joined(first, second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # one act, as a noun and as a verb of any person (انتشال / تنتشل), one agent in two words
        ("انتشال جثة شاب غرق بشاطئ تيشي في بجاية", "الحماية المدنية تنتشل جثة غريق بشاطئ تيشي"),
        ("موجة حر تضرب ولايات الجنوب", "ارتفاع محسوس في درجات الحرارة بولايات الجنوب"),
        # الصهيوني is Israel's adjective, not China's name stemmed too far
        ("الجزائر تدين العدوان الصهيوني على لبنان", "الجزائر تندد بالاعتداء الإسرائيلي على بيروت"),
    ],
)
def test_paraphrases_in_other_persons_and_adjectives_are_one_story(first, second):
    assert joined(first, second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # a post before its holder's name: the name is no organisation's
        pytest.param(
            "الوزيرة كريكو تشرف على توزيع تجهيزات بالبليدة", "وزيرة التضامن الوطني تشرف على توزيع تجهيزات بالبليدة",
            marks=LEARNT_MISS,
        ),
        ("الرئيس الفرنسي ماكرون يتصل بتبون", "اتصال هاتفي بين الرئيس تبون وإيمانويل ماكرون"),
        # one organisation, two names
        ("البنك المركزي يبقي على سعر الفائدة دون تغيير", "بنك الجزائر يبقي سعر الفائدة الرئيسي دون تغيير"),
    ],
)
def test_a_post_before_a_name_and_an_organisations_other_name_are_one_story(first, second):
    assert joined(first, second)


def test_bodies_that_tell_another_event_part_look_alike_headlines():
    first, second = "قرار جديد لوزارة التجارة", "إجراء جديد من وزارة التجارة"
    first_body = "قررت وزارة التجارة تسقيف سعر زيت المائدة عند 250 دينارا للتر ابتداء من الأسبوع المقبل."
    second_body = "قررت وزارة التجارة منع استيراد الموز مؤقتا إلى غاية نهاية السنة لحماية الإنتاج الوطني."
    assert joined(first, second)
    assert not joined(first, second, first_body=first_body, second_body=second_body)


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        # an act opening the headline, then whose act it is (no first name to say it is a name)
        ("إصابة محرز تبعده عن الملاعب لأسبوعين", "إصابة عوار تبعده عن الملاعب لأسبوعين", False),
        ("انتقال عوار إلى روما بشكل رسمي", "انتقال بن ناصر إلى روما بشكل رسمي", False),
        ("انتقال عوار إلى روما بشكل رسمي", "حسام عوار لاعبا في روما رسميا", True),
        # an artist's title; «عن عمر ناهز» is an age, not the name عمر
        ("رحيل الفنان القبائلي لونيس آيت منقلات", "رحيل الفنان القبائلي إيدير", False),
        ("رحيل الفنان القبائلي لونيس آيت منقلات", "وفاة آيت منقلات عن عمر ناهز 76 عاما", True),
        # a word read as a family name that the other headline says too is no other person
        ("تعيين لطفي حداد مديرا للأمن الوطني", "حداد على رأس المديرية العامة للأمن الوطني", True),
    ],
)
def test_people_named_without_a_first_name_the_lexicon_knows(first, second, same):
    assert joined(first, second) == same


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        # the discipline and the exam are what the template leaves open
        ("المنتخب الوطني لكرة اليد يتأهل إلى المونديال", "المنتخب الوطني لكرة السلة يتأهل إلى المونديال", False),
        ("المنتخب الوطني لكرة اليد يتأهل إلى المونديال", "تأهل منتخب كرة اليد الجزائري إلى كأس العالم", True),
        ("الإفراج عن نتائج شهادة التعليم المتوسط", "الإفراج عن نتائج شهادة البكالوريا", False),
        ("الإفراج عن نتائج شهادة البكالوريا", "إعلان نتائج امتحان البكالوريا", True),
    ],
)
def test_the_sport_and_the_exam_tell_events_apart(first, second, same):
    assert joined(first, second) == same


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        # an organisation named by a chain of bare nouns, and by its acronym
        ("تبون يستقبل رئيس حركة مجتمع السلم", "تبون يستقبل رئيس حركة البناء الوطني", False),
        ("تبون يستقبل رئيس حركة مجتمع السلم", "رئيس الجمهورية يستقبل رئيس حمس عبد العالي حساني شريف", True),
        # a country beyond the neighbours
        ("الخضر يواجهون السويد وديا في مارس", "الخضر يواجهون البرتغال وديا في مارس", False),
        # the sea is no country (البحرين would stem to it)
        ("غرق قارب في البحر قبالة عنابة", "غرق قارب في عرض البحر قبالة عنابة", True),
    ],
)
def test_chains_of_nouns_acronyms_and_countries(first, second, same):
    assert joined(first, second) == same


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        # posts of one class: the prime minister is not the foreign minister
        ("الوزير الأول يستقبل سفير ألمانيا", "وزير الخارجية يستقبل سفير ألمانيا", False),
        # the Olympic side is not the first team; a hospital is named by its complement
        ("مدرب المنتخب الوطني يستدعي حارسا جديدا", "مدرب المنتخب الأولمبي يستدعي حارسا جديدا", False),
        ("حريق بمستشفى مصطفى باشا الجامعي", "حريق بمستشفى بني مسوس الجامعي", False),
        # a win told from the loser's side is the same match: no opposite there
        ("الخضر يفوزون على بوتسوانا بثلاثية", "بوتسوانا تنهزم أمام الخضر بثلاثية", True),
    ],
)
def test_posts_teams_and_places_named_by_a_noun(first, second, same):
    assert joined(first, second) == same


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        # a post and its other name; a mayor (رئيس بلدية = مير) in a named town
        ("وزير الخارجية يستقبل نظيره التشادي", "رئيس الدبلوماسية يحادث وزير الخارجية التشادي", True),
        ("تعليق مهام رئيس بلدية بئر العاتر", "الوالي يعلق مهام مير بئر العاتر", True),
        ("تعليق مهام رئيس بلدية بئر العاتر", "تعليق مهام رئيس بلدية الشريعة", False),
        # held pending trial, however it is said; a law named after المتعلق ب
        ("إيداع مسير شركة خاصة الحبس المؤقت بسطيف", "الحبس الاحتياطي لمسير شركة خاصة بسطيف", True),
        ("صدور القانون المتعلق بالمياه", "صدور قانون المياه", True),
        ("صدور القانون المتعلق بالمياه", "صدور القانون المتعلق بالغابات", False),
        # a number after a post is no part of its name; Algiers names Algeria
        ("الحكم على وزير سابق بست سنوات سجنا", "ست سنوات سجنا لوزير سابق أمام القطب الجزائي", True),
        ("مولودية الجزائر تطيح بوفاق سطيف", "المولودية تفوز على وفاق سطيف في العاصمة", True),
        # two chambers, two funds; people named by their initials; Omani is not Jordanian
        ("غرفة الصناعة التقليدية تنظم صالونا وطنيا", "غرفة الفلاحة تنظم صالونا وطنيا", False),
        ("الصندوق الوطني للتقاعد يصرف المعاشات", "الصندوق الوطني للسكن يصرف المعاشات", False),
        ("تأجيل محاكمة رجل الأعمال ع. ح.", "تأجيل محاكمة رجل الأعمال م. س.", False),
        ("وزير الصحة يستقبل نظيره العماني", "وزير الصحة يستقبل نظيره الأردني", False),
        # a club by its full and its short name, in Arabic and in French; a gang is no person
        ("شباب قسنطينة يطيح بمولودية وهران", "السنافر يفوزون على الحمراوة", True),
        ("شباب قسنطينة يطيح بمولودية وهران", "شباب قسنطينة يطيح بمولودية البيض", False),
        ("تفكيك شبكة لتهريب المهاجرين بتلمسان", "توقيف عصابة لتهريب المهاجرين في تلمسان", True),
        # a desk's recurring events in other words: a strike, a vaccination campaign, a fair
        ("إضراب أساتذة التعليم الثانوي بالبويرة", "الأساتذة في الطور الثانوي يضربون عن العمل بالبويرة", True),
        ("حملة تطعيم ضد الحصبة في المدارس بجيجل", "جيجل: حملة تلقيح ضد الحصبة في المدارس", True),
        ("افتتاح الطبعة 9 لصالون الصناعة التقليدية بغرداية", "افتتاح الطبعة 10 لصالون الصناعة التقليدية بغرداية", False),
    ],
)
def test_posts_courts_and_organisations_said_in_other_words(first, second, same):
    assert joined(first, second) == same


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        # a verb of the lexicon, a number in words, a surname and the full name, a dateline
        ("Nomination d'un nouveau directeur général des Douanes", "Un nouveau directeur général des Douanes installé", True),
        ("Quatre blessés dans une explosion de gaz à Batna", "Explosion de gaz à Batna : 4 blessés", True),
        pytest.param("Bennacer offre la victoire à l'AC Milan", "Ismaël Bennacer donne la victoire à l'AC Milan", True, marks=LEARNT_MISS),
        ("Skikda : effondrement d'un immeuble à la vieille ville", "Effondrement d'un immeuble dans la vieille ville de Skikda", True),
        # another wilaya, country, number, person, organisation or law: another event
        ("Un mort dans un incendie de forêt à Jijel", "Un mort dans un incendie de forêt à Béjaïa", False),
        ("Le ministre du Commerce reçoit l'ambassadeur de Chine", "Le ministre du Commerce reçoit l'ambassadeur d'Italie", False),
        ("Le prix du lait fixé à 25 dinars", "Le prix du lait fixé à 30 dinars", False),
        ("Slimani forfait pour le match contre le Mali", "Belaïli forfait pour le match contre le Mali", False),
        ("La Caisse nationale des retraites lance une application", "La Caisse nationale du logement lance une application", False),
        ("L'APN adopte la loi sur la santé", "L'APN adopte la loi sur l'audiovisuel", False),
        ("La JSK s'impose face au MC Oran", "Victoire de la JS Kabylie contre le MCO", True),
    ],
)
def test_french_headlines_are_read_like_arabic_ones(first, second, same):
    assert joined(first, second) == same


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        # two communes of one wilaya (from algeria-wilayas-communes), by name or after a cue
        ("حريق مهول يأتي على محل تجاري بعين الحجل", "حريق مهول يأتي على محل تجاري بسيدي عيسى", False),
        ("انقطاع الماء الشروب في مغنية لمدة يومين", "انقطاع الماء الشروب في الرمشي لمدة يومين", False),
        ("Incendie d'un local commercial à Maghnia", "Incendie d'un local commercial à Remchi", False),
        # a commune and its wilaya are one place
        ("عين الحجل: حريق يأتي على محل تجاري", "حريق يأتي على محل تجاري بالمسيلة", True),
    ],
)
def test_communes_tell_places_apart(first, second, same):
    assert joined(first, second) == same


def test_a_wilayas_seat_named_as_the_press_names_it_is_that_wilaya():
    assert {"wilaya:25"} <= story_key("ظلام في أحياء بعاصمة الشرق إثر عطب").places
    assert story_key("انقطاع الكهرباء بعاصمة الشرق").tokens >= story_key("انقطاع الكهرباء بقسنطينة").tokens
    assert story_key("Inondations dans la ville des Ponts suspendus").tokens == story_key("Inondations à Constantine").tokens
    # a town of the wilaya is still a place of its own, and مدينة elsewhere reads as before
    assert "بمد" in story_key("حريق بمدينة وهران").tokens
    assert joined("انقطاع الكهرباء بعاصمة الأوراس", "انقطاع الكهرباء بباتنة")
    assert not joined("انقطاع الكهرباء بعاصمة الأوراس", "انقطاع الكهرباء بعاصمة الواحات")
    # after ب or ل too (بمدينة folds to بمد, not to مدينة's مدين)
    assert {"wilaya:25"} <= story_key("انهيار بناية قديمة بمدينة الصخر العتيق").places
    assert {"wilaya:25"} <= story_key("حريق بمدينة الجسور المعلقة").places
    assert {"wilaya:39"} <= story_key("زيارة وزير السياحة لمدينة الألف قبة").places
    assert joined("انهيار بناية قديمة بمدينة الجسور المعلقة", "انهيار بناية قديمة بقسنطينة")


def test_a_wilayas_nickname_said_of_another_place_is_not_that_wilaya():
    # qualified by another country or region, or a word more of another place's name
    assert "wilaya:25" not in story_key("انقطاع التيار الكهربائي في بنغازي عاصمة الشرق الليبي").places
    assert "wilaya:25" not in story_key("Benghazi, capitale de l'Est libyen").places
    assert "wilaya:25" not in story_key("دبي عاصمة الشرق الأوسط للأعمال").places
    assert "wilaya:31" not in story_key("اشتباكات في طرابلس عاصمة الغرب الليبي").places
    assert "wilaya:19" not in story_key("تيارت عاصمة الهضاب العليا الغربية").places
    assert "wilaya:6" not in story_key("ترميم قلعة بني حماد عاصمة الحماديين الأولى").places
    assert not joined("انقطاع التيار الكهربائي في بنغازي عاصمة الشرق الليبي", "انقطاع التيار الكهربائي في قسنطينة")
    assert not joined("Coupure d'électricité à Benghazi, capitale de l'Est libyen", "Coupure d'électricité à Constantine")
    # names said of two places alone are no wilaya's: Taif (Saudi Arabia) is the city of roses
    # too, Djanet the capital of the Tassili too
    assert "wilaya:9" not in story_key("حريق في مدينة الورود الطائف").places
    assert "wilaya:9" not in story_key("Taïf, la ville des roses, accueille son festival").places
    assert "wilaya:33" not in story_key("السياح يعودون إلى عاصمة الطاسيلي").places
    # unqualified, or qualified as Algerian, they still are
    assert {"wilaya:25"} <= story_key("capitale de l'Est algérien : coupure d'électricité").places
    assert {"wilaya:6"} <= story_key("مهرجان المسرح بعاصمة الحماديين").places
    assert {"wilaya:19"} <= story_key("ثلوج بعاصمة الهضاب العليا").places


def test_a_communes_name_that_is_a_common_word_is_no_place():
    assert story_key("الكناري يفوز في الرابطة الأولى").places == set()  # الرابطة: the league


def test_french_numbers_in_words_and_digits_read_alike():
    assert story_key("Deux cent mille logements livrés").numbers == story_key("200 000 logements livrés").numbers == {"200000"}
    assert story_key("Quatre-vingt-dix candidats retenus").numbers == {"90"}
    assert story_key("Un million de tonnes").numbers == story_key("1 million de tonnes").numbers == {"1000000"}
    assert story_key("Un accord signé").numbers == set()  # "un" alone is "a"


def test_an_arabic_and_a_french_headline_of_one_event_are_one_story():
    # Never compared until the two languages were measured (tests/test_bilingual_stories.py):
    # one event, two alerts.  Another wilaya is still another event.
    assert joined("وفاة شخصين في حادث مرور بالأغواط", "Deux morts dans un accident de la route à Laghouat")
    assert not joined("وفاة شخصين في حادث مرور بالأغواط", "Deux morts dans un accident de la route à Djelfa")


def test_the_same_words_more_than_a_day_later_are_another_event():
    first, second = "النعامة: تساقط كميات معتبرة من البرد", "تساقط كميات معتبرة من البرد على النعامة"
    assert joined(first, second, minutes=60)
    assert not joined(first, second, minutes=2000)


def test_numbers_with_a_half():
    assert story_key("الوادي: مليونان ونصف مليون طن من البطاطا").numbers == {"2500000"}
    assert story_key("إنتاج 2.5 مليون طن").numbers == story_key("إنتاج مليونين ونصف").numbers == {"2500000"}
    assert story_key("نصف مليون طن").numbers == {"500000"}
    assert story_key("الدور نصف النهائي").numbers == set()


def test_hundreds_and_thousands_in_two_words_and_in_the_dual():
    # ست مئة أسرة is 600 families, not a hundred (and ست alone, "lady", is no number)
    assert story_key("إعادة إسكان ست مئة أسرة من حي سيدي الهواري").numbers == {"600"}
    assert story_key("ثلاث مائة عائلة تستفيد من السكن").numbers == story_key("300 عائلة تستفيد من السكن").numbers
    assert story_key("ثلاث مئة وخمسون مسكنا").numbers == {"350"}
    assert story_key("ست سيدات يتوجن بجائزة").numbers == set()
    # ألفا before what it counts is two thousand (the dual); after a number, or alone, ×1,000
    assert story_key("ألفا أسرة تتسلم مفاتيح شققها").numbers == {"2000"}
    assert story_key("البكالوريا: 862 ألفا و312 مترشحا").numbers == {"862312"}
    assert story_key("الجامعة تستقبل مليونا و800 ألف طالب").numbers == {"1800000"}
    assert story_key("20 ألفا من المشجعين في الملعب").numbers == {"20000"}
    assert story_key("المعرض استقبل ألفا من الزوار").numbers == {"1000"}
    # one event told in digits and in words is compared, and joined
    assert joined("أكثر من 2000 عائلة تستفيد من السكن الاجتماعي بعين تموشنت", "ألفا أسرة تتسلم مفاتيح شققها في عين تموشنت")


def test_the_dual_counts_only_a_plain_noun_after_it():
    # before a preposition, or at a sentence's end, ألفا، مليونا، مليارا are one thousand, million,
    # billion
    assert story_key("البلدية تخصص مليارا لإصلاح الطرق").numbers == {"1000000000"}
    assert story_key("الوزارة تخصص مليونا لكل بلدية").numbers == {"1000000"}
    assert "1000" in story_key("استقبل ألفا خلال يومين").numbers
    assert story_key("المعرض استقبل ألفا. الوزير يشيد").numbers == {"1000"}
    assert joined("البلدية تخصص مليارا لإصلاح الطرق بوهران", "البلدية تخصص مليار دينار لإصلاح الطرق بوهران")
    assert joined("الوزارة تخصص مليونا لكل بلدية لتهيئة المدارس", "الوزارة تخصص مليون دينار لكل بلدية لتهيئة المدارس")
    assert joined("المعرض الدولي يستقبل ألفا خلال يومه الأول", "المعرض الدولي يستقبل 1000 زائر خلال يومه الأول")
    # a counted noun that begins with و is no conjunction: the dual (و and a number still is)
    assert story_key("توزيع ألفا وحدة سكنية بوهران").numbers == {"2000"}
    assert story_key("فتح ألفا وظيفة في قطاع التربية").numbers == {"2000"}
    assert story_key("ألفا وثيقة رقمية").numbers == {"2000"}
    assert story_key("الوزارة تخصص ألفا و300 منصب").numbers == {"1300"}
    assert story_key("الوزارة تخصص ألفا وثلاثمائة منصب").numbers == {"1300"}


def test_a_hundred_after_its_unit_is_its_hundreds_only_bare():
    # with و the hundred is added (سبعة ومئة: 107), and after ألف و six hundred is 600 in two
    # words as in one
    assert story_key("سبعة ومئة مسكن").numbers == {"107"}
    assert story_key("ألف وسبعة ومائة مسكن").numbers == {"1107"}
    assert story_key("ترحيل ألف وست مئة أسرة").numbers == story_key("ترحيل ألف وستمائة أسرة").numbers == {"1600"}


def test_power_said_in_gigawatts_or_in_megawatts_is_one_figure():
    # 18 GW and 18,000 MW name one number (the figure in megawatts is read too); 10 جيغا alone is
    # an internet bundle's gigabytes, no power
    assert story_key("ذروة استهلاك الكهرباء تبلغ 18 غيغاواط").numbers == {"18", "18000"}
    assert story_key("ذروة استهلاك بـ18 ألف ميغا واط").numbers == {"18000"}
    assert story_key("Une centrale de 1,5 GW").numbers == {"1.5", "1500"}
    assert story_key("موبيليس تطلق باقة 10 جيغا").numbers == {"10"}
    # every spelling: غ or ج, واط or وات, one word or two
    for said in ("3 غيغا وات", "3 جيغاوات", "3 غيغاواط", "3 آلاف ميجا واط", "3000 ميغاوات"):
        assert "3000" in story_key(f"محطة كهربائية بقدرة {said}").numbers
    assert story_key("مولد بقدرة 3 كيلو وات").numbers == story_key("مولد بقدرة 3 كيلوواط").numbers == {"3", "0.003"}
    # one event told in both units is compared, and joined (numbers all different before)
    assert joined("سونلغاز: ذروة استهلاك الكهرباء تبلغ 18 غيغاواط", "ذروة قياسية في استهلاك الكهرباء بـ18 ألف ميغاواط")
    assert joined("Sonelgaz : un pic de consommation de 18 GW", "Pic de consommation record de 18 000 MW pour Sonelgaz")
    assert not joined("ذروة استهلاك الكهرباء تبلغ 18 غيغاواط", "ذروة استهلاك الكهرباء تبلغ 16 ألف ميغاواط")


def test_a_title_names_the_person_after_it():
    # (a family name folded, marked with its last letter written: see news.story_key._surname)
    assert story_key("اللواء قايدي يشرف على تخرج دفعات بالأكاديمية العسكرية").persons == {"قايد|ي"}
    assert not joined(
        "اللواء قايدي يشرف على تخرج دفعات بالأكاديمية العسكرية لشرشال",
        "اللواء مزيان يشرف على تخرج دفعات بالأكاديمية العسكرية لشرشال",
    )
    # «على» is spelt like the name علي once normalized: what follows it is no person
    # (a name guessed from where it stands, before a verb: marked so, see news.story_key.GUESSED)
    assert story_key("شنقريحة يشرف على تنفيذ تمرين").persons == {GUESSED + "شنقريح|ه"}


def test_headlines_that_say_little_are_joined_by_their_bodies_first_sentences():
    first, second = "بيتكوفيتش يكشف عن قائمته", "قائمة الخضر لمواجهة الموزمبيق"
    first_body = "كشف الناخب الوطني فلاديمير بيتكوفيتش عن قائمة تضم 25 لاعبا لمواجهة الموزمبيق. وعرفت القائمة عودة بعض الأسماء."
    second_body = "أعلن الناخب الوطني بيتكوفيتش قائمة من 25 لاعبا تحسبا لمواجهة منتخب الموزمبيق في تصفيات كأس العالم."
    assert not joined(first, second)
    assert joined(first, second, first_body=first_body, second_body=second_body)


@LEARNT_MISS
def test_a_teasers_event_told_in_its_first_sentences_joins_the_plain_headline():
    teaser, body = "بيان هام من وزارة التربية", "أعلنت وزارة التربية الوطنية تأجيل الامتحانات الفصلية إلى ما بعد العطلة الشتوية."
    plain = "وزارة التربية تعلن تأجيل الامتحانات الفصلية"
    assert joined(teaser, plain, first_body=body) and joined(plain, teaser, second_body=body)
    matcher = StoryMatcher()
    matcher.assign(1, story_key(teaser, body), NOW)
    assert matcher.assign(2, story_key(plain), NOW + timedelta(minutes=20)) == 1


def test_bodies_settle_the_places_their_headlines_leave_open():
    # Each headline names another place (the camp; the opponent); both bodies name both.
    first, second = "انطلاق تربص المنتخب الوطني بسيدي موسى", "الخضر يشرعون في التحضير لمواجهة غينيا"
    first_body = "شرع المنتخب الوطني صبيحة اليوم في تربصه بمركز سيدي موسى تحضيرا لمواجهة غينيا في تصفيات كأس العالم."
    second_body = "انطلق تربص الخضر بمركز سيدي موسى اليوم تحسبا لمواجهة منتخب غينيا ضمن تصفيات المونديال."
    assert not joined(first, second)
    assert joined(first, second, first_body=first_body, second_body=second_body)
    # Dull headlines, one template, and bodies telling two wilayas: two events.
    body = "لقي ثلاثة أشخاص حتفهم في حادث اصطدام سيارتين على الطريق الوطني رقم 1 {} ليلة أمس حسب الحماية المدنية."
    assert not joined(
        "فاجعة على الطريق الوطني", "حادث مأساوي على الطريق الوطني",
        first_body=body.format("بالأغواط"), second_body=body.format("بالجلفة"),
    )


# One APS dispatch, run by two outlets as it came: the same headline, the same body.
WIRE_TITLE = "مجلس الوزراء يصادق على مشروع قانون جديد يتعلق بالبلدية والولاية"
WIRE_BODY = (
    "صادق مجلس الوزراء، خلال اجتماعه الدوري المنعقد أمس برئاسة رئيس الجمهورية، على مشروع القانون المتعلق "
    "بالبلدية والولاية، الذي يُرتقب أن يُحال على البرلمان بغرفتيه خلال الدورة الحالية. ويهدف النص الجديد إلى "
    "توسيع صلاحيات المجالس المنتخبة في مجال التنمية المحلية، ومنحها هامشا أكبر في تسيير الموارد المالية "
    "وإبرام اتفاقيات الشراكة."
)


def test_the_same_article_run_by_two_outlets_is_one_story():
    # A wire copy is one story ("+1 source"), not two alerts for one event; the next day, past
    # 30 hours, the same dispatch run again is a new one (a bulletin reissued).
    assert joined(WIRE_TITLE, WIRE_TITLE, minutes=1, first_body=WIRE_BODY, second_body=WIRE_BODY)
    assert joined(WIRE_TITLE, WIRE_TITLE, minutes=20 * 60, first_body=WIRE_BODY, second_body=WIRE_BODY)
    assert not joined(WIRE_TITLE, WIRE_TITLE, minutes=31 * 60, first_body=WIRE_BODY, second_body=WIRE_BODY)
    matcher = StoryMatcher()
    matcher.assign(1, story_key("أمطار رعدية على العديد من ولايات الوطن"), NOW)
    assert matcher.assign(2, story_key(WIRE_TITLE, WIRE_BODY), NOW) == 2
    assert matcher.assign(3, story_key(WIRE_TITLE, WIRE_BODY), NOW + timedelta(minutes=10)) == 2


@pytest.mark.parametrize(
    "retold", [f"{WIRE_TITLE} اليوم", f"عاجل: {WIRE_TITLE}", f"بالفيديو.. {WIRE_TITLE}"], ids=["today", "urgent", "video"]
)
def test_a_copy_whose_headline_adds_a_word_that_says_nothing_is_one_story(retold):
    assert joined(WIRE_TITLE, retold, first_body=WIRE_BODY, second_body=WIRE_BODY)
    matcher = StoryMatcher()
    matcher.assign(1, story_key(WIRE_TITLE, WIRE_BODY), NOW)
    assert matcher.assign(2, story_key(retold, WIRE_BODY), NOW + timedelta(minutes=40)) == 1


# An outlet's standing opening, longer than a lead: what follows it tells the event.
OUTLET_OPENING = (
    "تابعوا معنا آخر المستجدات لحظة بلحظة عبر موقعنا وصفحاتنا على مواقع التواصل الاجتماعي، حيث ينقل "
    "لكم فريق التحرير كل ما يصلنا من أخبار عاجلة وتطورات ميدانية من مختلف ولايات الوطن ومن خارجه على مدار "
    "الساعة. "
)


@pytest.mark.parametrize(
    "headline",
    ["عاجل", "بالفيديو..", "URGENT", "بيان هام", "آخر المستجدات لحظة بلحظة", "URGENT: Dernières informations importantes"],
)
def test_a_headline_that_says_little_over_an_outlets_opening_is_no_copy(headline):
    # Two breaking items an outlet titled alike: the same headline and the same first sentences
    # (its standing opening), yet two events abroad (a quake, floods), which no wilaya tells apart.
    quake = OUTLET_OPENING + "زلزال بقوة 6.1 درجات يضرب جنوب تركيا ويخلف عشرات الجرحى وأضرارا مادية كبيرة."
    floods = OUTLET_OPENING + "فيضانات عارمة تجتاح شمال إيطاليا وتجبر السلطات على إجلاء آلاف السكان."
    assert not joined(headline, headline, minutes=20, first_body=quake, second_body=floods)
    matcher = StoryMatcher()
    matcher.assign(1, story_key(headline, quake), NOW)
    assert matcher.assign(2, story_key(headline, floods), NOW + timedelta(minutes=20)) == 2


def test_a_match_report_template_with_its_teams_past_the_lead_is_no_copy():
    opening = (
        "إليكم ملخص وأهداف المباراة التي جرت مساء اليوم في إطار الجولة الخامسة عشرة من بطولة الرابطة المحترفة "
        "الأولى موبيليس، والتي عرفت حضورا جماهيريا كبيرا وأجواء احتفالية في المدرجات طيلة أطوار اللقاء. "
    )
    title = "ملخص وأهداف مباراة اليوم"
    first = opening + "وفاز شباب رياض القبة على ضيفه أولمبي الشلف بهدفين مقابل صفر."
    second = opening + "وتعادل مولودية الجزائر مع اتحاد العاصمة بهدف لمثله في الداربي."
    assert not joined(title, title, minutes=90, first_body=first, second_body=second)


def test_a_daily_bulletin_is_a_new_story_each_day():
    # The same headline and the same opening every day, the day's figures past the lead.
    bulletin = (
        "أعلنت وزارة الصحة في بيانها اليومي حول الوضعية الوبائية عبر التراب الوطني، استنادا إلى المعطيات "
        "المسجلة من طرف مصالح المراقبة والمتابعة في كل الولايات خلال الأربع والعشرين ساعة الأخيرة، عن تسجيل "
        "{} حالة جديدة و{} حالات شفاء."
    )
    title = "الحصيلة اليومية للوضعية الوبائية عبر التراب الوطني"
    assert not joined(
        title, title, minutes=24 * 60, first_body=bulletin.format(112, 97), second_body=bulletin.format(131, 88)
    )


def test_two_events_told_in_one_template_with_one_body_are_two_stories():
    # An outlet's boilerplate for a body (or a dispatch's template) does not make two wilayas'
    # or two figures' events one.
    boilerplate = (
        "أفادت مصالح الحماية المدنية في بيان لها أن فرقها تدخلت على الفور لإسعاف الضحايا ونقلهم إلى أقرب مستشفى، "
        "فيما فتحت المصالح المختصة تحقيقا لتحديد ملابسات الحادث وأسبابه، داعية مستعملي الطريق إلى الحذر واحترام "
        "قانون المرور."
    )
    for first, second in (
        ("وفاة 3 أشخاص في حادث مرور بولاية الأغواط", "وفاة 3 أشخاص في حادث مرور بولاية الجلفة"),
        ("وفاة 3 أشخاص في حادث مرور بولاية الأغواط", "وفاة 5 أشخاص في حادث مرور بولاية الأغواط"),
    ):
        assert not joined(first, second, first_body=boilerplate, second_body=boilerplate)
        matcher = StoryMatcher()
        matcher.assign(1, story_key(first, boilerplate), NOW)
        assert matcher.assign(2, story_key(second, boilerplate), NOW + timedelta(minutes=30)) == 2
    # One headline, the template's body telling two wilayas: two events.
    template = (
        "تمكنت مصالح الدرك الوطني {} من حجز كمية معتبرة من المخدرات وتوقيف ثلاثة أشخاص، حسب ما أفاد به بيان "
        "للمجموعة الإقليمية، وقد تم تقديم المشتبه فيهم أمام الجهات القضائية المختصة، فيما تتواصل التحريات."
    )
    headline = "حجز كمية معتبرة من المخدرات وتوقيف ثلاثة أشخاص"
    assert not joined(headline, headline, first_body=template.format("بوهران"), second_body=template.format("بعنابة"))


def test_a_restart_remembers_each_article_by_the_key_ingestion_gave_it():
    """Ingestor.open and `akhbar stories-rebuild` read stored articles again: each one's key is
    the one make_article gave it — its lead's places read with the text around them, its
    text's digest — so after a restart the next articles are filed as the running process
    would have filed them.  (Read from the lead's words alone, 199 of the labelled sets' 796
    bodies had another key.)"""
    articles = 0
    for path in sorted((DATA / "stories").glob("*.jsonl")):
        for pair in load_pairs(path):
            for title, body in ((pair.first, pair.first_body), (pair.second, pair.second_body)):
                if body:
                    for stored in (make_article(title=title, body=body, source="أ"),
                                   make_article(title=title, summary=body, source="أ"),
                                   make_article(title=title, body="\n\n".join([body] * 30), source="أ")):
                        assert article_story_key(stored.title, stored.body, stored.summary) == stored.story_key
                    articles += 1
    assert articles >= 700


def test_numbers_read_alike_in_digits_and_in_words():
    assert story_key("استيراد خمسة عشر ألف طن").numbers == story_key("استيراد 15 ألف طن").numbers == {"15000"}
    assert story_key("توزيع 1.500 مسكن").numbers == {"1500"}
    assert story_key("هزة بقوة 3.5 درجات").numbers == {"3.5"}
    assert story_key("سبعين مليار دولار").numbers == {"70000000000"}


def test_numbers_of_several_parts_per_cent_and_ordinals():
    assert story_key("بيع مليون و200 ألف كتاب").numbers == story_key("بيع 1.2 مليون كتاب").numbers == {"1200000"}
    assert story_key("خسائر بمليار و500 مليون دينار").numbers == story_key("خسائر ب1.5 مليار دينار").numbers
    assert story_key("ربع مليون زائر").numbers == {"250000"}
    # per cent ends a number: 56 بالمائة is 56, not 156
    assert story_key("نسبة النجاح 56 بالمائة").numbers == story_key("نسبة النجاح 56%").numbers == {"56"}
    assert story_key("الطبعة الخامسة عشرة للمعرض").numbers == story_key("الطبعة 15 للمعرض").numbers == {"15"}
    assert story_key("وفاة ثلاثة أشخاص").numbers == {"3"}
    # "first" and "second" count after a noun of a sequence only; a lone "one" or Monday is no count
    assert story_key("دفع الشطر الثاني").numbers == {"2"}
    assert story_key("الدور الأول").numbers == {"1"}
    assert story_key("لأول مرة").numbers == story_key("اجتماع الاثنين").numbers == story_key("الوزير الأول").numbers == set()


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("افتتاح مهرجان وهران للفيلم العربي", "اختتام مهرجان وهران للفيلم العربي"),
        ("تأجيل محاكمة الوزير السابق إلى الأسبوع المقبل", "انطلاق محاكمة الوزير السابق"),
        ("توقيف قاتل شاب بالبليدة", "الحكم بالإعدام على قاتل شاب بالبليدة"),
        ("مولودية الجزائر تواجه اتحاد الجزائر في البطولة", "مولودية الجزائر تواجه اتحاد الجزائر في كأس الجمهورية"),
        ("إصابة 5 أشخاص في حادث مرور بباتنة", "وفاة 5 أشخاص في حادث مرور بباتنة"),
        ("الوفاق يتعادل مع الشبيبة في سطيف", "الوفاق يفوز على الشبيبة في سطيف"),
        ("Ouverture du festival international du film d'Oran", "Clôture du festival international du film d'Oran"),
    ],
)
def test_two_steps_of_one_thread_are_two_stories(first, second):
    assert not joined(first, second)


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        # a capital and its country, a country and its adjective, a town and its wilaya
        ("واشنطن تفرض عقوبات جديدة على شركات صينية", "الولايات المتحدة تفرض عقوبات جديدة على شركات صينية", True),
        ("توزيع 500 مسكن بمغنية", "تلمسان: توزيع 500 وحدة سكنية", True),
        ("الرئيس التونسي يستقبل وزير الخارجية", "رئيس تونس يستقبل وزير الخارجية", True),
        # a verb of the lexicon's wider groups, a score in a word and in digits
        ("هلاك شاب غرقا بشاطئ تيشي", "غرق شاب بشاطئ تيشي في بجاية", True),
        ("الخضر يفوزون على أوغندا بثلاثية نظيفة", "المنتخب الوطني يهزم أوغندا 3-0", True),
        ("الصين تبرم اتفاقية تعاون مع الجزائر في مجال الطاقة", "توقيع مذكرة تفاهم بين الجزائر والصين في مجال الطاقة", True),
        # whom an act is with: a country said by its name or adjective, a name said in part
        ("سونلغاز توقع اتفاقية مع شركة صينية لإنجاز محطة كهرباء", "سونلغاز تبرم اتفاقا مع الصين لإنجاز محطة كهرباء", True),
        ("بن سبعيني يمدد عقده مع دورتموند", "رامي بن سبعيني يجدد عقده مع بوروسيا دورتموند", True),
        ("سوناطراك توقع عقدا مع شركة آسيوية", "سوناطراك تبرم اتفاقا مع إيطاليا حول الأنابيب", False),
        # near-identical names that fold alike are two people; a name with a clitic is one
        ("إصابة زروقي تبعده عن الملاعب ثلاثة أسابيع", "إصابة زروق تبعده عن الملاعب ثلاثة أسابيع", False),
        ("محرز يقود الأهلي للفوز على الهلال", "رياض محرز يسجل ويمنح الأهلي الانتصار أمام الهلال", True),
        # two organisations known by their own names, two sports' federations
        ("البنك الوطني الجزائري يرفع رأسماله", "القرض الشعبي الجزائري يرفع رأسماله", False),
        ("الاتحادية الجزائرية لكرة القدم تعقد جمعيتها العامة", "الاتحادية الجزائرية للملاكمة تعقد جمعيتها العامة", False),
    ],
)
def test_places_said_otherwise_and_organisations_named_by_their_own_names(first, second, same):
    assert joined(first, second) is same


def test_the_bar_rises_with_the_time_between_two_headlines():
    # Near-identical bulletins a few hours apart are one story; two days apart, two.
    first, second = "نشرية خاصة: أمطار غزيرة على ولايات الشرق", "نشرية خاصة: أمطار غزيرة مرتقبة على ولايات الشرق"
    assert joined(first, second, minutes=4 * 60)
    assert not joined(first, second, minutes=2 * 24 * 60)
    assert not joined(first, first, minutes=int(WINDOW.total_seconds() // 60) + 1)


def test_the_labelled_pairs_keep_the_measured_figures():
    # Measured (docs/stories-lab.md) with the hand-written rules: dev 202/205 joined, 3/198 merged;
    # the first held-out set (read once, then tuned on) 40/40 joined, 0/40 merged; the second
    # (read once blind: 41/50, 9/50; tuned on since) 50/50 joined, 0/50 merged.  The learnt
    # decision, trained on every set: dev 201/205, 0/198; holdout 40/40, 0/40; holdout2 48/50,
    # 0/50 (three joins fewer, paid for on the sets it never saw: LEARNT_MISS above).
    dev = evaluate(load_pairs(DATA / "stories" / "dev.jsonl"))
    holdout = evaluate(load_pairs(DATA / "stories" / "holdout.jsonl"))
    holdout2 = evaluate(load_pairs(DATA / "stories" / "holdout2.jsonl"))
    assert dev.same_pairs >= 205 and dev.different_pairs >= 198
    assert holdout.same_pairs >= 40 and holdout.different_pairs >= 40
    assert dev.joined >= 201 and dev.false_merges == 0
    assert holdout.joined >= 40 and holdout.false_merges == 0
    assert holdout2.joined >= 48 and holdout2.false_merges == 0


# The held-out sets, each read once, blind, then kept from getting worse: name → (pairs of each
# label, joined at least, merged at most).  Their stories (tests/data/stories/README.md):
BLIND_SET_FLOORS = {
    # Read once, blind, with the matcher frozen at 994e498 (docs/stories-lab.md): 25/50 joined, 13/50
    # merged (main of 6f21a0d: 20/50, 15/50).  Then a validation set, never tuned on (totals
    # only, four runs): 33/50 joined, 9/50 merged at c130a48; 34/50, 8/50 after the generalizing
    # of 6 Dec morning, 34/50, 7/50 after train5, 35/50, 7/50 with the paraphrase bar (still
    # never tuned on).  The learnt decision: 37/50, 4/50 left out of its training, 41/50, 2/50
    # trained on every set.
    "holdout3": (50, 41, 2),
    # Written blind on 6 Dec and read once, blind, at 03:38 UTC with the matcher frozen at
    # 801fa94: 61/80 joined, 17/80 merged (the matcher of 41970ee, before that day's work: 46/80,
    # 21/80).  Spent since, studied and tuned on (broad rules only): 73/80, 0/80.  The learnt
    # decision: 70/80, 0/80 left out of its training, 77/80, 0/80 trained on every set.
    "holdout4": (80, 77, 0),
    # Written blind on 6 Dec and read once, blind, at 06:35 UTC with the matcher frozen at
    # fb8078d: 46/80 joined, 16/80 merged (d2bde1a's matcher: 41/80, 20/80; 41970ee's: 34/80,
    # 22/80).  The learnt decision: 53/80, 3/80 left out of its training
    # (tests/test_story_learning.py), 59/80, 1/80 trained on every set.
    "holdout5": (80, 59, 1),
    # Written blind on 6 Dec at 17:50-17:55 UTC and read once, blind, at 19:09 UTC with the
    # matcher frozen at 13c21ce (the learnt decision): 51/80 joined, 5/80 merged; the
    # hand-written rules it replaced, on the same file: 45/80, 12/80.  Not trained on.
    "holdout6": (80, 51, 5),
    # Written blind on 6 Dec at 20:22-20:29 UTC, its same-event pairs worded as two journalists
    # would, and read once, blind, at 21:40 UTC with the matcher frozen at 5e29b64 (the learnt
    # decision of 13c21ce): 35/80 joined, 11/80 merged; the rules, on the same file: 32/80,
    # 19/80.  17 of its 80 same-event pairs were then never compared (the first headline not
    # among the second's candidates: too few words shared, or numbers all different, some of them
    # numbers misread).  Not trained on.  Two hundreds and thousands read in words (ست مئة أسرة،
    # ألفا أسرة: 600 and 2,000, read as 100 and 1,000) kept two of its pairs from being compared:
    # 37/80, 11/80; with power in gigawatts read in megawatts too (0f1ab8d), 14 never compared.
    "holdout7": (80, 37, 11),
    # Written blind on 6 Dec at 23:26-23:30 UTC by two writers at once, and read blind with
    # the matcher frozen twice: at c0cf3cc, before that night's reading fixes, 35/80 joined, 9/80
    # merged (the rules 28/80, 13/80); at 5779678, after them, the same 35/80, 9/80, 15 of its
    # same-event pairs never compared.  Not trained on.
    "holdout8": (80, 35, 9),
    # Written blind on 7 Dec at 02:23-02:26 UTC by two writers at once, and read blind at 02:27
    # UTC with the matcher frozen at 935aa0e: 35/80 joined, 6/80 merged (the rules 30/80, 9/80),
    # 12 of its same-event pairs never compared.  Read once more, blind, with trees retrained on
    # train7a/b and train9a/b (fef8abe, not shipped: docs/stories-lab.md): 38/80, 6/80.  Not trained on.
    "holdout9": (80, 35, 6),
    # French against Arabic (news.story_bilingual), written blind on 7 Dec at 20:51-21:10 UTC
    # and read once, blind, at 21:22 UTC with the matcher frozen at f69870e: 19/40 joined, 2/40
    # merged (the matcher before never compared the two languages: 0/40, 0/40).  Then
    # StoryMatcher.find was made to judge the other language's headlines its own words found, as
    # `candidates` offers them (test_story_learning's find-as-similarity test, not this set,
    # asked for it): 21/40, 2/40.  Not tuned on.
    "xl_holdout": (40, 21, 2),
}


@pytest.mark.parametrize("name", sorted(BLIND_SET_FLOORS))
def test_the_held_out_sets_keep_their_blind_figures(name):
    # Far from the 90% and 1 merge in 80 on most: this keeps each set from getting worse.
    size, joined, merged = BLIND_SET_FLOORS[name]
    figures = evaluate(load_pairs(DATA / "stories" / f"{name}.jsonl"))
    assert figures.same_pairs == figures.different_pairs == size
    assert figures.joined >= joined and figures.false_merges <= merged


# The training sets, written by helpers who never saw the matcher (tests/data/stories/README.md),
# kept from getting worse: name → (same-event pairs, different-event pairs, joined at least,
# merged at most).
TRAINING_SET_FLOORS = {
    # First read untouched: 56/94 joined, 28/96 merged with the matcher of 4e08d51 (54/94, 29/96
    # with 801fa94's).  Tuned on since: 73/94, 2/96 with the rules; the learnt decision 66/94,
    # 1/96 left out of its training, 76/94, 0/96 trained on every set.
    "train5": (94, 96, 76, 0),
    # Written on 6 Dec by two helpers; first read with the rules untouched: train6a 43/73 joined,
    # 15/76 merged; train6b 52/78, 24/76.  The learnt decision: 51/73, 10/76 and 56/78, 8/76 left
    # out of its training; 56/73, 2/76 and 64/78, 3/76 trained on every set.
    "train6a": (73, 76, 56, 2),
    "train6b": (78, 76, 64, 3),
    # Written on 6 Dec, 20:22-20:29 UTC, by two helpers, weighted towards the kinds it misses;
    # first read untouched with the learnt decision of 3e91d72, which was not trained on them:
    # train7a 42/89 joined, 5/86 merged; train7b 40/87, 10/89 (every one of the 40 "plain" pairs
    # missed); train7b 41 since the wilayas' seats are read by the names the press gives them
    # (7b6bcda).
    "train7a": (89, 86, 42, 5),
    "train7b": (87, 89, 41, 10),
    # Written on 7 Dec by two writers who saw no code, worded apart like holdout7; first read
    # untouched with the shipped trees, which were not trained on them: train9a 14/43 joined,
    # 1/43 merged; train9b 18/42, 2/43.
    "train9a": (43, 43, 14, 1),
    "train9b": (42, 43, 18, 2),
    # French against Arabic, written blind on 7 Dec for tuning the two languages' joining
    # (news.story_bilingual); first read with the matcher before, which never compared them:
    # 0/40 joined, 0/40 merged.  Tuned on (the bars of news.stories.bilingual_similarity): 28/40, 2/40;
    # 1/40 merged since the countries French keys do not read are read across (Slovaquie / سلوفينيا).
    "xl_dev": (40, 40, 28, 1),
}


@pytest.mark.parametrize("name", sorted(TRAINING_SET_FLOORS))
def test_the_training_sets_keep_their_figures(name):
    same, different, joined, merged = TRAINING_SET_FLOORS[name]
    figures = evaluate(load_pairs(DATA / "stories" / f"{name}.jsonl"))
    assert (figures.same_pairs, figures.different_pairs) == (same, different)
    assert figures.joined >= joined and figures.false_merges <= merged


def test_stories_eval_prints_recall_false_merges_and_the_misses(tmp_path, capsys):
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(
        "\n".join(
            json.dumps(pair, ensure_ascii=False)
            for pair in (
                {"same": True, "kind": "verb", "a": "تعيين سليم حداد مديرا لبنك الفلاحة", "b": "تنصيب سليم حداد على رأس بنك الفلاحة"},
                # told apart by their bodies only: the headlines alone are judged the same
                {"same": False, "kind": "body", "a": "المنتخب الوطني يدخل في تربص", "b": "انطلاق تربص المنتخب الوطني"},
                # one event worded apart: sharing one word, never compared
                {"same": True, "kind": "plain", "a": "ثلوج كثيفة تقطع عدة طرق في ولاية البويرة", "b": "انسداد مسالك جبلية بتيكجدة بسبب تساقط الثلج"},
            )
        ),
        encoding="utf-8",
    )
    assert main(["stories-eval", "--show", str(pairs)]) == 0
    out = capsys.readouterr().out
    assert "recall (same event joined):       1/2" in out and "false merges (different joined):  1/1" in out
    assert "never compared (same event):      1/2" in out
    assert "recall" in out and "false merges" in out and "merged, by kind" in out
    assert "  merged [" in out


def test_stories_eval_says_which_line_is_not_a_pair(tmp_path, capsys):
    bad = tmp_path / "pairs.jsonl"
    bad.write_text('{"same": true, "kind": "verb", "a": "x", "b": "y"}\n{"a": 1}\n', encoding="utf-8")
    assert main(["stories-eval", str(bad)]) == 2
    assert "line 2" in capsys.readouterr().err


def test_a_headline_naming_a_number_joins_one_naming_none_until_that_one_is_forgotten():
    # A headline naming a number looks for the ones naming none in postings of their own
    # (StoryMatcher): forgetting a headline (its batch was not stored) takes it out of those too.
    unnumbered, numbered = "انقطاع التيار الكهربائي في عدة أحياء بوهران", "انقطاع التيار الكهربائي في 5 أحياء بوهران"
    matcher = StoryMatcher()
    matcher.assign(1, story_key(unnumbered), NOW)
    assert matcher.assign(2, story_key(numbered), NOW + timedelta(hours=1)) == 1
    assert matcher.assign(3, story_key("انقطاع التيار الكهربائي في 7 أحياء بوهران"), NOW + timedelta(hours=1)) == 1
    matcher.forget([1, 2, 3])
    assert matcher.assign(4, story_key(numbered), NOW + timedelta(hours=1)) == 4


def test_a_retelling_long_after_is_a_new_story():
    matcher = StoryMatcher()
    matcher.assign(1, story_key(SAIDAL_A), NOW)
    assert matcher.assign(2, story_key(SAIDAL_B), NOW + timedelta(days=5)) == 2


def test_headlines_dated_at_the_ends_of_time_are_filed_without_an_overflow():
    # make_article refuses such dates, but the matcher files whatever a restart or
    # `stories-rebuild` reads from the archive (before: OverflowError from the window's start).
    matcher = StoryMatcher()
    first = datetime(1, 1, 2, tzinfo=UTC)
    assert matcher.assign(1, story_key(SAIDAL_A), first) == 1
    assert matcher.assign(2, story_key(SAIDAL_B), first + timedelta(hours=1)) == 1
    assert matcher.assign(3, story_key(SAIDAL_B), datetime(9999, 12, 31, 23, 59, tzinfo=UTC)) == 3
    assert matcher.assign(4, story_key(SAIDAL_A), NOW) == 4  # year 1 is long forgotten


async def test_listing_shows_the_story_once_with_its_sources_and_read_offers_the_others(db):
    repo = ArticleRepository(db)
    ingestor = await Ingestor.open(repo, now=NOW)
    first, second, other = await ingestor.add_many(
        [
            make_article(title=SAIDAL_A, source="وكالة", published_at=NOW),
            make_article(title=SAIDAL_B, source="جريدة", published_at=NOW + timedelta(minutes=30)),
            make_article(title=SAME_NAME, source="جريدة", published_at=NOW - timedelta(hours=1)),
        ]
    )
    stories = await repo.latest_stories(10)
    assert [(a.id, a.story_size) for a in stories] == [(first, 2), (other, 1)]
    assert [a.id for a in (await repo.story(first)).versions] == [first, second]
    # A new process remembers recent stories from the database.
    reopened = await Ingestor.open(repo, now=NOW)
    (third,) = await reopened.add_many([make_article(title=SAIDAL_B, source="إذاعة", published_at=NOW)])
    assert (await repo.latest_stories(1))[0].story_size == 3
    assert third in [a.id for a in (await repo.story(first)).versions]


async def test_a_batch_that_fails_to_store_leaves_no_story_behind(db, monkeypatch):
    repo = ArticleRepository(db)
    ingestor = await Ingestor.open(repo, now=NOW)
    real_executemany = type(db.conn).executemany

    def failing_index(conn, sql, rows):
        if sql.startswith("INSERT INTO article_search"):
            raise OSError("disk full")
        return real_executemany(conn, sql, rows)

    monkeypatch.setattr(type(db.conn), "executemany", failing_index)
    with pytest.raises(OSError):
        await ingestor.add_many([make_article(title=SAIDAL_A, source="وكالة", published_at=NOW)])
    monkeypatch.undo()
    # The failed batch's id is given again, to an unrelated headline: a retelling of the
    # failed one must not join it.
    (other,) = await ingestor.add_many([make_article(title=SAME_NAME, source="جريدة", published_at=NOW)])
    (retelling,) = await ingestor.add_many([make_article(title=SAIDAL_B, source="جريدة", published_at=NOW)])
    assert [(a.id, a.story_size) for a in await repo.latest_stories(10)] == [(retelling, 1), (other, 1)]


async def test_regrouping_files_an_archive_again_in_pages_on_both_engines(engine_db):
    from news.regrouping import regroup_stories

    repo = ArticleRepository(engine_db)
    # Stored by an older rule that grouped nothing: every article its own story.
    stored = await repo.add_many(
        [
            make_article(title="تعيين سليم حداد مديرا عاما لبنك الفلاحة", source="وكالة", published_at=NOW),
            make_article(title="وفاة شخصين في حادث مرور بالأغواط", source="وكالة", published_at=NOW + timedelta(minutes=5)),
            make_article(title="وفاة شخصين في حادث مرور بالبيض", source="جريدة", published_at=NOW + timedelta(minutes=10)),
            make_article(title="تنصيب سليم حداد على رأس بنك الفلاحة والتنمية الريفية", source="جريدة",
                         published_at=NOW + timedelta(minutes=30)),
            make_article(title="تنصيب سليم حداد على رأس بنك الفلاحة والتنمية الريفية", source="إذاعة",
                         published_at=NOW + timedelta(days=5)),
        ]
    )
    haddad, laghouat, bayadh, haddad_again, long_after = stored
    read: list[int] = []
    done = await regroup_stories(repo, read.append, page=2)
    # The second Haddad joins the first; its own story, now told by nobody, is dropped.
    assert (done.articles, done.moved, done.stories) == (5, 1, 4)
    assert read == [2, 4, 5]
    assert [a.id for a in (await repo.story(haddad)).versions] == [haddad, haddad_again]
    sizes = {a.id: a.story_size for a in await repo.latest_stories(10)}
    assert sizes == {long_after: 1, bayadh: 1, laghouat: 1, haddad: 2}
    # Run again: nothing moves.
    assert (await regroup_stories(repo)).moved == 0


def test_stories_rebuild_regroups_the_database_and_says_what_it_did(cli_env, capsys):
    pairs = cli_env / "news.jsonl"
    pairs.write_text(
        "\n".join(
            json.dumps({"title": title, "source": source, "published_at": "2026-11-29T08:00:00+00:00"}, ensure_ascii=False)
            for title, source in ((SAIDAL_A, "وكالة"), (SAIDAL_B, "جريدة"), (SAME_NAME, "جريدة"))
        ),
        encoding="utf-8",
    )
    assert main(["import", str(pairs)]) == 0
    capsys.readouterr()
    assert main(["stories-rebuild"]) == 0
    assert "regrouped 3 articles: 0 filed under another story, 2 stories" in capsys.readouterr().out


def test_stories_rebuild_beside_a_running_bot_is_refused_until_it_stops(cli_env, capsys):
    # Run beside the bot, it refiled the archive under the bot's matcher, which still held the
    # stories it dropped.  A live process is one whose heartbeat is fresh (bot/processes.py).
    from bot.processes import LEASE_SECONDS
    from storage.db import Database
    from storage.processes import ProcessRepository

    assert main(["import", str(DATA / "aggregator-page.txt")]) == 0

    async def beat(at: float) -> None:
        async with Database(str(cli_env / "akhbar.db")) as db:
            await ProcessRepository(db).register("all", "elsewhere", 4242, at)

    asyncio.run(beat(time.time()))
    capsys.readouterr()
    assert main(["stories-rebuild"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == (
        f"akhbar: stories-rebuild: 1 Akhbar process runs on this database (AKHBAR_DB={cli_env / 'akhbar.db'}); "
        "stop the bot and its workers first, then run it again\n"
    )
    with closing(sqlite3.connect(cli_env / "akhbar.db")) as conn, conn:  # it stopped: its beat grows old
        conn.execute("UPDATE processes SET beat_at = ?", (time.time() - LEASE_SECONDS - 1,))
    assert main(["stories-rebuild"]) == 0
    assert "regrouped" in capsys.readouterr().out


def _archive_grouped_by_no_rule(folder: Path, pairs: int) -> None:
    """An archive of `pairs` stories, each told by two outlets in two wordings, stored as by an
    older rule that grouped nothing: every article its own story.  (One event, retold every
    other day by another two outlets: each time a story of its own.)"""
    lines = [
        json.dumps(
            {"title": title, "source": f"{outlet} {n}", "published_at": (NOW - timedelta(days=2 * n)).isoformat()},
            ensure_ascii=False,
        )
        for n in range(pairs) for title, outlet in ((SAIDAL_A, "وكالة"), (SAIDAL_B, "جريدة"))
    ]
    (folder / "pairs.jsonl").write_text("\n".join(lines), encoding="utf-8")
    assert main(["import", str(folder / "pairs.jsonl")]) == 0
    with closing(sqlite3.connect(folder / "akhbar.db")) as conn, conn:
        conn.execute("INSERT INTO stories (id, latest_at, size) SELECT id, published_at, 1 FROM articles WHERE story_id <> id")
        conn.execute("UPDATE articles SET story_id = id")


def test_ctrl_c_during_stories_rebuild_says_so_exits_130_and_a_second_run_finishes(cli_env, capsys):
    # Before: status 0 and not a word, as if every story had been filed again.
    pairs = 4_000
    _archive_grouped_by_no_rule(cli_env, pairs)
    capsys.readouterr()
    joined = "story_id <> id"
    status, err = interrupted_midway(["stories-rebuild"], some_stored(cli_env / "akhbar.db", joined))
    assert status == 130
    assert err == "akhbar: stories-rebuild interrupted: every article is still under a story that exists; run it again to finish\n"
    moved = stored_articles(cli_env / "akhbar.db", joined)
    assert 0 < moved < pairs
    assert main(["stories-rebuild"]) == 0
    assert f"regrouped {2 * pairs} articles: {pairs - moved} filed under another story, {pairs} stories" in capsys.readouterr().out
    assert stored_articles(cli_env / "akhbar.db", joined) == pairs


async def test_two_outlets_telling_one_event_reach_a_follower_once_and_a_look_alike_twice(engine_world):
    world, reader = engine_world, 7301

    def alerts():
        return [m for m in world.emu.messages(reader) if "تتابع: " in m["text"]]

    await world.ask(reader, "/follow حادث مرور")
    setif = "وفاة 3 أشخاص في حادث مرور بسطيف"
    setif_again = "مصرع ثلاثة أشخاص في حادث مرور مروع بولاية سطيف"
    batna = "وفاة 3 أشخاص في حادث مرور بباتنة"
    for title, source in ((setif, "وكالة"), (setif_again, "جريدة"), (batna, "إذاعة")):
        await world.services.ingestor.add_many([make_article(title=title, source=source)])
    await world.emu.wait_for_messages(reader, len(world.emu.messages(reader)) + 2, timeout=15)  # two alerts
    (latest,) = await world.ask(reader, "/latest 5")
    # One alert per event: Sétif once (whichever outlet came first), Batna apart.
    assert sorted(setif in a["text"] or batna in a["text"] for a in alerts()) == [True, True]
    assert [batna in a["text"] for a in alerts()].count(True) == 1
    # /latest: Sétif once, told by two sources; Batna on its own.
    entries = latest["text"].split("\n\n")  # a headline, then its source line
    (setif_entry,) = [entry for entry in entries if setif in entry or setif_again in entry]
    assert "(+1 مصدر)" in setif_entry
    (batna_entry,) = [entry for entry in entries if batna in entry]
    assert "مصادر" not in batna_entry


def test_among_thousands_of_look_alikes_a_headline_finds_the_story_comparing_all_would():
    # The candidate search reads only a few rare words' postings and judges the few sharing
    # the most; in a window crowded with look-alikes of every template (another wilaya, number
    # or name), it must still find, for nearly every new headline, the story that comparing
    # it with every remembered headline finds (or none when that finds none).  Measured on the
    # sets of 5 December: 262 of 268 (the search before, which judged ties in no particular
    # order and look-alikes naming another number: 187).  With the learnt decision (issue 14),
    # 431 of 483 find that very headline (or none) and 461 of 483 join when comparing all would join,
    # and stay alone when it would not (with the rules, at least 459 of 483 found that very
    # headline): the trees score look-alikes of one template a little apart, and comparing all
    # finds pairs sharing two words the candidate search never judges.  Comparing all is done as
    # the matcher decides: the other language's headlines (news.story_bilingual: the French
    # pairs' look-alikes here) are weighed only when none of the headline's own language joins.
    # Since the two languages are compared, 428 and 460 of 483: «الوزير الأول يترأس اجتماعا للحكومة» is
    # filed under its French telling (a labelled pair of dev.jsonl: the same event) where
    # comparing all picks a look-alike placed in Oran that the candidate search never offers;
    # and the search across languages looks by the words that say which event, not by acts
    # (news.stories._searched_across), so Sonatrach's agreements with BP and with a Chinese firm
    # stay apart from its contract with TotalEnergies, which comparing all joins them to.
    pairs = load_pairs(DATA / "stories" / "dev.jsonl") + load_pairs(DATA / "stories" / "holdout.jsonl")
    variations = ("بولاية وهران", "بولاية ورقلة", "بعنابة", "12 شخصا", "بلعيد", "قاسمي", "300 مليون")
    window = [f"{pair.first} {variation}" for pair in pairs for variation in variations]
    window += [pair.first for pair in pairs]
    matcher, remembered = StoryMatcher(), {}
    for number, title in enumerate(window, 1):
        key, at = story_key(title), NOW - timedelta(hours=12) + number * timedelta(seconds=10)
        matcher.add(number, number, key, at)
        remembered[number] = (key, at)
    at = NOW + timedelta(minutes=30)
    agree = decided_alike = 0
    for pair in pairs:
        key = story_key(pair.second)
        scores = {number: similarity(key, old, at - then) for number, (old, then) in remembered.items()}
        own = {number: score for number, score in scores.items() if remembered[number][0].french is key.french}
        if max(own.values()) >= 0:
            scores = own
        best = max(scores.values())
        found = matcher.find(key, at)
        agree += found is None if best < 0 else found is not None and scores.get(found) == best
        decided_alike += (found is None) == (best < 0)
    assert len(pairs) == 483
    assert agree >= 428 and decided_alike >= 460


def test_two_steps_of_one_case_or_forecast_and_fact_are_two_events():
    # postponed, then sentenced: the same case, two events
    assert not joined(
        "تأجيل محاكمة المتهمين في قضية مصنع الإسمنت إلى الشهر المقبل",
        "أحكام بالسجن تصل إلى 10 سنوات في قضية مصنع الإسمنت",
    )
    # a forecast, and the rain that fell
    assert not joined("الأرصاد تتوقع ثلوجا كثيفة على تيارت نهاية الأسبوع", "ثلوج كثيفة تغلق طرقات تيارت منذ أمس")
    # a state visit's arrival, and its end
    assert not joined("الرئيس الموريتاني يحل بالجزائر في زيارة دولة", "الرئيس الموريتاني يختتم زيارة دولة إلى الجزائر")


def test_decrees_and_laws_about_two_subjects_are_two_events():
    assert not joined(
        "صدور المرسوم التنفيذي المحدد لشروط استيراد العتاد الفلاحي في الجريدة الرسمية",
        "صدور المرسوم التنفيذي المحدد لشروط تصدير المنتجات الفلاحية في الجريدة الرسمية",
    )
    assert not joined(
        "البرلمان يصادق على مشروع قانون يتعلق بالمحروقات", "البرلمان يصادق على مشروع قانون يتعلق بالمناجم"
    )
    assert not joined("صدور المرسوم المنظم لنشاط وكالات السياحة", "صدور المرسوم المنظم لنشاط مكاتب الصرف")
    assert not joined(
        "النواب يصوتون على قانون حماية الأشخاص المسنين", "النواب يصوتون على قانون حماية الأشخاص ذوي الإعاقة"
    )


def test_a_name_after_an_initial_is_a_person_and_a_town_of_a_wilaya_is_in_algeria():
    assert not joined(
        "إيداع المقاول ع. بلقاسمي الحبس المؤقت في قضية فساد", "إيداع المقاول ع. بلعيدي الحبس المؤقت في قضية فساد"
    )
    # a lead naming a town of Tizi Ouzou, another naming Algeria and the wilaya: no disagreement
    assert story_key("حادث", "وقع الحادث ببلدية عزازقة").lead_places >= {"country:dz"}
    # «بمدينة المسيلة» is that town, not Bou Saada of the same wilaya
    assert not joined("سكان حي بمدينة المسيلة يحتجون على انقطاع الماء", "سكان حي ببوسعادة يحتجون على انقطاع الماء")


def test_two_common_nouns_guessed_as_names_do_not_tell_two_events():
    # «شاب» and «صورة» stand where a name would: guessed, they set nothing apart…
    key = story_key("شاب ينقذ طفلة جرفتها السيول بجيجل")
    assert key.persons == {GUESSED + "شاب|ب"}
    # …but two guessed names in one template are two people
    assert not joined("إصابة سليماني تبعده عن الملاعب", "إصابة بونجاح تبعده عن الملاعب")


def test_a_first_name_said_by_both_tells_two_people_of_one_family_name():
    assert not joined("تعيين عبد الكريم حمادي مديرا للصحة بالبليدة", "تعيين عبد اللطيف حمادي مديرا للصحة بالبليدة")
    assert not joined("Blessure du milieu Karim Aouadi", "Blessure du milieu Karim Aouadj")


@LEARNT_MISS
def test_the_family_name_alone_is_the_same_person():
    assert joined("تعيين عبد الكريم حمادي مديرا للصحة بالبليدة", "حمادي مديرا جديدا للصحة بالبليدة")


def test_a_national_body_by_its_full_name_or_acronym_and_two_bodies_apart():
    assert joined("سونلغاز تربط 2000 مستثمرة بالكهرباء", "الشركة الوطنية للكهرباء والغاز تربط 2000 مستثمرة بالكهرباء")
    assert not joined(
        "الديوان الوطني المهني للحليب يرفع حصص الملبنات", "الديوان الجزائري المهني للحبوب يرفع حصص الملبنات"
    )
    assert not joined("الخطوط الجوية الجزائرية تفتح خطا نحو داكار", "الخطوط الجوية التونسية تفتح خطا نحو داكار")


def test_common_words_that_fold_like_a_country_name_no_place():
    # سيول are floods, not Seoul; إليزي is Illizi, not the Élysée
    assert joined("سيول جارفة تغمر شوارع إليزي", "أمطار طوفانية تغرق شوارع إليزي في سيول جارفة")
    assert story_key("زيادة بأربعة ونصف بالمائة").numbers == {"4.5"}


def test_two_posts_tell_two_peoples_acts():
    assert not joined("وزير الفلاحة يعطي إشارة انطلاق حملة الحصاد من تيارت", "والي تيارت يعطي إشارة انطلاق حملة الحصاد")
    assert not joined("رئيس مجلس الأمة يستقبل وفدا برلمانيا إيطاليا", "نائب رئيس مجلس الأمة يستقبل وفدا برلمانيا إيطاليا")
    # a stage name between « » is a name
    assert not joined("إيداع المغني «زينو» الحبس المؤقت", "إيداع المغني «زيني» الحبس المؤقت")


def test_worded_otherwise_one_event_is_joined_when_names_or_places_say_which():
    # two specific words shared (a town, a word no table knows), no other act: one event
    assert joined(
        "Coupure de courant dans plusieurs quartiers de Tlemcen",
        "Tlemcen : des quartiers du centre privés d'électricité après une panne",
    )
    # an act and a place only: two events
    assert not joined("حريق يتلف محاصيل زراعية بتيارت", "حريق مهول في سوق شعبي بتيارت")


@LEARNT_MISS
def test_the_capital_for_its_country_in_a_ports_name():
    assert joined("ميناء الجزائر يعالج 12 مليون طن من البضائع", "12 مليون طن من السلع عبر ميناء العاصمة")


def test_the_capital_a_national_body_and_abbreviated_billions_read_alike():
    assert joined("طلبة المعهد الوطني للمحروقات يحتجون ببومرداس", "احتجاج طلبة معهد المحروقات ببومرداس")
    assert story_key("Le cap des 40 mds $ franchi").numbers == {"40000000000"}
    # «يزيد» before a definite word is the verb, not the first name Yazid
    assert story_key("بريد الجزائر يزيد الحد الأقصى للسحب").persons == set()


def test_finance_is_not_mali_and_set_phrases_read_alike():
    assert "country:ml" not in story_key("المفتشية العامة للمالية ترفع تقريرها").places
    assert joined("الصادرات خارج المحروقات تبلغ 5 ملايير دولار", "الصادرات غير النفطية تبلغ 5 ملايير دولار")
    assert joined("انحراف قطار لنقل البضائع عن السكة بسعيدة", "خروج قطار بضائع عن سكته في سعيدة")


def test_a_number_too_long_for_a_float_is_read_not_a_crash():
    # A feed's garbage (a run of 400 digits) made story_key raise OverflowError, and so the
    # article could not be prepared at all: it is stored, and its story found, like any other.
    garbage = "سوناطراك تعلن رقم " + "9" * 400
    article = make_article(title=garbage, source="أ")
    assert article.title == garbage
    assert not joined(garbage, "سوناطراك تعلن رقم 12")
    assert joined(garbage, garbage.replace("تعلن", "تكشف"))
