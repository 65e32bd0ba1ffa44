"""The words the story matcher knows in French headlines (news.story_lexicon is the Arabic).

Plain data, written with accents and elisions as a reader writes them; news.story_key folds
every entry the way it folds a French headline (lower case, accents dropped, a light
stemmer), once, at import.  Paraphrases join the Arabic groups of one concept (PARAPHRASES
maps an Arabic group's first phrase to its French phrases), so that opposite acts, posts and
teams work alike in both languages.
"""

from __future__ import annotations

# The French phrases of a concept, by the first phrase of its Arabic group.
PARAPHRASES: dict[str, tuple[str, ...]] = {
    "تعيين": ("nomination", "nommé", "nomme", "désigné", "désignation", "installé", "installation", "installe"),
    "إنهاء مهام": ("limogeage", "limogé", "limoge", "fin de fonctions", "met fin aux fonctions", "démis",
                   "relevé de ses fonctions"),
    "يستقبل": ("reçoit", "reçu", "s'entretient", "entretient", "entretien", "entretiens", "entretenu", "audience"),
    "اتصال": ("appel téléphonique", "entretien téléphonique", "téléphonique", "téléphone"),
    "وفاة": ("décès", "décédé", "décède", "mort", "morts", "meurt", "tué", "tués", "périt", "péri",
             "perd la vie", "perdent la vie", "trouve la mort", "trouvent la mort"),
    "جريح": ("blessé", "blessés", "blessure", "blessures"),
    "مسكن": ("logement", "logements", "unités de logement", "appartement", "appartements"),
    "تدشين": ("inauguration", "inaugure", "inauguré"),
    "توقيع": ("signe", "signent", "signé", "signature", "paraphent"),
    "اتفاق": ("accord", "accords", "convention", "contrat", "mémorandum", "protocole d'accord"),
    "مصادقة": ("adopte", "adoptent", "adopté", "adoption", "approuve", "approuvé", "vote", "votent", "entérine"),
    "المجلس الشعبي الوطني": ("apn", "assemblée populaire nationale", "chambre basse", "députés"),
    "بنك الجزائر": ("banque d'algérie", "banque centrale"),
    "وزير الخارجية": ("ministre des affaires étrangères", "chef de la diplomatie", "affaires étrangères"),
    "رئيس الوزراء": ("premier ministre", "chef du gouvernement"),
    "رئيس الجمهورية": ("président de la république", "tebboune", "président tebboune", "chef de l'état"),
    "المنتخب الوطني": ("équipe nationale", "les verts", "fennecs", "sélection nationale"),
    "فوز": ("victoire", "gagne", "bat", "battent", "s'impose", "impose", "remporte", "l'emporte", "domine",
            "étrille"),
    "خسارة": ("défaite", "perd", "s'incline", "incline", "battu", "battue"),
    "انهيار": ("effondrement", "s'effondre", "effondre"),
    "فيضانات": ("inondations", "inondation", "crue", "crues"),
    "زلزال": ("séisme", "tremblement de terre", "secousse tellurique", "secousse"),
    "ارتفاع": ("hausse", "augmentation", "augmente", "relève", "relèvement"),
    "تخفيض": ("baisse", "réduction", "diminution", "baissent", "recul", "recule"),
    "تصدير": ("exportations", "exportation", "exporte", "export"),
    "استيراد": ("importations", "importation", "importe", "import"),
    "هجوم": ("attaque", "attentat", "agression"),
    "اجتماع": ("réunion", "se réunit", "réunit"),
    "زيارة": ("visite", "visite de travail", "se rend", "rend visite"),
    "حريق": ("incendie", "incendies", "feu", "feux", "flammes"),
    "توقيف": ("arrestation", "arrêté", "arrêtés", "interpellé", "interpellés", "interpellation",
              "démantèlement", "démantèle", "démantelé"),
    "حجز": ("saisie", "saisit", "saisi", "saisies"),
    "مخدرات": ("drogue", "drogues", "stupéfiants", "kif traité", "cannabis", "psychotropes"),
    "تأهل": ("qualification", "qualifie", "qualifié", "qualifiés", "se qualifie"),
    "إقصاء": ("élimination", "éliminé", "éliminés"),
    "تتويج": ("sacre", "sacré", "couronné", "couronnement"),
    "إطلاق": ("lancement", "lance", "lancent", "lancé"),
    "مواجهة": ("match", "rencontre", "confrontation", "duel"),
    "الحبس المؤقت": ("détention provisoire", "mandat de dépôt", "écroué", "écroués"),
    "ترحيل": ("relogement", "relogé", "relogés", "relogées", "reloge"),
    "عائلة": ("famille", "familles", "ménages"),
    "البيوت القصديرية": ("bidonvilles", "bidonville", "habitat précaire", "précaire"),
    "تحذير": ("alerte", "bulletin météo spécial", "avertit", "met en garde"),
    "حرارة": ("chaleur", "canicule", "vague de chaleur", "températures", "température"),
    "يدعو": ("appelle", "appel", "exhorte", "réclame"),
    "يدين": ("condamne", "condamnation", "dénonce"),
    "ينطلق": ("début", "débute", "coup d'envoi", "entame"),
    "الحماية المدنية": ("protection civile",),
    "الدرك الوطني": ("gendarmerie", "gendarmerie nationale", "gendarmes"),
    "الشرطة": ("police", "sûreté", "policiers"),
    "الجيش الوطني الشعبي": ("anp", "armée", "armée nationale populaire"),
    "امتحان البكالوريا": ("bac", "baccalauréat"),
    "كرة القدم": ("football",),
    "كرة اليد": ("handball",),
    "كرة السلة": ("basket", "basketball", "basket-ball"),
    "الكرة الطائرة": ("volley", "volleyball", "volley-ball"),
    "ألعاب القوى": ("athlétisme",),
    "المونديال": ("mondial", "coupe du monde"),
    "مولودية الجزائر": ("mc alger", "mca", "mouloudia d'alger", "mouloudia club d'alger"),
    "اتحاد الجزائر": ("usm alger", "usma"),
    "شباب بلوزداد": ("cr belouizdad", "crb", "chabab belouizdad"),
    "شبيبة القبائل": ("js kabylie", "jsk", "jeunesse sportive de kabylie"),
    "وفاق سطيف": ("es sétif", "ess", "entente de sétif", "entente sétifienne"),
    "مولودية وهران": ("mc oran", "mco", "mouloudia d'oran"),
    "شباب قسنطينة": ("cs constantine", "csc", "cs constantinois"),
    "نصر حسين داي": ("na hussein dey", "nahd", "nasria"),
    "شبيبة الساورة": ("js saoura", "jss"),
    "جمعية الشلف": ("aso chlef", "aso"),
    "اتحاد بسكرة": ("us biskra", "usb"),
    "مولودية البيض": ("mc el bayadh", "mceb"),
    "نادي بارادو": ("paradou ac", "paradou", "pac"),
    "اتحاد خنشلة": ("usm khenchela", "usmk"),
    "اتحاد الحراش": ("usm el harrach", "usmh"),
    "نجم مقرة": ("nc magra", "ncm"),
    "تلقيح": ("vaccination", "vaccin", "vaccins"),
    "طبعة": ("édition",),
    "إضراب": ("grève", "grèves"),
    "احتجاج": ("protestation", "sit-in", "manifestation"),
    "طلبة": ("étudiants",),
    "أساتذة": ("enseignants", "professeurs"),
    "فيلم": ("film", "long métrage", "films"),
    "معرض": ("salon", "exposition", "foire"),
    "أسعار": ("prix", "tarif", "tarifs"),
    "حرقة": ("harraga", "migration clandestine", "émigration clandestine", "immigration clandestine"),
    "عصابة": ("réseau", "bande", "gang", "réseau criminel", "bande criminelle", "association de malfaiteurs"),
    "صدارة": ("leader", "en tête", "tête du classement", "leadership"),
}

# Concepts French headlines have and the Arabic lexicon has no group for.
OWN_PARAPHRASES: tuple[tuple[str, ...], ...] = (
    # In a team's first eleven, however the outlet says it.
    ("titulaire", "titularisé", "aligné d'entrée", "aligné"),
    ("contre", "face", "face au", "face à"),
    ("pluies", "pluie", "averses", "précipitations"),
    ("renforce", "renforcent", "renforcement", "renforcée", "renforcé"),
)

# Words that tell nothing of the event, as search's stopwords leave them: articles,
# prepositions, pronouns, auxiliaries, the outlet's prefixes.
STOPWORDS: tuple[str, ...] = (
    "le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "et", "en", "au", "aux", "à", "a", "pour",
    "par", "sur", "avec", "dans", "entre", "leur", "leurs", "son", "sa", "ses", "ce", "cet", "cette", "ces",
    "qui", "que", "qu", "est", "sont", "été", "être", "ont", "il", "elle", "ils", "elles", "se", "s", "y",
    "ne", "n", "pas", "plus", "ou", "mais", "donc", "car", "chez", "vers", "sous", "depuis", "après", "avant",
    "pendant", "lors", "jusqu", "tout", "tous", "toute", "toutes", "même", "où", "dont", "sans", "selon",
    "lui", "eux", "nous", "vous", "on", "c", "j", "m", "t", "fait", "très", "aussi", "encore", "déjà",
    "urgent", "vidéo", "video", "photos", "officiel", "officiellement", "exclusif", "hier", "demain",
    "aujourd", "hui", "suite", "près", "environ", "quelque", "désormais", "nouveau", "nouvelle", "nouveaux",
    "nouvelles", "cours", "fin",
)

# Numbers in words.  "vingt" after "quatre" is 80 (quatre-vingt-dix = 90); "cent" multiplies
# what comes before it; un/une count only before a multiplier (un million), else "a".
UNITS: dict[str, int] = {
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
    "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16,
    "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
}
MULTIPLIERS: dict[str, int] = {
    "mille": 1_000, "million": 1_000_000, "millions": 1_000_000, "milliard": 1_000_000_000,
    "milliards": 1_000_000_000,
}
HUNDREDS: tuple[str, ...] = ("cent", "cents")
ONE: tuple[str, ...] = ("un", "une")

# Countries and their capitals, then the adjectives (masculine: the feminine and plural are
# folded to it).  Ids as in news.story_lexicon.COUNTRIES.  Alger is the wilaya (news.regions).
COUNTRIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "dz": (("algérie",), ("algérien",)),
    "tn": (("tunisie", "tunis"), ("tunisien",)),
    "ma": (("maroc", "rabat"), ("marocain",)),
    "ly": (("libye", "tripoli"), ("libyen",)),
    "eg": (("égypte", "le caire"), ("égyptien",)),
    "mr": (("mauritanie", "nouakchott"), ("mauritanien",)),
    "ml": (("mali", "bamako"), ("malien",)),
    "ne": (("niger", "niamey"), ("nigérien",)),
    "ng": (("nigeria", "abuja"), ("nigérian",)),
    "td": (("tchad", "n'djamena"), ("tchadien",)),
    "sn": (("sénégal", "dakar"), ("sénégalais",)),
    "gn": (("guinée", "conakry"), ("guinéen",)),
    "cm": (("cameroun", "yaoundé"), ("camerounais",)),
    "ci": (("côte d'ivoire", "abidjan"), ("ivoirien",)),
    "za": (("afrique du sud", "pretoria"), ("sud-africain",)),
    "et": (("éthiopie", "addis-abeba"), ("éthiopien",)),
    "sd": (("soudan", "khartoum"), ("soudanais",)),
    "ps": (("palestine", "gaza", "cisjordanie", "al-qods"), ("palestinien",)),
    "lb": (("liban", "beyrouth"), ("libanais",)),
    "sy": (("syrie", "damas"), ("syrien",)),
    "iq": (("irak", "bagdad"), ("irakien",)),
    "jo": (("jordanie", "amman"), ("jordanien",)),
    "sa": (("arabie saoudite", "riyad"), ("saoudien",)),
    "qa": (("qatar", "doha"), ("qatari",)),
    "ae": (("émirats", "abou dhabi", "dubaï"), ("émirati",)),
    "kw": (("koweït",), ("koweïtien",)),
    "om": (("oman", "mascate"), ("omanais",)),
    "ye": (("yémen", "sanaa"), ("yéménite",)),
    "ir": (("iran", "téhéran"), ("iranien",)),
    "tr": (("turquie", "ankara", "istanbul"), ("turc", "turque")),
    "fr": (("france", "paris"), ("français",)),
    "es": (("espagne", "madrid"), ("espagnol",)),
    "it": (("italie", "rome"), ("italien",)),
    "pt": (("portugal", "lisbonne"), ("portugais",)),
    "de": (("allemagne", "berlin"), ("allemand",)),
    "gb": (("royaume-uni", "londres", "grande-bretagne"), ("britannique",)),
    "be": (("belgique", "bruxelles"), ("belge",)),
    "ch": (("suisse", "genève", "berne"), ()),
    "nl": (("pays-bas", "amsterdam"), ("néerlandais",)),
    "ru": (("russie", "moscou"), ("russe",)),
    "ua": (("ukraine", "kiev"), ("ukrainien",)),
    "us": (("états-unis", "washington", "new york"), ("américain",)),
    "ca": (("canada", "ottawa"), ("canadien",)),
    "br": (("brésil", "brasilia"), ("brésilien",)),
    "ar": (("argentine", "buenos aires"), ("argentin",)),
    "cn": (("chine", "pékin"), ("chinois",)),
    "jp": (("japon", "tokyo"), ("japonais",)),
    "kr": (("corée du sud", "séoul"), ("sud-coréen",)),
    "in": (("inde", "new delhi"), ("indien",)),
    "pk": (("pakistan", "islamabad"), ("pakistanais",)),
    "id": (("indonésie", "jakarta"), ("indonésien",)),
    "eh": (("sahara occidental",), ("sahraoui",)),
    "gh": (("ghana", "accra"), ("ghanéen",)),
    "cd": (("congo", "kinshasa"), ("congolais",)),
    "ke": (("kenya", "nairobi"), ("kényan",)),
    "mx": (("mexique",), ("mexicain",)),
    "se": (("suède", "stockholm"), ("suédois",)),
    "no": (("norvège", "oslo"), ("norvégien",)),
    "gr": (("grèce", "athènes"), ("grec", "grecque")),
    "at": (("autriche", "vienne"), ("autrichien",)),
    "il": (("israël", "tel-aviv"), ("israélien", "sioniste")),
}

# Nouns that name an organisation, a post or a law by what follows them (le ministre de
# l'Intérieur, la Caisse nationale des retraites, la loi sur les hydrocarbures), by the
# classes of news.story_lexicon.NAMED_BY_NEXT_WORD.
NAMED_BY_NEXT_WORD: dict[str, tuple[str, ...]] = {
    "post": ("ministre", "ministère", "président", "présidente", "wali", "ambassadeur", "ambassadrice"),
    "council": ("conseil",),
    "bank": ("banque",),
    "party": ("parti", "front", "mouvement"),
    "law": ("loi", "code", "ordonnance", "décret"),
    "director": ("directeur", "directrice", "direction"),
    "summit": ("sommet",),
    "university": ("université",),
    "club": ("club",),
    "company": ("société", "entreprise", "groupe", "compagnie"),
    "exam": ("examen",),
    "facility": ("hôpital", "aéroport", "port", "stade", "lycée", "mosquée", "chu"),
    "committee": ("commission", "comité"),
    "agency": ("agence", "office"),
    "court": ("tribunal", "cour"),
    "chamber": ("chambre",),
    "fund": ("caisse", "fonds"),
    "union": ("syndicat", "union", "organisation", "fédération"),
    "institute": ("institut", "école"),
}
# Words that join a name's parts (la Caisse nationale d'épargne et de prévoyance).
NAME_LINKS: tuple[str, ...] = (
    "de", "d", "du", "des", "la", "le", "les", "l", "sur", "et", "au", "aux", "pour", "relatif", "relative",
    "relatifs", "relatives", "portant",
)
# Endings of the adjectives that may follow such a noun in its name (nationale, agricole,
# algérienne, populaire), accents dropped.
ADJECTIVE_ENDINGS: tuple[str, ...] = (
    "al", "ale", "aux", "ales", "ien", "ienne", "iens", "iennes", "ique", "iques", "aire", "aires", "el",
    "elle", "els", "elles", "ais", "aise", "aises", "ois", "oise", "oises", "ain", "aine", "ains", "aines",
    "if", "ive", "ifs", "ives", "ole", "oles", "ere", "eres", "eur", "eure", "eurs", "eures",
)
