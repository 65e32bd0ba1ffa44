"""Textes français."""

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre")

COMMANDS = {
    "start": "Démarrer et bienvenue",
    "latest": "Dernières nouvelles : /latest 20",
    "read": "Lire un article en entier : /read 12",
    "search": 'Chercher dans les archives : /search pluies',
    "wilaya": "Nouvelles d'une wilaya : /wilaya Oran",
    "topics": "Les rubriques et leur nombre d'articles",
    "topic": "Les nouvelles d'une rubrique : /topic sport",
    "subscribe": "S'abonner au résumé quotidien",
    "unsubscribe": "Se désabonner",
    "settime": 'Heure du résumé : /settime 07:30',
    "timezone": 'Fuseau horaire',
    "mytopics": 'Rubriques du résumé',
    "digest": 'Mon résumé maintenant',
    "settings": "Réglages de cette conversation",
    "lang": "Langue de l'interface",
    "help": "La liste des commandes",
}

STRINGS = {
    "welcome": (
        "Bonjour {name} 👋\n"
        "Je suis <b>Akhbar</b> : je rassemble les titres de l'actualité algérienne et mondiale "
        "et je vous envoie un résumé chaque jour à l'heure de votre choix.\n"
        "Tapez /latest pour les dernières nouvelles, ou /help pour toutes les commandes."
    ),
    "welcome_back": "Bon retour {name} 👋 Votre abonnement et vos réglages sont intacts.",
    "button_subscribe": "🔔 S'abonner au résumé quotidien",
    "button_latest": "📰 Dernières nouvelles",
    "help_header": "<b>Commandes</b>",
    "help_footer": "Sous chaque titre, un lien comme /read_12 ouvre l'article en entier.",
    "latest_header": "📰 <b>Dernières nouvelles</b>",
    "latest_empty": "Pas encore de nouvelles. Revenez plus tard 🙏",
    "latest_bad_count": "Indiquez un nombre entre 1 et {max}, par exemple : /latest 20",
    "read_usage": "Indiquez le numéro de l'article, par exemple : /read 12 — il figure sous chaque titre.",
    "read_not_found": "Aucun article ne porte le numéro {id}. Essayez /latest pour voir les numéros actuels.",
    "read_headline_only": "Cet article n'est qu'un titre : nous n'avons pas encore son texte complet.",
    "read_source_link": "Lire à la source",
    "read_part": "partie {part} sur {total}",
    "topics_header": "🗂 <b>Rubriques</b> — touchez-en une pour voir ses nouvelles :",
    "topic_usage": "Indiquez une rubrique, par exemple : /topic sport — ou choisissez dans /topics",
    "topic_unknown": "Je ne connais pas de rubrique « {name} ». Rubriques disponibles :\n{names}",
    "topic_header": "{emoji} <b>{name}</b>",
    "topic_empty": "Pas encore de nouvelles dans la rubrique « {name} ».",
    "subscribed": "🔔 Abonnement activé. Vous recevrez le résumé chaque jour à {time} ({tz}).",
    "already_subscribed": "Vous êtes déjà abonné(e). Le résumé arrive chaque jour à {time} ({tz}).",
    "unsubscribed": "🔕 Désabonné(e). Vos réglages sont conservés ; /subscribe pour revenir.",
    "not_subscribed": "Vous n'êtes pas abonné(e). Tapez /subscribe pour recevoir le résumé quotidien.",
    "settings": (
        "⚙️ <b>Réglages de cette conversation</b>\n"
        "Abonnement : {subscribed}\n"
        "Langue : {language}\n"
        "Fuseau horaire : {tz}\n"
        "Heure du résumé : {time}\n"
        "Rubriques : {topics}"
    ),
    "yes": "actif ✅",
    "no": "inactif",
    "all_topics": "toutes les rubriques",
    "lang_choose": "Choisissez la langue de l'interface :",
    "lang_set": "C'est fait : l'interface est désormais en français.",
    "lang_unknown": "Langues disponibles : ar, fr, en — par exemple : /lang ar",
    "unknown_command": "Je ne connais pas cette commande. Tapez /help pour voir les commandes.",
    "plain_text": "Je ne comprends que les commandes 🙂 Tapez /latest ou /help.",
    "error": "Désolé, une erreur est survenue de notre côté. Rien de vos données n'est perdu ; réessayez dans un instant.",
    "button_expired": "Ce bouton a expiré, tapez à nouveau la commande.",
    "source_unknown": "source inconnue",
    "more_sources": '(+{n} sources)',
    "also_told_by": "🗞 La même nouvelle selon d'autres sources :",
    "search_usage": 'Indiquez ce que vous cherchez, par exemple : /search pluies — entre guillemets pour une expression exacte.',
    "search_header": '🔎 <b>Résultats pour « {query} »</b>',
    "search_none": 'Aucun résultat pour « {query} ». Essayez un autre mot, ou moins précis.',
    "search_more": '⬇️ Plus',
    "wilaya_usage": 'Indiquez une wilaya par son nom ou son numéro, par exemple : /wilaya Oran ou /wilaya 31',
    "wilaya_unknown": 'Je ne connais pas de wilaya « {name} ». Nom ou numéro, par exemple : /wilaya 31',
    "wilaya_header": '📍 <b>{name}</b>',
    "wilaya_empty": 'Pas encore de nouvelles de la wilaya de {name}.',
    "digest_title": '🗞 <b>Votre résumé du jour</b>',
    "digest_more": '… et {n} autres nouvelles — /latest',
    "digest_empty": '🌙 Rien de nouveau depuis votre dernier résumé.',
    "digest_none_now": 'Rien de nouveau depuis votre dernier résumé. Tapez /latest pour les dernières nouvelles.',
    "settime_usage": "Indiquez l'heure, par exemple : /settime 07:30",
    "settime_done": '⏰ Votre résumé arrivera chaque jour à {time} ({tz}). Prochain résumé : {next}.',
    "timezone_choose": 'Choisissez votre fuseau horaire, ou tapez son nom international, par exemple : /timezone Europe/Paris',
    "timezone_unknown": 'Je ne connais pas le fuseau « {name} ». Utilisez un nom international comme Africa/Algiers ou Europe/Paris.',
    "timezone_done": '🌍 Fuseau horaire : {tz}. Prochain résumé : {next}.',
    "mytopics_header": "🗂 <b>Rubriques de votre résumé</b> : {chosen}\nTouchez une rubrique pour l'ajouter ou la retirer ; sans choix, vous recevez toutes les rubriques.",
    "mytopics_all": 'toutes les rubriques',
    "admins_only": 'Dans un groupe, seuls les administrateurs modifient les réglages.',
    "empty_note_on": '📭 Jour sans nouvelles : un court message',
    "empty_note_off": '📭 Jour sans nouvelles : rien',
    "settings_next": 'Prochain résumé : {next}',
}
