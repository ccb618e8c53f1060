"""Oscar's messages that its French catalogue leaves untranslated, written
here so that ``make messages`` keeps them in ours (LOCALE_PATHS come first,
so our translation is the one shown). Never called."""

from django.utils.translation import ngettext_lazy

BASKET_MERGED = ngettext_lazy(
    "We have merged %(num_items_merged)d item from a previous session to your basket.",
    "We have merged %(num_items_merged)d items from a previous session to your basket.",
    "num_items_merged",
)
