"""English strings."""

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")

COMMANDS = {
    "start": "Start and welcome",
    "latest": "Latest news: /latest 20",
    "read": "Read an article in full: /read 12",
    "search": 'Search the archive: /search rain',
    "wilaya": 'News from a wilaya: /wilaya Oran',
    "topics": "Topics and how many articles each has",
    "topic": "News on one topic: /topic sports",
    "subscribe": "Subscribe to the daily digest",
    "unsubscribe": "Unsubscribe",
    "settime": 'Digest time: /settime 07:30',
    "timezone": 'Time zone',
    "mytopics": 'Digest topics',
    "digest": 'My digest now',
    "settings": "Settings of this chat",
    "lang": "Interface language",
    "help": "The list of commands",
}

STRINGS = {
    "welcome": (
        "Hello {name} 👋\n"
        "I am <b>Akhbar</b>: I gather Algerian and world headlines and send you a daily digest "
        "at the time you choose.\n"
        "Type /latest for the latest news, or /help for every command."
    ),
    "welcome_back": "Welcome back {name} 👋 Your subscription and settings are as you left them.",
    "button_subscribe": "🔔 Subscribe to the daily digest",
    "button_latest": "📰 Latest news",
    "help_header": "<b>Commands</b>",
    "help_footer": "Under every headline a link like /read_12 opens the full article.",
    "latest_header": "📰 <b>Latest news</b>",
    "latest_empty": "No news yet. Please come back later 🙏",
    "latest_bad_count": "Give a number from 1 to {max}, for example: /latest 20",
    "read_usage": "Give the article's number, for example: /read 12 — it is under every headline.",
    "read_not_found": "There is no article number {id}. Try /latest to see the current numbers.",
    "read_headline_only": "This article is a headline only: we do not have its full text yet.",
    "read_source_link": "Read at the source",
    "read_part": "part {part} of {total}",
    "topics_header": "🗂 <b>Topics</b> — tap one to see its news:",
    "topic_usage": "Name a topic, for example: /topic sports — or pick one from /topics",
    "topic_unknown": "I know no topic called “{name}”. Available topics:\n{names}",
    "topic_header": "{emoji} <b>{name}</b>",
    "topic_empty": "No news on “{name}” yet.",
    "subscribed": "🔔 Subscribed. Your digest arrives every day at {time} ({tz}).",
    "already_subscribed": "You are already subscribed. Your digest arrives every day at {time} ({tz}).",
    "unsubscribed": "🔕 Unsubscribed. Your settings are kept; /subscribe brings you back.",
    "not_subscribed": "You are not subscribed. Type /subscribe to get the daily digest.",
    "settings": (
        "⚙️ <b>Settings of this chat</b>\n"
        "Subscription: {subscribed}\n"
        "Language: {language}\n"
        "Time zone: {tz}\n"
        "Digest time: {time}\n"
        "Topics: {topics}"
    ),
    "yes": "on ✅",
    "no": "off",
    "all_topics": "all topics",
    "lang_choose": "Choose the interface language:",
    "lang_set": "Done: the interface is in English from now on.",
    "lang_unknown": "Available languages: ar, fr, en — for example: /lang ar",
    "unknown_command": "I don't know that command. Type /help to see the commands.",
    "plain_text": "I only understand commands 🙂 Type /latest or /help.",
    "error": "Sorry, something went wrong on our side. None of your data is lost; please try again in a moment.",
    "button_expired": "This button has expired, please type the command again.",
    "source_unknown": "unknown source",
    "more_sources": '(+{n} sources)',
    "also_told_by": '🗞 The same story from other sources:',
    "search_usage": 'Say what you are looking for, for example: /search rain — put a phrase in quotes to find it as written.',
    "search_header": '🔎 <b>Results for “{query}”</b>',
    "search_none": 'No results for “{query}”. Try another word, or a less specific one.',
    "search_more": '⬇️ More',
    "wilaya_usage": 'Name a wilaya or give its number, for example: /wilaya Oran or /wilaya 31',
    "wilaya_unknown": 'I know no wilaya called “{name}”. Give its name or number, for example: /wilaya 31',
    "wilaya_header": '📍 <b>{name}</b>',
    "wilaya_empty": 'No news from the wilaya of {name} yet.',
    "digest_title": '🗞 <b>Your daily digest</b>',
    "digest_more": '… and {n} more stories — /latest',
    "digest_empty": '🌙 Nothing new since your last digest.',
    "digest_none_now": 'Nothing new since your last digest. Type /latest for the latest news.',
    "settime_usage": 'Give the time, for example: /settime 07:30',
    "settime_done": '⏰ Your digest will arrive every day at {time} ({tz}). Next digest: {next}.',
    "timezone_choose": 'Choose your time zone, or type its international name, for example: /timezone Europe/Paris',
    "timezone_unknown": "I don't know the time zone “{name}”. Use an international name like Africa/Algiers or Europe/Paris.",
    "timezone_done": '🌍 Time zone: {tz}. Next digest: {next}.',
    "mytopics_header": "🗂 <b>Your digest's topics</b>: {chosen}\nTap a topic to add or remove it; with none chosen you get every topic.",
    "mytopics_all": 'every topic',
    "admins_only": 'In a group, only its admins change the settings.',
    "empty_note_on": '📭 On a day with nothing new: a short note',
    "empty_note_off": '📭 On a day with nothing new: nothing',
    "settings_next": 'Next digest: {next}',
}
