"""Names written in two scripts: Sonatrach is سوناطراك, Tebboune is تبون, MCA is مولودية الجزائر.

A French or English reader who types `/follow Sonatrach` or `/search Tebboune` means the company
and the man, whatever the script of the story: Algerian outlets write the same news in Arabic
and in French, and most of the feeds are Arabic.  Without this table such a reader gets nothing
from the Arabic press, and an Arabic reader nothing from the French.

Each entry is one name and its spellings, any of which stands for all the others: a search
for one also looks for the rest (news.search.parse_query), and a story holding one is matched
by follows and mutes of the rest as if it held them too (news.percolator.story_terms).  Short Latin
spellings that are words of French or English are left out: UN is «un», so the United
Nations are ONU, Nations unies and United Nations.

Kept small and curated, like news/story_lexicon.py: the companies, institutions, clubs, people
and countries Algerian news names most.  A spelling that is also a common word is never an
entry on its own — محرز is "achieved" (التقدم المحرز), so Mahrez is «رياض محرز»; Mali is
مالي, "financial", so it is left out; so are the wilayas (a wilaya's name is a /wilaya, and
the French one already leads there: news.regions) and الجزائر, in every other Arabic story.
Nor a spelling that often names something else: المغرب is also the sunset prayer and the
Maghreb (Morocco is «المملكة المغربية» here), أمريكا Latin America too, «الجوية الجزائرية»
the Air Force as well as the airline, «الاتحاد الإفريقي» the African football confederation
(«… لكرة القدم») as often as the African Union, which are left out; زيدان and «بن ناصر» are
common names; Turkey is a bird.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from news.text import ARTICLES, CLITICS, has_arabic, words

# One name per entry, its spellings in any order (written as readers write them; folded by
# news.text.words at import: accents, hamza and case do not matter).
NAMES: tuple[tuple[str, ...], ...] = (
    # Companies and agencies
    ("Sonatrach", "سوناطراك"),
    ("Sonelgaz", "سونلغاز"),
    ("Naftal", "نفطال"),
    ("Mobilis", "موبيليس"),
    ("Djezzy", "جيزي"),
    ("Ooredoo", "أوريدو"),
    ("Algérie Télécom", "Algeria Telecom", "اتصالات الجزائر"),
    ("Algérie Poste", "Algeria Post", "بريد الجزائر"),
    ("Air Algérie", "الخطوط الجوية الجزائرية"),
    ("SNTF", "الشركة الوطنية للنقل بالسكك الحديدية"),
    ("Cosider", "كوسيدار"),
    ("Cevital", "سيفيتال"),
    ("Saidal", "صيدال"),
    ("AADL", "وكالة عدل", "سكنات عدل"),
    # Institutions and international bodies
    ("APN", "المجلس الشعبي الوطني"),
    ("ANP", "الجيش الوطني الشعبي"),
    ("FAF", "الفاف", "الاتحادية الجزائرية لكرة القدم"),
    ("FIFA", "الفيفا", "فيفا"),
    ("ONU", "Nations unies", "United Nations", "الأمم المتحدة"),
    ("OPEP", "OPEC", "أوبك"),
    ("OTAN", "NATO", "الناتو", "حلف شمال الأطلسي"),
    ("FMI", "IMF", "صندوق النقد الدولي"),
    ("Ligue arabe", "Arab League", "الجامعة العربية", "جامعة الدول العربية"),
    # Clubs
    ("MCA", "Mouloudia d'Alger", "مولودية الجزائر"),
    ("USMA", "USM Alger", "اتحاد العاصمة", "اتحاد الجزائر"),
    ("JSK", "JS Kabylie", "شبيبة القبائل"),
    ("CRB", "CR Belouizdad", "شباب بلوزداد"),
    ("ESS", "ES Sétif", "وفاق سطيف"),
    ("MCO", "MC Oran", "مولودية وهران"),
    ("CSC", "CS Constantine", "شباب قسنطينة"),
    ("JSS", "JS Saoura", "شبيبة الساورة"),
    ("NAHD", "NA Hussein Dey", "نصر حسين داي"),
    ("Real Madrid", "ريال مدريد"),
    ("Barcelone", "Barcelona", "برشلونة"),
    # People
    ("Tebboune", "تبون"),
    ("Bouteflika", "بوتفليقة"),
    ("Chengriha", "شنقريحة"),
    ("Attaf", "عطاف"),
    ("Larbaoui", "العرباوي"),
    ("Belmadi", "بلماضي"),
    ("Petkovic", "بيتكوفيتش"),
    ("Mahrez", "رياض محرز"),
    ("Bensebaini", "بن سبعيني"),
    ("Slimani", "إسلام سليماني"),
    ("Belaili", "بلايلي"),
    ("Aouar", "حسام عوار"),
    ("Amoura", "عمورة"),
    ("Gouiri", "قويري"),
    ("Messi", "ميسي"),
    ("Ronaldo", "رونالدو"),
    ("Mbappé", "مبابي"),
    ("Haaland", "هالاند"),
    ("Macron", "ماكرون"),
    ("Biden", "بايدن"),
    ("Trump", "ترامب"),
    ("Poutine", "Putin", "بوتين"),
    ("Erdogan", "أردوغان"),
    ("Netanyahou", "Netanyahu", "نتنياهو"),
    ("Guterres", "غوتيريش", "غوتيريس"),
    ("Zelensky", "Zelenski", "زيلينسكي"),
    ("Kais Saied", "قيس سعيد"),
    # Countries and regions
    ("France", "فرنسا"),
    ("Maroc", "Morocco", "المملكة المغربية"),
    ("Tunisie", "Tunisia", "تونس"),
    ("Libye", "Libya", "ليبيا"),
    ("Égypte", "Egypt", "مصر"),
    ("Niger", "النيجر"),
    ("Mauritanie", "Mauritania", "موريتانيا"),
    ("Espagne", "Spain", "إسبانيا"),
    ("Italie", "Italy", "إيطاليا"),
    ("Allemagne", "Germany", "ألمانيا"),
    ("Russie", "Russia", "روسيا"),
    ("Chine", "China", "الصين"),
    ("Turquie", "Türkiye", "تركيا"),
    ("Qatar", "قطر"),
    ("États-Unis", "United States", "USA", "الولايات المتحدة"),
    ("Palestine", "فلسطين"),
    ("Gaza", "غزة"),
    ("Israël", "إسرائيل"),
    ("Iran", "إيران"),
    ("Syrie", "Syria", "سوريا", "سورية"),
    ("Liban", "Lebanon", "لبنان"),
    ("Arabie saoudite", "Saudi Arabia", "السعودية"),
    ("Émirats", "UAE", "الإمارات"),
    ("Ukraine", "أوكرانيا"),
    ("Japon", "Japan", "اليابان"),
    ("Brésil", "Brazil", "البرازيل"),
    ("Sénégal", "Senegal", "السنغال"),
    ("Nigeria", "نيجيريا"),
    ("Cameroun", "Cameroon", "الكاميرون"),
    ("Afrique du Sud", "South Africa", "جنوب إفريقيا", "جنوب أفريقيا"),
    ("Sahara occidental", "Western Sahara", "الصحراء الغربية"),
)

# A spelling: its normalized words (one or more).
Spelling = tuple[str, ...]



def _spellings(entry: Iterable[str]) -> tuple[Spelling, ...]:
    return tuple(dict.fromkeys(tuple(words(form)) for form in entry))


_ENTRIES = tuple(_spellings(entry) for entry in NAMES)
# Each spelling's entry: the name it is a spelling of.
_ENTRY_OF: dict[Spelling, tuple[Spelling, ...]] = {
    spelling: entry for entry in _ENTRIES for spelling in entry
}


def written_forms(word: str) -> frozenset[str]:
    """The ways `word` stands in a text as a word of its own: itself, with a clitic or an
    article before it when Arabic, those news.text peels (وسوناطراك، لسوناطراك، للصين،
    بالصين); a Latin name with a plural s (Emirats)."""
    if not has_arabic(word):
        return frozenset((word, word + "s"))
    forms = {word, *(clitic + word for clitic in CLITICS)}
    if word.startswith("ال"):
        forms.update(article + word[2:] for article in ARTICLES)
    return frozenset(forms)


def _beginnings() -> dict[str, list[Spelling]]:
    """Every written form of a spelling's first word, and the spellings it may begin."""
    beginnings: dict[str, list[Spelling]] = {}
    for spelling in _ENTRY_OF:
        for form in written_forms(spelling[0]):
            beginnings.setdefault(form, []).append(spelling)
    return beginnings


_BEGINNINGS = _beginnings()
_WRITTEN_BEGINNINGS = frozenset(_BEGINNINGS)  # a frozenset: intersected with a story's words in C


def other_spellings(spelling: Spelling) -> tuple[Spelling, ...]:
    """The other spellings of the name `spelling` is, in the table's order; () when it is no
    name the table knows."""
    return tuple(other for other in _ENTRY_OF.get(spelling, ()) if other != spelling)


def spellings_named(text_words: frozenset[str], sequences: Sequence[Sequence[str]]) -> list[Spelling]:
    """The spellings a text does not hold of the names it holds: for a story that says
    «لسوناطراك», [('sonatrach',)].  `text_words` are the text's distinct normalized words,
    `sequences` its words in order (title, body), where a name of several words must stand
    together."""
    found = text_words & _WRITTEN_BEGINNINGS
    if not found:
        return []
    named = dict.fromkeys(
        spelling
        for form in sorted(found)  # the same order every time: a story's terms do not vary
        for spelling in _BEGINNINGS[form]
        if len(spelling) == 1
        or (text_words.issuperset(spelling[1:]) and any(_stands(spelling, form, sequence) for sequence in sequences))
    )
    return [other for spelling in named for other in other_spellings(spelling) if other not in named]


def _stands(spelling: Spelling, first: str, sequence: Sequence[str]) -> bool:
    """Whether a name of several words stands in `sequence`, its first word written `first`."""
    rest = list(spelling[1:])
    return any(
        word == first and list(sequence[at + 1 : at + len(spelling)]) == rest
        for at, word in enumerate(sequence)
    )
