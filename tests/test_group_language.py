"""A group's language is the group's setting: the language of whoever added the bot, until the
group's admins change it with /lang; a member's own Telegram language changes nothing there."""

import pytest

from .conftest import SHARED_LOOP

pytestmark = SHARED_LOOP

HELP = {"ar": "الأوامر", "fr": "Commandes", "en": "Commands"}


@pytest.fixture(scope="module")
def shared_world(shared_world_on_each_engine):
    return shared_world_on_each_engine


def person(world, lang: str) -> int:
    user = world.fresh_id()
    world.emu.add_user(user_id=user, first_name=f"Member {user}", language_code=lang)
    return user


# How the bot's greeting begins when it joins a group, in each language.
GREETING = {"ar": "👋 مرحبا «", "fr": "👋 Bonjour « ", "en": "👋 Hello «"}


async def greeted(world, group: int, lang: str) -> dict:
    """The greeting the bot posts in a group it was just added to, in `lang`: the group's
    first message, before anything a test then asks there (so that the replies a test counts
    are its own)."""
    (greeting,) = await world.emu.wait_for_messages(group, 1)
    assert greeting["text"].lstrip("\u200f").startswith(GREETING[lang]), greeting["text"]
    return greeting


async def test_a_group_speaks_the_language_of_whoever_added_the_bot_until_its_admins_change_it(shared):
    group = -shared.fresh_id()
    admin, arabic, english = person(shared, "fr"), person(shared, "ar"), person(shared, "en")
    shared.emu.add_group(group, title="Club de lecture", admins=[admin], members=[arabic, english], added_by=admin)
    await greeted(shared, group, "fr")
    # The first to ask is a member whose Telegram speaks Arabic: the group is answered in French.
    (help_,) = await shared.ask(group, "/help", user_id=arabic)
    assert HELP["fr"] in help_["text"]
    (latest,) = await shared.ask(group, "/latest 2", user_id=english)
    assert "Dernières nouvelles" in latest["text"]
    assert (await shared.services.chats.get(group)).lang == "fr"
    # A member who is not an admin cannot change it; an admin can, for everyone.
    (refused,) = await shared.ask(group, "/lang ar", user_id=arabic)
    assert "seuls les administrateurs" in refused["text"]
    assert (await shared.services.chats.get(group)).lang == "fr"
    (done,) = await shared.ask(group, "/lang ar", user_id=admin)
    assert "بالعربية" in done["text"]
    (help_,) = await shared.ask(group, "/help", user_id=english)
    assert HELP["ar"] in help_["text"]


async def test_a_group_the_bot_rejoins_keeps_the_language_its_admins_chose(shared):
    group = -shared.fresh_id()
    admin, other_admin = person(shared, "ar"), person(shared, "en")
    shared.emu.add_group(group, title="نادي", admins=[admin, other_admin], added_by=admin)
    await greeted(shared, group, "ar")
    await shared.ask(group, "/lang fr", user_id=admin)
    shared.emu.add_group(group, title="نادي", admins=[admin, other_admin], added_by=other_admin)  # removed, added again
    await greeted(shared, group, "fr")  # the group's language, not the English of whoever added it again
    (help_,) = await shared.ask(group, "/help", user_id=other_admin)
    assert HELP["fr"] in help_["text"]


async def test_a_group_with_no_language_yet_answers_each_member_in_their_own(shared):
    """A group the bot was in before it kept a language for groups it joins (none stored yet):
    no member's language is taken for the group's — each is answered in their own."""
    group = -shared.fresh_id()
    french, english = person(shared, "fr"), person(shared, "en")
    shared.emu.add_group(group, title="Club", members=[french, english])
    (first,) = await shared.ask(group, "/help", user_id=french)
    assert HELP["fr"] in first["text"]
    (second,) = await shared.ask(group, "/help", user_id=english)
    assert HELP["en"] in second["text"]


async def test_an_admin_writing_anonymously_as_the_group_changes_its_language(shared):
    """An admin with «Remain anonymous» on writes as the group itself (Telegram's placeholder
    @GroupAnonymousBot as the sender, whom getChatMember does not know as an admin): only
    admins can, so their /lang and /subscribe are the group admins'."""
    group = -shared.fresh_id()
    admin = person(shared, "ar")
    shared.emu.add_group(group, title="نادي", admins=[admin], added_by=admin)
    await greeted(shared, group, "ar")
    before = len(shared.emu.messages(group))
    shared.emu.send_message(group, admin, "/lang en", anonymous=True)
    (done,) = (await shared.emu.wait_for_messages(group, before + 1))[before:]
    assert "in English" in done["text"]
    assert (await shared.services.chats.get(group)).lang == "en"
    shared.emu.send_message(group, admin, "/subscribe", anonymous=True)
    (subscribed,) = (await shared.emu.wait_for_messages(group, before + 2))[before + 1:]
    assert (await shared.services.chats.get(group)).subscribed, subscribed["text"]


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
async def test_a_group_is_greeted_when_the_bot_joins_it_not_when_it_is_promoted_and_again_when_added_back(shared, lang):
    # Before: added to a group, the bot said nothing until someone gave it a command.
    group = -shared.fresh_id()
    admin, member = person(shared, lang), person(shared, "en" if lang == "ar" else "ar")
    shared.emu.add_group(group, title="Club <Oran> & co", admins=[admin], members=[member], added_by=admin)
    greeting = await greeted(shared, group, lang)
    text = greeting["text"]
    assert "Club <Oran> & co" in text  # the title as it is, escaped in the HTML sent
    for command in ("/subscribe", "/mytopics", "/follow", "/settings"):
        assert command in text
    assert {"ar": "مشرفو المجموعة فقط", "fr": "Seuls les administrateurs", "en": "Only the group's admins"}[lang] in text
    if lang == "ar":  # every line right-to-left, each /command with its slash in front
        assert all(line.startswith("\u200f") for line in text.split("\n"))
        assert "\u200e/follow" in text
    # Promoted to admin, then demoted: the same group, nothing more to say.
    shared.emu.set_bot_status(group, "administrator", by=admin)
    shared.emu.set_bot_status(group, "member", by=admin)
    await shared.handled_everything()
    assert shared.emu.messages(group) == [greeting]
    # Removed, then added back by a member who speaks another language: greeted again, in the
    # group's language.
    shared.emu.set_bot_status(group, "left", by=admin)
    await shared.handled_everything()
    shared.emu.set_bot_status(group, "member", by=member)
    first, again = await shared.emu.wait_for_messages(group, 2)
    assert first == greeting and again["text"] == text
    await shared.handled_everything()
    assert len(shared.emu.messages(group)) == 2
