from django.core.management.commands import makemessages


class Command(makemessages.Command):
    # Without it, msgmerge fills new strings with the translation of some
    # other sentence, marked fuzzy, which then has to be cleared by hand.
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
