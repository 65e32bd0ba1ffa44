"""The 69 wilayas, finding one however a reader types it, and tagging articles with them."""

import pytest

from news.regions import WILAYA_BY_CODE, WILAYAS, find_wilaya, wilayas_in

ORAN, CONSTANTINE, TIZI_OUZOU, ALGIERS, MASCARA, EL_BAYADH = 31, 25, 15, 16, 29, 32


def test_all_69_wilayas_with_both_names():
    assert [w.code for w in WILAYAS] == list(range(1, 70))
    assert all(w.name_ar.strip() and w.name_fr.strip() for w in WILAYAS)
    assert WILAYA_BY_CODE[ORAN].name("ar") == "وهران"
    assert WILAYA_BY_CODE[ORAN].name("fr") == WILAYA_BY_CODE[ORAN].name("en") == "Oran"


def test_the_2025_wilayas_are_there():
    # Codes 49-58 (2019) and 59-69 (2025) as the package numbers them.
    assert WILAYA_BY_CODE[49].name_ar == "تيميمون"
    assert WILAYA_BY_CODE[58].name_ar == "المنيعة"
    assert WILAYA_BY_CODE[64].name_fr == "Bou Saada"
    assert WILAYA_BY_CODE[69].name_ar == "مسعد"


@pytest.mark.parametrize("wilaya", WILAYAS, ids=lambda w: str(w.code))
def test_every_wilaya_found_by_its_own_names_and_code(wilaya):
    for typed in (wilaya.name_ar, wilaya.name_fr, wilaya.name_fr.upper(), str(wilaya.code), f"{wilaya.code:02d}"):
        assert find_wilaya(typed) == wilaya, typed


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("وهران", ORAN),
        ("ولاية وهران", ORAN),
        ("ولايه وهران", ORAN),
        ("  ORAN ", ORAN),
        ("wilaya d'Oran", ORAN),
        ("٣١", ORAN),
        ("031", ORAN),
        ("شلف", 2),  # without ال
        ("الشلف", 2),
        ("اغواط", 3),  # hamza and ال both dropped
        ("قسنطينه", CONSTANTINE),  # ه for ة
        ("Constantine", CONSTANTINE),
        ("تيزي-وزو", TIZI_OUZOU),
        ("Tizi-Ouzou", TIZI_OUZOU),
        ("tiziouzou", TIZI_OUZOU),
        ("Béjaïa", 6),
        ("Bougie", 6),
        ("سيدي بل عباس", 22),
        ("Sidi Bel Abbès", 22),
        ("Sidi-Bel-Abbes", 22),
        ("M'Sila", 28),
        ("Msila", 28),
        ("مسيلة", 28),
        ("الجزائر", ALGIERS),
        ("العاصمة", ALGIERS),
        ("Alger", ALGIERS),
        ("Algiers", ALGIERS),
        ("Bayadh", EL_BAYADH),
        ("عين تيموشنت", 46),
        ("تمنغست", 11),
        ("عين ڨزام", 54),  # the Algerian letter ڨ for g
        ("مدينة وهران", ORAN),  # a phrase naming one wilaya
    ],
)
def test_find_wilaya_however_typed(typed, code):
    assert find_wilaya(typed).code == code


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("wahran", ORAN),
        ("Ouahran", ORAN),
        ("wilaya de Wahran", ORAN),
        ("Dzayer", ALGIERS),
        ("El Djazaïr", ALGIERS),
        ("دزاير", ALGIERS),
        ("Qacentina", CONSTANTINE),
        ("Qsentina", CONSTANTINE),
        ("قسمطينة", CONSTANTINE),
        ("Tizi", TIZI_OUZOU),
        ("تيزي", TIZI_OUZOU),
        ("BBA", 34),
        ("bba", 34),
        ("SBA", 22),
        ("Bel Abbès", 22),
        ("بلعباس", 22),
        ("Mosta", 27),
        ("Annaba", 23),
        ("Bouna", 23),
        ("بونة", 23),
        ("Stif", 19),
        ("Vgayet", 6),
        ("Tlemsen", 13),
        ("Wargla", 30),
    ],
)
def test_find_wilaya_as_algerians_type_it_transliterated_or_short(typed, code):
    # What /wilaya and /follow (exact) understand alike.
    assert find_wilaya(typed).code == code and find_wilaya(typed, exact=True).code == code


def test_what_readers_type_for_a_wilaya_does_not_tag_articles():
    # Abbreviations and short forms are words or pieces of names in an article's text.
    assert wilayas_in("La SBA et la BBA recrutent ; festival de Tizi n'Tleta ; M. Mosta et Wahran Ltd") == ()
    assert wilayas_in("قرية تيزي نتلاثة وحي بلعباس ومسجد بونة") == ()


@pytest.mark.parametrize("typed", ["", "  ", "0", "70", "ولاية", "Algérie", "باريس", "وهران وقسنطينة"])
def test_find_wilaya_unknown(typed):
    assert find_wilaya(typed) is None


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        # Plain mentions, with attached proclitics.
        ("حريق مهول بوهران", (ORAN,)),
        ("وصول قافلة تضامنية لقسنطينة", (CONSTANTINE,)),
        ("أمطار غزيرة على بجاية وتيزي وزو", (6, TIZI_OUZOU)),
        ("تدشين مستشفى جديد وبقسنطينة", (CONSTANTINE,)),
        ("مباراة ودية بين فريقي سطيف وعنابة", (19, 23)),
        # Multi-word names, hyphens, spelling variants.
        ("افتتاح جامعة جديدة في سيدي بلعباس وبرج بوعريريج", (22, 34)),
        ("انقطاع الكهرباء بعين الدفلى وأم البواقي", (44, 4)),
        ("حادث مرور خطير بين سيدي بل عباس وتيزي-وزو", (22, TIZI_OUZOU)),
        ("أول دورة للمجلس الولائي في تيميمون وعين صالح وبرج باجي مختار", (49, 53, 50)),
        ("زلزال بقوة 4 درجات يضرب المسيلة", (28,)),
        # Datelines.
        ("وهران: افتتاح الطبعة الثالثة لصالون المؤسسات الناشئة", (ORAN,)),
        ("تيزي وزو..انهيار جزئي لطريق ولائي", (TIZI_OUZOU,)),
        ("Oran - Le wali inaugure une nouvelle station", (ORAN,)),
        # French, case- and accent-insensitive; Alger is not Algérie.
        ("Inondations à Béjaïa et à TIZI OUZOU", (6, TIZI_OUZOU)),
        ("Alger: ouverture du salon international du livre", (ALGIERS,)),
        ("l'Algérie et la France signent un accord", ()),
        ("Les Algériens d'Oran et de Sidi Bel-Abbès", (ORAN, 22)),
        # Ambiguous names, the common word...
        ("ارتفاع أسعار البيض في الأسواق", ()),
        ("وزارة التجارة تحدد سعرا مرجعيا للبيض", ()),
        ("معسكر تدريبي للمنتخب الوطني", ()),
        ("الخضر يدخلون في معسكر مغلق بسيدي موسى", ()),
        ("التحق اللاعبون بمعسكر تدريبي في تركيا", ()),
        ("غرق طفل في مياه الوادي", ()),
        ("اتباع سياسة النعامة لن يحل الأزمة", ()),
        ("بشار الأسد يصل إلى موسكو", ()),
        ("مسعد بولس يلتقي وزير الخارجية", ()),
        ("استخدام الغازات المسيلة للدموع لتفريق المتظاهرين", ()),
        # ... and the place.
        ("والي البيض يتفقد مشاريع", (EL_BAYADH,)),
        ("حريق غابة بالبيض يأتي على 20 هكتارا", (EL_BAYADH,)),
        ("معسكر..الشهيد شريط علي شريف رمز التضحية", (MASCARA,)),
        ("حجز 5 قناطير من الكيف المعالج بمعسكر", (MASCARA,)),
        ("تنصيب رئيس أمن ولاية الوادي", (39,)),
        ("زيارة عمل وتفقد إلى ولايات النعامة والبيض ومعسكر", (45, EL_BAYADH, MASCARA)),
        ("توقيف مروج مخدرات ببشار", (8,)),
        ("Le wali de Mascara installe les chefs de daïra", (MASCARA,)),
        # The country is not the capital.
        ("الجزائر تدعو مجلس الأمن إلى عقد جلسة طارئة", ()),
        ("بنك الجزائر: ارتفاع احتياطي الصرف", ()),
        ("أمطار غزيرة على الجزائر العاصمة", (ALGIERS,)),
        ("والي ولاية الجزائر يشرف على تدشين المحطة", (ALGIERS,)),
        ("اختناق مروري كبير بالعاصمة بسبب الأمطار", (ALGIERS,)),
        ("تساقط الثلوج على العاصمة الفرنسية باريس", ()),
        ("انفجار في العاصمة الأوكرانية كييف\nالانفجار هز وسط العاصمة", ()),
        ("وصول الوفد إلى تونس العاصمة", ()),
    ],
)
def test_wilayas_in(text, codes):
    assert wilayas_in(text) == codes


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("البيض", 32),
        ("معسكر", 29),
        ("الوادي", 39),
        ("المدية", 26),
        ("الطارف", 36),
        ("النعامة", 45),
        ("سعيدة", 20),
        ("المغير", 57),
        ("المنيعة", 58),
        ("بشار", 8),
        ("مسعد", 69),
        ("القنطرة", 62),
        ("الجزائر", 16),
    ],
)
def test_ambiguous_names_need_a_cue(name, code):
    assert wilayas_in(f"كلمة عن {name} فقط") == ()
    assert wilayas_in(f"زيارة والي ولاية {name} إلى المستشفى") == (code,)
    assert wilayas_in(f"تنصيب رئيس بلدية {name}") == (code,)


def test_dateline_opens_a_line_of_the_body_too():
    text = "افتتاح معرض الكتاب\nمعسكر - افتتح والي الولاية أمس معرضا للكتاب"
    assert wilayas_in(text) == (MASCARA,)


def test_order_of_first_mention_without_duplicates():
    text = "قسنطينة: وفد من وهران يزور قسنطينة\nالوفد القادم من وهران عاد إلى بوهران ثم إلى Oran"
    assert wilayas_in(text) == (CONSTANTINE, ORAN)


def test_empty_and_unrelated_text():
    assert wilayas_in("") == ()
    assert wilayas_in("سعر برميل النفط يتراجع إلى 71 دولارا") == ()


def test_a_text_that_names_a_wilaya_has_a_word_that_may_name_one():
    # The story matcher asks wilayas_in only about headlines with such a word.
    import json
    import re

    from news.regions import may_name_a_wilaya
    from news.text import normalize

    from .conftest import DATA

    texts = [f"{prefix}{w.name_ar} {w.name_fr}" for w in WILAYAS for prefix in ("", "ب", "وب", "لل", "ال")]
    for path in sorted((DATA / "topics").glob("*.jsonl")) + sorted((DATA / "stories").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            texts += [record[key] for key in ("title", "a", "b") if key in record]
    tagged = [text for text in texts if wilayas_in(text)]
    assert len(tagged) > 300
    for text in tagged:
        assert any(may_name_a_wilaya(word) for word in re.findall(r"[^\W\d_]+", normalize(text))), text
